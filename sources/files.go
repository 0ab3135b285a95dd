package sources

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// MatchFiles returns the regular files matching a glob, sorted, so that "the later row of the
// file" means the same thing on every run; no match is ErrNoFiles.
func MatchFiles(pattern string) ([]string, error) {
	matches, err := filepath.Glob(pattern)
	if err != nil {
		return nil, fmt.Errorf("path %q: %w", pattern, err)
	}
	files := matches[:0]
	for _, m := range matches {
		if fi, err := os.Stat(m); err == nil && fi.IsDir() {
			continue
		}
		files = append(files, m)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%w %q", ErrNoFiles, pattern)
	}
	sort.Strings(files)
	return files, nil
}

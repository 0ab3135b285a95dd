package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"scorecard/sources"
)

// landedFile is one file a run landed: known by path and content, so a nightly run reads only
// the files it has not landed before and a changed file is landed again.
type landedFile struct {
	Source, Path, SHA256 string
	Size                 int64
}

// loadLandedFiles fills the landed_files table from the published version's state.
func (r *run) loadLandedFiles(ctx context.Context) error {
	return r.loadState(ctx, "landed_files")
}

// loadState creates a state table (sql/NAME.sql) and fills it from the published version's
// state/NAME folder, when there is one.
func (r *run) loadState(ctx context.Context, name string) error {
	if err := r.eng.runFile(ctx, name+".sql"); err != nil {
		return err
	}
	if r.prev == "" {
		return nil
	}
	path := filepath.Join(r.prev, TableState, name, partitionFile)
	if _, err := os.Stat(path); err != nil {
		return nil
	}
	return r.eng.exec(ctx, "INSERT INTO "+name+" SELECT * FROM read_parquet("+sqlString(path)+")")
}

// filesToLand picks the files of a file source to read: all of them for a full run, else those
// whose path and sha256 were not landed before. A backfill too reads only new or changed files:
// an unchanged file's rows are in the lake already, newest record first.
func (r *run) filesToLand(ctx context.Context, spec sources.Config) ([]landedFile, error) {
	paths, err := sources.MatchFiles(spec.Path)
	if err != nil {
		return nil, err
	}
	var out []landedFile
	for _, p := range paths {
		f, err := describeFile(spec.Name, p)
		if err != nil {
			return nil, err
		}
		if !r.opts.Full {
			seen, err := r.eng.count(ctx, "SELECT count(*) FROM landed_files WHERE source = ? AND path = ? AND sha256 = ?", f.Source, f.Path, f.SHA256)
			if err != nil {
				return nil, err
			}
			if seen > 0 {
				continue
			}
		}
		out = append(out, f)
	}
	return out, nil
}

func describeFile(source, path string) (landedFile, error) {
	info, err := os.Stat(path)
	if err != nil {
		return landedFile{}, err
	}
	sum, err := fileSHA256(path)
	if err != nil {
		return landedFile{}, fmt.Errorf("hashing %s: %w", path, err)
	}
	return landedFile{Source: source, Path: path, SHA256: sum, Size: info.Size()}, nil
}

// recordLanded replaces the state rows of the files this run landed.
func (r *run) recordLanded(ctx context.Context, files []landedFile, at time.Time) error {
	for _, f := range files {
		if err := r.eng.exec(ctx, "DELETE FROM landed_files WHERE source = ? AND path = ?", f.Source, f.Path); err != nil {
			return err
		}
		err := r.eng.exec(ctx, "INSERT INTO landed_files VALUES (?, ?, ?, ?, ?, ?::TIMESTAMPTZ)",
			f.Source, f.Path, f.SHA256, f.Size, r.id, at.UTC().Format(time.RFC3339Nano))
		if err != nil {
			return err
		}
	}
	return nil
}

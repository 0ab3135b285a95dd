package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Lake tables. Each is a folder of Hive-partitioned Parquet under the lake, reached through a
// symlink into the current version: lake/scorecard -> current/scorecard, and
// lake/current -> .versions/<run_id>. A run builds a whole new version beside the old one
// (new files written, unchanged ones hard-linked, so their bytes stay the same) and publishes it
// by renaming one symlink: a reader sees the old lake or the new one, never a mix, and a crashed
// run leaves the old one in place.
const (
	TableRaw          = "raw"
	TableCases        = "cases"
	TableQuarantine   = "quarantine"
	TableCaseResults  = "case_results"
	TableScorecard    = "scorecard"
	TableRestatements = "restatements"
	TableRemovedCases = "removed_cases"
	TableRuns         = "runs"
	TableState        = "state"

	partitionFile  = "data.parquet"
	currentLink    = "current"
	versionsDir    = ".versions"
	stagingDirName = ".staging"
)

// Tables are every table of a version, in the order they are built.
var Tables = []string{TableRaw, TableCases, TableQuarantine, TableCaseResults, TableScorecard, TableRestatements, TableRemovedCases, TableState, TableRuns}

// ErrLayout is returned when the lake folder holds something this version does not manage.
var ErrLayout = errors.New("unexpected lake layout")

// Lake is a folder of versions of Hive-partitioned Parquet tables.
type Lake struct{ Dir string }

// stagingDir is a run's scratch space (DuckDB spill, raw landing before publication); it lives
// inside the lake so that hard links and renames stay on one file system.
func (l Lake) stagingDir(runID string) string {
	return filepath.Join(l.Dir, stagingDirName, runID)
}

// Current returns the folder of the published version, or "" when nothing is published yet.
func (l Lake) Current() (string, error) {
	target, err := os.Readlink(filepath.Join(l.Dir, currentLink))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("%w: %s: %w", ErrLayout, l.Dir, err)
	}
	if !filepath.IsAbs(target) {
		target = filepath.Join(l.Dir, target)
	}
	return target, nil
}

// HasRun reports whether the lake holds a published version.
func (l Lake) HasRun() bool {
	cur, err := l.Current()
	return err == nil && cur != ""
}

// OutputFile is one file of a published version, for the run manifest.
type OutputFile struct {
	Path   string `json:"path"`
	Rows   int64  `json:"rows"`
	SHA256 string `json:"sha256"`
}

// version is a lake version being built.
type version struct {
	lake Lake
	dir  string // .versions/<run_id>
	prev string // the published version, "" for the first run
	dirs map[string]bool
}

func newVersion(l Lake, runID, prev string) (*version, error) {
	v := &version{lake: l, dir: filepath.Join(l.Dir, versionsDir, runID), prev: prev, dirs: map[string]bool{}}
	if err := os.RemoveAll(v.dir); err != nil {
		return nil, err
	}
	return v, v.mkdir(v.dir)
}

func (v *version) path(rel string) string { return filepath.Join(v.dir, rel) }

func (v *version) mkdir(dir string) error {
	if v.dirs[dir] {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for d := dir; d != v.dir && strings.HasPrefix(d, v.dir); d = filepath.Dir(d) {
		v.dirs[d] = true
	}
	v.dirs[v.dir] = true
	return nil
}

// prepare makes the folder of a file about to be written at rel.
func (v *version) prepare(rel string) (string, error) {
	p := v.path(rel)
	return p, v.mkdir(filepath.Dir(p))
}

// previousFiles lists the files of a table in the previous version, relative to the version.
func (v *version) previousFiles(table string) ([]string, error) {
	if v.prev == "" {
		return nil, nil
	}
	var out []string
	root := filepath.Join(v.prev, table)
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(v.prev, path)
		out = append(out, rel)
		return err
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	sort.Strings(out)
	return out, err
}

// keep hard-links files of the previous version into this one, unchanged.
func (v *version) keep(rels ...string) error {
	for _, rel := range rels {
		dst, err := v.prepare(rel)
		if err != nil {
			return err
		}
		if err := os.Link(filepath.Join(v.prev, rel), dst); err != nil {
			return fmt.Errorf("keeping %s: %w", rel, err)
		}
	}
	return nil
}

// keepTable keeps every previous file of a table for which replaced is false.
func (v *version) keepTable(table string, replaced func(rel string) bool) error {
	rels, err := v.previousFiles(table)
	if err != nil {
		return err
	}
	for _, rel := range rels {
		if replaced == nil || !replaced(rel) {
			if err := v.keep(rel); err != nil {
				return err
			}
		}
	}
	return nil
}

// adopt moves a finished file (from the staging folder) into the version. It is flushed to
// disk when it is listed in the manifest (flushing), before the version is committed.
func (v *version) adopt(src, rel string) error {
	dst, err := v.prepare(rel)
	if err != nil {
		return err
	}
	return os.Rename(src, dst)
}

// commit makes the version durable and current: fsync every folder written, then replace the
// `current` symlink with one rename.
func (v *version) commit() error {
	for d := range v.dirs {
		if err := syncDir(d); err != nil {
			return err
		}
	}
	if err := syncDir(filepath.Dir(v.dir)); err != nil {
		return err
	}
	if err := v.lake.checkLayout(); err != nil {
		return err
	}
	rel, err := filepath.Rel(v.lake.Dir, v.dir)
	if err != nil {
		return err
	}
	if err := replaceSymlink(rel, filepath.Join(v.lake.Dir, currentLink)); err != nil {
		return err
	}
	return syncDir(v.lake.Dir)
}

// checkLayout makes every lake/<table> a symlink into the current version (once), and fails
// on anything else there, before a run does any work.
func (l Lake) checkLayout() error {
	for _, t := range Tables {
		if err := l.ensureTableLink(t); err != nil {
			return err
		}
	}
	return nil
}

// ensureTableLink makes lake/<table> point into the current version, once.
func (l Lake) ensureTableLink(table string) error {
	link := filepath.Join(l.Dir, table)
	want := filepath.Join(currentLink, table)
	got, err := os.Readlink(link)
	switch {
	case err == nil && got == want:
		return nil
	case err == nil, errors.Is(err, fs.ErrNotExist):
		return replaceSymlink(want, link)
	default:
		return fmt.Errorf("%w: %s is not a symlink into %s/ (a lake from an older scorecard? use a new lake folder)", ErrLayout, link, currentLink)
	}
}

// replaceSymlink points link at target atomically: a new symlink renamed over the old one.
func replaceSymlink(target, link string) error {
	tmp := link + ".tmp"
	_ = os.Remove(tmp)
	if err := os.Symlink(target, tmp); err != nil {
		return err
	}
	return os.Rename(tmp, link)
}

// prune removes versions other than the current and the previous one (a reader that listed the
// previous version a moment ago can still open its files), and staging folders of other runs.
// It runs under the lake lock, so no other run is building anything.
func (l Lake) prune(current, previous, ownRunID string) error {
	keep := map[string]bool{filepath.Base(current): true, filepath.Base(previous): true}
	var errs []error
	for _, dir := range []string{versionsDir, stagingDirName} {
		entries, err := os.ReadDir(filepath.Join(l.Dir, dir))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		for _, e := range entries {
			if keep[e.Name()] && dir == versionsDir || e.Name() == ownRunID && dir == stagingDirName {
				continue
			}
			errs = append(errs, os.RemoveAll(filepath.Join(l.Dir, dir, e.Name())))
		}
	}
	return errors.Join(errs...)
}

// checksum describes one file of a version for the manifest.
func (v *version) checksum(rel string, rows int64) (OutputFile, error) {
	sum, err := fileSHA256(v.path(rel))
	return OutputFile{Path: filepath.ToSlash(rel), Rows: rows, SHA256: sum}, err
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// syncFile flushes a written file to disk, so a rename after it publishes complete bytes.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

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
	ModTime              time.Time
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
	// By name: a state file written by an older version may lack a newer column.
	return r.eng.exec(ctx, "INSERT INTO "+name+" BY NAME SELECT * FROM read_parquet("+sqlString(path)+")")
}

// filesToLand picks the files of a file source to read: all of them for a full run, else those
// whose path and sha256 were not landed before. A file whose size and modification time are
// those it was landed with is not read, not even to hash it. A backfill too reads only new or
// changed files: an unchanged file's rows are in the lake already, newest record first.
func (r *run) filesToLand(ctx context.Context, spec sources.Config) ([]landedFile, error) {
	paths, err := sources.MatchFiles(spec.Path)
	if err != nil {
		return nil, err
	}
	var out []landedFile
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		f := landedFile{Source: spec.Name, Path: p, Size: info.Size(), ModTime: info.ModTime()}
		if !r.opts.Full {
			if seen, err := r.landedUnchanged(ctx, f); err != nil || seen {
				if err != nil {
					return nil, err
				}
				continue
			}
		}
		if f.SHA256, err = fileSHA256(p); err != nil {
			return nil, fmt.Errorf("hashing %s: %w", p, err)
		}
		if !r.opts.Full {
			seen, err := r.eng.count(ctx, "SELECT count(*) FROM landed_files WHERE source = ? AND path = ? AND sha256 = ?", f.Source, f.Path, f.SHA256)
			if err != nil {
				return nil, err
			}
			if seen > 0 { // touched but not changed: remember its time, so it is not hashed again
				err := r.eng.exec(ctx, "UPDATE landed_files SET mtime = ?::TIMESTAMPTZ WHERE source = ? AND path = ?",
					f.ModTime.UTC().Format(time.RFC3339Nano), f.Source, f.Path)
				if err != nil {
					return nil, err
				}
				continue
			}
		}
		out = append(out, f)
	}
	return out, nil
}

// landedUnchanged reports whether a file was landed with this very size and modification time.
func (r *run) landedUnchanged(ctx context.Context, f landedFile) (bool, error) {
	n, err := r.eng.count(ctx, "SELECT count(*) FROM landed_files WHERE source = ? AND path = ? AND size = ? AND mtime = ?::TIMESTAMPTZ",
		f.Source, f.Path, f.Size, f.ModTime.UTC().Format(time.RFC3339Nano))
	return n > 0, err
}

// recordLanded replaces the state rows of the files this run landed.
func (r *run) recordLanded(ctx context.Context, files []landedFile, at time.Time) error {
	for _, f := range files {
		if err := r.eng.exec(ctx, "DELETE FROM landed_files WHERE source = ? AND path = ?", f.Source, f.Path); err != nil {
			return err
		}
		err := r.eng.exec(ctx, "INSERT INTO landed_files VALUES (?, ?, ?, ?, ?, ?::TIMESTAMPTZ, ?::TIMESTAMPTZ)",
			f.Source, f.Path, f.SHA256, f.Size, r.id, at.UTC().Format(time.RFC3339Nano), f.ModTime.UTC().Format(time.RFC3339Nano))
		if err != nil {
			return err
		}
	}
	return nil
}

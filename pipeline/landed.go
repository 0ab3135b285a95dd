package pipeline

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sync/errgroup"

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

// filesToLand picks the files of a file source to read, and whether the source is rebuilt.
// A nightly run lands the files it has not landed before (by path and sha256; a file whose
// size and modification time are those it was landed with is not even hashed). When a landed
// file changed or is gone, or with --full, the source is rebuilt: every file is landed again and
// replaces all the source's cases, so a row deleted from a file leaves the lake too. A backfill
// lands new or changed files only and merges their rows of its window.
func (r *run) filesToLand(ctx context.Context, spec sources.Config) ([]landedFile, bool, error) {
	paths, err := sources.MatchFiles(spec.Path)
	if err != nil {
		return nil, false, err
	}
	all := make([]landedFile, len(paths))
	seen := make([]bool, len(paths))
	for i, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, false, err
		}
		all[i] = landedFile{Source: spec.Name, Path: p, Size: info.Size(), ModTime: info.ModTime()}
		if seen[i], err = r.landedUnchanged(ctx, all[i]); err != nil {
			return nil, false, err
		}
	}
	// Only a file landed before under its path is hashed here, to tell whether it changed; a
	// new one is hashed while it lands (stage).
	skip := make([]bool, len(all))
	for i, f := range all {
		known, err := r.eng.count(ctx, "SELECT count(*) FROM landed_files WHERE source = ? AND path = ?", f.Source, f.Path)
		if err != nil {
			return nil, false, err
		}
		skip[i] = seen[i] || known == 0
	}
	if err := r.hashFiles(ctx, all, skip); err != nil {
		return nil, false, err
	}
	var fresh []landedFile
	rebuild := r.opts.Full
	for i, f := range all {
		if seen[i] {
			continue
		}
		isNew, changed, err := r.compareLanded(ctx, f)
		if err != nil {
			return nil, false, err
		}
		if isNew {
			fresh = append(fresh, f)
		}
		rebuild = rebuild || changed
	}
	gone, err := r.eng.count(ctx, "SELECT count(*) FROM landed_files WHERE source = ? AND NOT list_contains(?::VARCHAR[], path)", spec.Name, paths)
	if err != nil {
		return nil, false, err
	}
	if (rebuild || gone > 0) && r.opts.Window == nil {
		return all, true, nil
	}
	return fresh, false, nil
}

// compareLanded tells whether a file is to be landed (new, or changed: then it was hashed) and
// whether it changed since it was landed.
func (r *run) compareLanded(ctx context.Context, f landedFile) (isNew, changed bool, err error) {
	var landedSHA string
	err = r.eng.conn.QueryRowContext(ctx, "SELECT sha256 FROM landed_files WHERE source = ? AND path = ?", f.Source, f.Path).Scan(&landedSHA)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return true, false, nil
	case err != nil:
		return false, false, err
	case landedSHA == f.SHA256: // touched, not changed: remember its time, so it is not hashed again
		return false, false, r.eng.exec(ctx, "UPDATE landed_files SET mtime = ?::TIMESTAMPTZ WHERE source = ? AND path = ?",
			f.ModTime.UTC().Format(time.RFC3339Nano), f.Source, f.Path)
	}
	return true, true, nil
}

// hashFiles fills in the sha256 of the files not skipped and not hashed yet, a few at a time:
// a first run hashes every file, a gigabyte for ten million cases, while it lands them.
func (r *run) hashFiles(ctx context.Context, files []landedFile, skip []bool) error {
	defer reportTiming("go: hash landed files", time.Now())
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(r.opts.Config.DuckDB.Threads, 1))
	for i := range files {
		if skip[i] || files[i].SHA256 != "" {
			continue
		}
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			sum, err := fileSHA256(files[i].Path)
			if err != nil {
				return fmt.Errorf("hashing %s: %w", files[i].Path, err)
			}
			files[i].SHA256 = sum
			return nil
		})
	}
	return g.Wait()
}

// landedUnchanged reports whether a file was landed with this very size and modification time.
func (r *run) landedUnchanged(ctx context.Context, f landedFile) (bool, error) {
	n, err := r.eng.count(ctx, "SELECT count(*) FROM landed_files WHERE source = ? AND path = ? AND size = ? AND mtime = ?::TIMESTAMPTZ",
		f.Source, f.Path, f.Size, f.ModTime.UTC().Format(time.RFC3339Nano))
	return n > 0, err
}

// recordLanded replaces the state rows of the files this run landed (all of a rebuilt source's).
func (r *run) recordLanded(ctx context.Context, source string, rebuilt bool, files []landedFile, at time.Time) error {
	if rebuilt {
		if err := r.eng.exec(ctx, "DELETE FROM landed_files WHERE source = ?", source); err != nil {
			return err
		}
	}
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

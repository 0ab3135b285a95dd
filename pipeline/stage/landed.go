package stage

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"scorecard/pipeline/config"
	"scorecard/pipeline/engine"
	"scorecard/pipeline/lake"

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
	if err := r.Eng.RunFile(ctx, name+".sql"); err != nil {
		return err
	}
	if r.Prev == "" {
		return nil
	}
	path := filepath.Join(r.Prev, lake.TableState, name, lake.PartitionFile)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil // a version written before this state existed
	} else if err != nil {
		return fmt.Errorf("reading the %s state: %w", name, err)
	}
	// By name: a state file written by an older version may lack a newer column.
	return r.Eng.Exec(ctx, "INSERT INTO "+name+" BY NAME SELECT * FROM read_parquet("+engine.Quote(path)+")")
}

// sourceFiles is what filesToLand found of a file source: the files to land, whether the
// source is rebuilt (its cases replaced by what it holds now), and the landed files that are
// gone or changed since, for the log, the run record and the shrink guard's message.
type sourceFiles struct {
	land          []landedFile
	rebuilt       bool
	gone, changed []string
	goneBefore    []string // found gone by an earlier run (of a delta source), still in the state
}

// filesToLand picks the files of a file source to read. A run lands the files it has not landed
// before (by path and sha256; a file whose size and modification time are those it was landed
// with is not even hashed), and a landed file that changed. What else happens depends on the
// source's mode (SPEC §10):
//   - delta: a case once landed stays until a newer record replaces it. A file that is gone is
//     logged and remembered as gone (its cases stay); a changed file is landed again and its
//     rows merged; --full lands every present file again and merges it.
//   - snapshot: the present files are the whole truth. When a landed file changed or is gone,
//     or with --full, the source is rebuilt: every file is landed again and replaces all the
//     source's cases, so a case no longer in them leaves the lake (within max_shrink_pct).
//
// A backfill lands new or changed files only and merges their rows of its window; it does not
// record them as landed (stage), so that the next nightly run lands them whole.
func (r *run) filesToLand(ctx context.Context, sc config.SourceConfig, spec sources.Config) (sourceFiles, error) {
	var out sourceFiles
	paths, err := sources.MatchFiles(spec.Path)
	if errors.Is(err, sources.ErrNoFiles) {
		// No file at all: a typo in the path when nothing was ever landed, else every file
		// rotated away (delta) or an empty snapshot (the shrink guard judges it).
		known, cerr := r.Eng.Count(ctx, "SELECT count(*) FROM landed_files WHERE source = ?", spec.Name)
		if cerr != nil {
			return out, cerr
		}
		if known == 0 {
			return out, err
		}
		paths, err = nil, nil
	}
	if err != nil {
		return out, err
	}
	all := make([]landedFile, len(paths))
	for i, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return out, err
		}
		all[i] = landedFile{Source: spec.Name, Path: p, Size: info.Size(), ModTime: info.ModTime()}
	}
	landed, err := r.landedStates(ctx, spec.Name, all)
	if err != nil {
		return out, err
	}
	// Only a file landed before under its path, and touched since, is hashed here, to tell
	// whether it changed; a new one is hashed while it lands (stage).
	skip := make([]bool, len(all))
	for i, f := range all {
		st, known := landed[f.Path]
		skip[i] = !known || st.unchanged
	}
	if err := r.hashFiles(ctx, all, skip); err != nil {
		return out, err
	}
	var fresh, touched []landedFile
	for _, f := range all {
		st, known := landed[f.Path]
		switch {
		case !known:
			fresh = append(fresh, f)
		case st.unchanged:
		case st.sha256 == f.SHA256: // touched, not changed: remember its time, so it is not hashed again
			touched = append(touched, f)
		default:
			fresh, out.changed = append(fresh, f), append(out.changed, f.Path)
		}
	}
	if err := r.touchLanded(ctx, spec.Name, touched); err != nil {
		return out, err
	}
	if err := r.markGone(ctx, spec.Name, paths, &out); err != nil {
		return out, err
	}
	snapshot := sc.EffectiveMode() == config.ModeSnapshot
	switch {
	case r.Opts.Window != nil:
		out.land = fresh
	case snapshot && (r.Opts.Full || len(out.changed) > 0 || len(out.gone)+len(out.goneBefore) > 0):
		// (files a delta run found gone count as gone: the source was a delta then)
		out.land, out.rebuilt, out.gone = all, true, append(out.gone, out.goneBefore...)
	case r.Opts.Full:
		out.land = all
	default:
		out.land = fresh
	}
	return out, nil
}

// touchLanded records the modification time of files touched but not changed, so that they are
// not hashed again.
func (r *run) touchLanded(ctx context.Context, source string, touched []landedFile) error {
	if len(touched) == 0 {
		return nil
	}
	paths, _, _, mtimes := stateColumns(touched)
	return r.Eng.Exec(ctx, `UPDATE landed_files SET mtime = t.mtime
		FROM (SELECT unnest(?::VARCHAR[]) AS path, unnest(?::VARCHAR[])::TIMESTAMPTZ AS mtime) t
		WHERE landed_files.source = ? AND landed_files.path = t.path`, paths, mtimes, source)
}

// markGone finds the landed files of a source that are no longer present: those gone since the
// last run are marked with this run's id (a delta source keeps them in its state, so that they
// are reported once, and a file that comes back unchanged is not landed again); a file that is
// back loses its mark.
func (r *run) markGone(ctx context.Context, source string, present []string, out *sourceFiles) error {
	type goneFile struct {
		path   string
		before bool
	}
	gone, err := engine.QueryFile(ctx, r.Eng, "landed_gone.sql", func(scan func(...any) error) (goneFile, error) {
		var g goneFile
		return g, scan(&g.path, &g.before)
	}, source, present)
	if err != nil {
		return err
	}
	for _, g := range gone {
		if g.before {
			out.goneBefore = append(out.goneBefore, g.path)
		} else {
			out.gone = append(out.gone, g.path)
		}
	}
	return r.Eng.Exec(ctx, `UPDATE landed_files
		SET gone_run_id = CASE WHEN list_contains(?::VARCHAR[], path) THEN NULL ELSE coalesce(gone_run_id, ?) END
		WHERE source = ?`, present, r.ID, source)
}

// landedState is what the state knows of a file landed before: its sha256, and whether it
// still has the size and modification time it was landed with.
type landedState struct {
	sha256    string
	unchanged bool
}

// landedStates looks the files up in the landed-files state, all in one query: a source of
// daily files has thousands.
func (r *run) landedStates(ctx context.Context, source string, files []landedFile) (map[string]landedState, error) {
	paths, _, sizes, mtimes := stateColumns(files)
	type found struct {
		path string
		landedState
	}
	rows, err := engine.QueryFile(ctx, r.Eng, "landed_compare.sql", func(scan func(...any) error) (found, error) {
		var f found
		return f, scan(&f.path, &f.sha256, &f.unchanged)
	}, source, paths, sizes, mtimes)
	if err != nil {
		return nil, err
	}
	out := make(map[string]landedState, len(rows))
	for _, f := range rows {
		out[f.path] = f.landedState
	}
	return out, nil
}

// hashFiles fills in the sha256 of the files not skipped and not hashed yet, a few at a time:
// a first run hashes every file, a gigabyte for ten million cases, while it lands them.
func (r *run) hashFiles(ctx context.Context, files []landedFile, skip []bool) error {
	defer engine.Timing("go: hash landed files", time.Now())
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(r.Eng.Threads)
	for i := range files {
		if skip[i] || files[i].SHA256 != "" {
			continue
		}
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			sum, err := lake.FileSHA256(files[i].Path)
			if err != nil {
				return fmt.Errorf("hashing %s: %w", files[i].Path, err)
			}
			files[i].SHA256 = sum
			return nil
		})
	}
	return g.Wait()
}

// recordLanded replaces the state rows of the files this run landed (all of a rebuilt source's).
func (r *run) recordLanded(ctx context.Context, source string, rebuilt bool, files []landedFile, at time.Time) error {
	if rebuilt {
		if err := r.Eng.Exec(ctx, "DELETE FROM landed_files WHERE source = ?", source); err != nil {
			return err
		}
	}
	if len(files) == 0 {
		return nil
	}
	paths, shas, sizes, mtimes := stateColumns(files)
	if err := r.Eng.Exec(ctx, "DELETE FROM landed_files WHERE source = ? AND list_contains(?::VARCHAR[], path)", source, paths); err != nil {
		return err
	}
	return r.Eng.Exec(ctx, `INSERT INTO landed_files (source, path, sha256, size, run_id, landed_at, mtime)
		SELECT ?, unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(?::BIGINT[]), ?, ?::TIMESTAMPTZ,
			unnest(?::VARCHAR[])::TIMESTAMPTZ`,
		source, paths, shas, sizes, r.ID, engine.Instant(at), mtimes)
}

// stateColumns splits files into the columns of the landed-files state, as lists for unnest:
// the state is read and written for all of a source's files in one statement.
func stateColumns(files []landedFile) (paths, shas []string, sizes []int64, mtimes []string) {
	paths, shas = make([]string, len(files)), make([]string, len(files))
	sizes, mtimes = make([]int64, len(files)), make([]string, len(files))
	for i, f := range files {
		paths[i], shas[i], sizes[i], mtimes[i] = f.Path, f.SHA256, f.Size, engine.Instant(f.ModTime)
	}
	return paths, shas, sizes, mtimes
}

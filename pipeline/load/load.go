// Package load is the fourth stage of a run: it writes the new version of the lake from what
// the run computed, keeping the published partitions it did not recompute, and publishes it
// atomically with the run's record (record.go).
package load

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"scorecard/pipeline/engine"
	"scorecard/pipeline/lake"
	"scorecard/pipeline/runstate"

	"golang.org/x/sync/errgroup"
)

// outPart is one partition file this run writes.
type outPart struct {
	Table, A, B string // the table and its partition values (B is "" for one-key tables)
}

func (p outPart) rel(runID string) string {
	values := []string{p.A}
	if p.B != "" {
		values = append(values, p.B)
	}
	return lake.TableNamed(p.Table).PartRel(runID, values...)
}

// load builds the new lake version (new partitions written, the others hard-linked from the
// published version) and publishes it with one rename.
func (r *run) load(ctx context.Context) (err error) {
	v, err := lake.NewVersion(r.Lake, r.ID, r.Prev)
	if err != nil {
		return err
	}
	r.flush = newFlushing(r.Eng.Threads)
	defer func() {
		// A failed run's version is removed: no flush may be reading its files by then. (A
		// run that gets to its record has waited for them already.)
		if err != nil {
			r.flush.wait()
		}
	}()
	if err := r.writeVersion(ctx, v); err != nil {
		return err
	}
	outputs, err := r.flush.wait()
	if err != nil {
		return err
	}
	r.Record.Outputs = append(r.Record.Outputs, outputs...)
	r.Record.Status = lake.StatusSucceeded
	if len(r.Opts.Config.Outputs) > 0 {
		// The run is not done until its outputs are written: one stopped or killed before
		// then is on record as failed, with its outputs not written, like its exit code.
		r.Record.Status, r.Record.Error = lake.StatusFailed, errOutputsPending
		r.Record.Loaders = r.pendingLoaders()
	}
	if err := r.writeRecord(ctx, v); err != nil {
		return err
	}
	runstate.Checkpoint(ctx, "write")
	commitStart := time.Now()
	if err := v.Commit(); err != nil {
		return fmt.Errorf("publishing version %s: %w", r.ID, err)
	}
	engine.Timing("go: commit", commitStart)
	r.Published = true
	runstate.Checkpoint(ctx, "commit")
	r.Summary = runstate.Summary{
		RunID: r.ID, AsOf: r.Opts.AsOf, Lake: r.Lake.Dir, Sources: r.Record.Sources,
		Quarantine: r.Record.Quarantine, Cases: r.Summary.Cases, Totals: r.Summary.Totals,
		Outputs: r.Record.Outputs, Restatements: r.Record.Restatements, Shrink: r.Record.Shrink,
		AtRisk: r.Summary.AtRisk, Contract: r.Summary.Contract, KeptRunID: r.Record.KeptRunID,
	}
	return nil
}

// writeVersion fills the new version: the run's landing and partitions, and what it keeps of
// the published one; a quiet run keeps all of it (quiet.go).
func (r *run) writeVersion(ctx context.Context, v *lake.Version) error {
	if r.Quiet {
		return r.keepPublished(v)
	}
	// The raw landing is complete: it is flushed while DuckDB writes the tables.
	if err := r.adoptLanding(v); err != nil {
		return err
	}
	written, err := r.writeParts(ctx, v)
	if err != nil {
		return err
	}
	if err := r.writeRunFiles(ctx, v); err != nil {
		return err
	}
	return r.keepPrevious(v, written)
}

// writeParts writes this run's partitions and returns their folders, relative to the version.
func (r *run) writeParts(ctx context.Context, v *lake.Version) (map[string]bool, error) {
	written := map[string]bool{}
	// One partitioned COPY per table: a single pass over it, where a COPY per partition would
	// scan it once per partition.
	for _, t := range lake.Specs {
		if !t.Partitioned {
			continue
		}
		if err := r.writePartitioned(ctx, v, t, written); err != nil {
			return nil, err
		}
	}
	// Cases, results and scorecard are written, the rest of the version (quarantine, run files,
	// kept partitions, run record) is not: a version that must never be published.
	runstate.Checkpoint(ctx, "load-partial")
	// The quarantine of each source that had rejected rows, and the result quarters that had no
	// rows, one by one: every begun quarter gets a file, even an empty one.
	parts, err := engine.QueryFile(ctx, r.Eng, "parts.sql", func(scan func(...any) error) (outPart, error) {
		var p outPart
		return p, scan(&p.Table, &p.A, &p.B)
	})
	if err != nil {
		return nil, err
	}
	for _, p := range parts {
		rel := p.rel(r.ID)
		if written[filepath.Dir(rel)] {
			continue
		}
		if err := r.Eng.SetVariable(ctx, "part_a", engine.Quote(p.A)); err != nil {
			return nil, err
		}
		if err := r.Eng.SetVariable(ctx, "part_b", engine.Quote(p.B)); err != nil {
			return nil, err
		}
		if err := r.writeQuery(ctx, v, "out_"+p.Table+"_part.sql", rel); err != nil {
			return nil, err
		}
		written[filepath.Dir(rel)] = true
	}
	return r.replacedParts(ctx, written)
}

// replacedParts adds to the folders written those this run replaces by leaving them empty: a
// cases partition every case moved out of must not be kept from the published version.
func (r *run) replacedParts(ctx context.Context, written map[string]bool) (map[string]bool, error) {
	replaced, err := engine.QueryFile(ctx, r.Eng, "replaced_parts.sql", func(scan func(...any) error) (string, error) {
		var rel string
		err := scan(&rel)
		return filepath.FromSlash(rel), err
	})
	for _, rel := range replaced {
		written[rel] = true
	}
	return written, err
}

// partitionedRowGroup is the rows of a row group in a partitioned write. DuckDB keeps an open
// row group for every partition being written (some fifty for the cases of ten years), so a
// quarter of its default of 122,880 rows keeps far less in memory at once: a full run of ten
// million cases peaked at 660 to 790 MiB rather than 910 to 930, its cases were written 4%
// faster, and the files are the same size and read as fast.
const partitionedRowGroup = 30720

// writePartitioned writes a table's rows of this run, partitioned by its keys, into the version.
func (r *run) writePartitioned(ctx context.Context, v *lake.Version, t lake.Spec, written map[string]bool) error {
	file, text, err := r.Eng.SQL("out_" + t.Name + ".sql")
	if err != nil {
		return err
	}
	dir := v.Path(t.Name)
	if err := v.Mkdir(dir); err != nil {
		return err
	}
	// Snappy: zstd's smaller files cost a third more time in a partitioned write.
	options := engine.ParquetOptions("", t.DictionaryLimit) // the cases' limit: lake.Specs says why
	copySQL := fmt.Sprintf("COPY (%s\n) TO %s (%s, ROW_GROUP_SIZE %d, PARTITION_BY (%s), FILENAME_PATTERN 'data', OVERWRITE_OR_IGNORE)",
		strings.TrimSpace(text), engine.Quote(dir), options, partitionedRowGroup, strings.Join(t.Keys, ", "))
	if err := r.Eng.Exec(ctx, copySQL); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	files, err := filepath.Glob(filepath.Join(dir, strings.Repeat("*/", len(t.Keys))+"*.parquet"))
	if err != nil {
		return err
	}
	files, err = singleFileNames(files)
	if err != nil {
		return err
	}
	defer engine.Timing("go: adopt "+t.Name, time.Now())
	rows, err := r.fileRows(ctx, files)
	if err != nil {
		return err
	}
	for _, path := range files {
		rel, err := filepath.Rel(v.Dir, path)
		if err != nil {
			return err
		}
		if err := v.Mkdir(filepath.Dir(path)); err != nil { // registers the folder for the fsync
			return err
		}
		written[filepath.Dir(rel)] = true
		r.flush.add(v, rel, rows[path])
	}
	return nil
}

// fileRows reads the rows of each of files, Parquet files just written, from their footers
// (file_rows.sql).
func (r *run) fileRows(ctx context.Context, files []string) (map[string]int64, error) {
	if len(files) == 0 {
		return nil, nil
	}
	if err := r.Eng.SetVariable(ctx, "written_files", engine.List(files)+"::VARCHAR[]"); err != nil {
		return nil, err
	}
	type fileCount struct {
		path string
		rows int64
	}
	counts, err := engine.QueryFile(ctx, r.Eng, "file_rows.sql", func(scan func(...any) error) (fileCount, error) {
		var c fileCount
		return c, scan(&c.path, &c.rows)
	})
	if err != nil {
		return nil, err
	}
	rows := make(map[string]int64, len(counts))
	for _, c := range counts {
		rows[c.path] = c.rows
	}
	for _, f := range files {
		if _, ok := rows[f]; !ok {
			return nil, fmt.Errorf("file_rows.sql: no footer read for %s", f)
		}
	}
	return rows, nil
}

// singleFileNames renames the only file of a partition folder to data.parquet, the name every
// other partition has; a partition DuckDB split into several files keeps their names.
func singleFileNames(files []string) ([]string, error) {
	perDir := map[string]int{}
	for _, f := range files {
		perDir[filepath.Dir(f)]++
	}
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = f
		if perDir[filepath.Dir(f)] == 1 && filepath.Base(f) != lake.PartitionFile {
			out[i] = filepath.Join(filepath.Dir(f), lake.PartitionFile)
			if err := os.Rename(f, out[i]); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// flushing makes the files a run writes durable and hashes them in the background, a few at a
// time: a first run writes a gigabyte, and the disk flushing one table's files overlaps DuckDB
// writing the next. The run record, which lists them, waits for all of them.
type flushing struct {
	g     errgroup.Group
	slots chan struct{}
	mu    sync.Mutex
	files []lake.OutputFile
}

// newFlushing flushes parallel files at a time (at least 1: the engine's threads).
func newFlushing(parallel int) *flushing {
	return &flushing{slots: make(chan struct{}, parallel)}
}

func (f *flushing) add(v *lake.Version, rel string, rows int64) {
	f.g.Go(func() error {
		f.slots <- struct{}{}
		defer func() { <-f.slots }()
		if err := lake.SyncFile(v.Path(rel)); err != nil {
			return err
		}
		out, err := v.Checksum(rel, rows)
		if err != nil {
			return err
		}
		f.mu.Lock()
		f.files = append(f.files, out)
		f.mu.Unlock()
		return nil
	})
}

// wait returns the files flushed, in the order of their paths.
func (f *flushing) wait() ([]lake.OutputFile, error) {
	err := f.g.Wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	slices.SortFunc(f.files, func(a, b lake.OutputFile) int { return strings.Compare(a.Path, b.Path) })
	return f.files, err
}

// writeRunFiles writes what belongs to this run alone: its restatements, the cases it removed,
// the forecast and at-risk cases as of its date (which replace the published ones) and the
// state.
func (r *run) writeRunFiles(ctx context.Context, v *lake.Version) error {
	defer engine.Timing("go: run files", time.Now())
	for _, t := range lake.Specs {
		for _, f := range t.Files {
			write := r.writeQuery
			if f.Dir == lake.RunIDKey {
				write = r.writeHistory
			}
			if err := write(ctx, v, f.SQL, t.FileRel(f, r.ID)); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeHistory writes a file of this run's own partition of a history table (restatements,
// removed cases) when it has rows (the quarantine's: parts.sql). Most runs have none, and every
// version holds every earlier run's partitions, each a folder to make, link, fsync (0.2 ms
// here) and later remove: after a year of nightly runs, their empty partitions made a run with
// nothing new take 0.54 s rather than 0.23 s. The views read a table without files as empty.
func (r *run) writeHistory(ctx context.Context, v *lake.Version, sqlFile, rel string) error {
	staged := filepath.Join(r.Staging, "history", rel)
	if err := os.MkdirAll(filepath.Dir(staged), 0o755); err != nil {
		return err
	}
	rows, err := r.Eng.CopyFile(ctx, sqlFile, staged, fileOptions)
	if err != nil {
		return err
	}
	if rows == 0 {
		return os.Remove(staged)
	}
	if err := v.Adopt(staged, rel); err != nil {
		return err
	}
	r.flush.add(v, rel, rows)
	return nil
}

// adoptLanding moves the run's raw landing from the staging folder into the version.
func (r *run) adoptLanding(v *lake.Version) error {
	for _, l := range r.Landed {
		for _, p := range l.Parts {
			rel, err := filepath.Rel(r.Staging, p.Path)
			if err != nil {
				return err
			}
			if err := v.Adopt(p.Path, rel); err != nil {
				return err
			}
			r.flush.add(v, rel, p.Rows)
		}
	}
	return nil
}

// fileOptions are the COPY options of a file a run writes whole.
const fileOptions = "FORMAT parquet, COMPRESSION zstd"

// writeQuery writes one embedded query's rows as a Parquet file of the version.
func (r *run) writeQuery(ctx context.Context, v *lake.Version, sqlFile, rel string) error {
	path, err := v.Prepare(rel)
	if err != nil {
		return err
	}
	rows, err := r.Eng.CopyFile(ctx, sqlFile, path, fileOptions)
	if err != nil {
		return err
	}
	r.flush.add(v, rel, rows)
	return nil
}

// keepPrevious hard-links what this run does not replace: history (raw landings within the
// retention, quarantines, restatements, runs), cases partitions no case moved in or out of,
// and, in a backfill, the scorecard and case_results partitions outside the window. A nightly
// run recomputes every period, so it keeps none of those.
func (r *run) keepPrevious(v *lake.Version, written map[string]bool) error {
	defer engine.Timing("go: keep previous", time.Now())
	now := r.Opts.Now()
	isWritten := func(rel string) bool { return written[filepath.Dir(rel)] }
	// Outputs outside what was recomputed stay, for the plans still configured.
	keepOutputs := r.Opts.Window != nil || r.Scoped
	planIDs := map[string]bool{}
	for _, p := range r.Opts.Plans {
		planIDs["plan="+p.ID] = true
	}
	replacedOutput := func(rel string) bool {
		return isWritten(rel) || !planIDs[strings.Split(filepath.ToSlash(rel), "/")[1]]
	}
	for _, t := range lake.Specs {
		var err error
		switch t.Keep {
		case lake.KeepRetained:
			err = v.KeepTable(t.Name, func(rel string) bool { return !r.Retained(runIDOf(rel), now) })
		case lake.KeepUnwritten:
			err = v.KeepTable(t.Name, isWritten)
		case lake.KeepUncomputed:
			if keepOutputs {
				err = v.KeepTable(t.Name, replacedOutput)
			}
		case lake.KeepHistory:
			err = v.KeepTable(t.Name, nil)
		}
		if err != nil {
			return fmt.Errorf("keeping %s: %w", t.Name, err)
		}
	}
	return nil
}

// runIDOf finds the run_id=... element of a partition path.
func runIDOf(rel string) string {
	for _, el := range strings.Split(filepath.ToSlash(rel), "/") {
		if id, ok := strings.CutPrefix(el, "run_id="); ok {
			return id
		}
	}
	return ""
}

// writeRecord writes the run's manifest row into the version.
func (r *run) writeRecord(ctx context.Context, v *lake.Version) error {
	r.Record.EndedAt = r.Opts.Now().UTC()
	return lake.WriteRunRecord(ctx, r.Eng, v, r.Record)
}

// publishFailure publishes the previous version again with the failed run's manifest row added:
// the content stays byte for byte as it was, and the failure is on record.
func (r *run) publishFailure(ctx context.Context) error {
	v, err := lake.NewVersion(r.Lake, r.ID, r.Prev)
	if err != nil {
		return err
	}
	for _, t := range lake.Tables {
		if err := v.KeepTable(t, nil); err != nil {
			return err
		}
	}
	r.Record.Outputs, r.Record.KeptRunID = nil, ""
	if err := r.writeRecord(ctx, v); err != nil {
		return err
	}
	return v.Commit()
}

// keepPublished fills a quiet run's version: every file of the published one, but the raw
// landings past their retention, as keepPrevious drops them.
func (r *run) keepPublished(v *lake.Version) error {
	now := r.Opts.Now()
	for _, t := range lake.Specs {
		var replaced func(rel string) bool
		if t.Keep == lake.KeepRetained {
			replaced = func(rel string) bool { return !r.Retained(runIDOf(rel), now) }
		}
		if err := v.KeepTable(t.Name, replaced); err != nil {
			return fmt.Errorf("keeping %s: %w", t.Name, err)
		}
	}
	return nil
}

// run is the run being loaded; the stage's steps are its methods.
type run struct {
	*runstate.Run
	flush *flushing // the files of the version being written
}

// Run writes and publishes the new version.
func Run(ctx context.Context, r *runstate.Run) error { return (&run{Run: r}).load(ctx) }

// PublishFailure publishes the previous version again with the failed run's record.
func PublishFailure(ctx context.Context, r *runstate.Run) error {
	return (&run{Run: r}).publishFailure(ctx)
}

// RepublishRecord publishes the current version again with the run's record replaced.
func RepublishRecord(ctx context.Context, r *runstate.Run) error {
	return (&run{Run: r}).republishRecord(ctx)
}

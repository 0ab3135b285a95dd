// Package curate is the second stage of a run: it parses and validates the landed rows of
// each dataset, quarantines the bad ones with a reason, and merges the good ones with the
// published cases and registers (SPEC §4, §9). It also guards against losing cases (shrink.go)
// and advances the SQL sources' watermarks once their rows are in.
package curate

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"scorecard/pipeline/engine"
	"scorecard/pipeline/lake"
	"scorecard/pipeline/ruleset"
	"scorecard/pipeline/runstate"
	"scorecard/sources"

	"golang.org/x/sync/errgroup"
)

// curate parses and validates the landed rows, quarantines the bad ones and merges the good
// ones into the lake's cases, and a register source's into its register (registers.go).
func (r *run) curate(ctx context.Context) error {
	fingerprint, err := ruleset.Load(ctx, r.Eng, r.Opts.Catalogue, r.Opts.Plans, r.Opts.AsOf, r.Opts.Window)
	if err != nil {
		return err
	}
	r.RecordRules(fingerprint)
	published, err := r.PreviousGlob(lake.TableCases)
	if err != nil {
		return err
	}
	bounds := readBounds(ctx, published, r.Eng.Threads)
	defer bounds() // no read outlives a curation that failed before the merge waited for them
	if err := r.setLandedTimes(ctx); err != nil {
		return err
	}
	if _, err := r.createLandedView(ctx, sources.Cases, "raw", "raw_none.sql"); err != nil {
		return err
	}
	if err := r.setCaseTypeMap(ctx); err != nil {
		return err
	}
	if err := r.Eng.RunFile(ctx, "curate.sql"); err != nil {
		return err
	}
	if err := r.parse(ctx); err != nil {
		return err
	}
	if err := r.mergeCases(ctx, published, bounds); err != nil {
		return err
	}
	if err := r.checkShrink(ctx); err != nil {
		return err
	}
	if err := r.curateRegisters(ctx); err != nil {
		return err
	}
	if err := r.advanceWatermarks(ctx); err != nil {
		return err
	}
	if err := r.countRows(ctx); err != nil {
		return err
	}
	for _, rc := range r.Record.Quarantine {
		r.Log.Warn().Str(runstate.FieldReason, rc.Reason).Int64(runstate.FieldRows, rc.Rows).Msg("rows quarantined")
	}
	return r.checkQuarantineLimit(ctx)
}

// landedSelect reads raw landing files, grouped by their first row, as one query.
func landedSelect(byFirstRow map[int64][]string) string {
	var selects []string
	for _, first := range slices.Sorted(maps.Keys(byFirstRow)) {
		sourceRow := ""
		if first != 0 {
			sourceRow = fmt.Sprintf(", file_row_number + %d AS source_row", first)
		}
		selects = append(selects, fmt.Sprintf(`SELECT *%s FROM read_parquet(%s,
		hive_partitioning = true, hive_types = {'source': VARCHAR, 'run_id': VARCHAR})`, sourceRow, engine.List(byFirstRow[first])))
	}
	return strings.Join(selects, "\nUNION ALL BY NAME\n")
}

// setCaseTypeMap hands case_types.sql every source's `case_types:` map, as one map keyed by
// source and value.
func (r *run) setCaseTypeMap(ctx context.Context) error {
	var entries []string
	for _, sc := range r.Opts.Config.Sources {
		for _, value := range slices.Sorted(maps.Keys(sc.CaseTypes)) {
			key := sc.Name + "\x1f" + strings.TrimSpace(value)
			entries = append(entries, engine.Quote(key)+": "+engine.Quote(sc.CaseTypes[value]))
		}
	}
	if err := r.Eng.SetVariable(ctx, "case_type_map", "MAP {"+strings.Join(entries, ", ")+"}::MAP(VARCHAR, VARCHAR)"); err != nil {
		return err
	}
	return r.Eng.RunFile(ctx, "case_types.sql")
}

// setLandedTimes hands curate.sql each landed source's extraction time: a source lands all its
// files with one (stageSource), so it is looked up by the source rather than kept in every
// parsed row.
func (r *run) setLandedTimes(ctx context.Context) error {
	names, times := []string{}, []string{}
	for _, l := range r.Landed {
		names = append(names, l.Source)
		times = append(times, engine.Instant(l.ExtractedAt))
	}
	if err := r.Eng.SetVariable(ctx, "landed_time_sources", engine.List(names)+"::VARCHAR[]"); err != nil {
		return err
	}
	return r.Eng.SetVariable(ctx, "landed_times", engine.List(times)+"::TIMESTAMPTZ[]")
}

// mergeCases merges this run's rows into the published cases files (none in a first run, whose
// rows simply are the cases); bounds waits for what readBounds reads of their footers.
func (r *run) mergeCases(ctx context.Context, files []string, bounds func() ([]lake.TextBounds, error)) error {
	steps := []string{"merge_first.sql"}
	r.MergedPublished = len(files) > 0
	if len(files) > 0 {
		if err := r.Eng.SetVariable(ctx, "previous_cases", engine.List(files)); err != nil {
			return err
		}
		if err := r.caseFileBounds(ctx, files, bounds); err != nil {
			return err
		}
		steps = []string{"previous_cases.sql", "merge.sql"}
		if len(r.Rebuilt) > 0 {
			steps = []string{"previous_cases.sql", "previous_rebuilt.sql", "merge.sql", "merge_rebuilt.sql"}
		}
		if slices.ContainsFunc(files, isUndecidedPart) {
			steps = append(steps, "merge_undecided.sql")
		}
		steps = append(steps, "touched_parts.sql")
	}
	steps = append(steps, "case_parts.sql")
	for _, f := range steps {
		if err := r.Eng.RunFile(ctx, f); err != nil {
			return err
		}
	}
	return nil
}

// isUndecidedPart says whether a published cases file is of the partition that held every open
// case before they were partitioned by the year of their submission.
func isUndecidedPart(file string) bool {
	return filepath.Base(filepath.Dir(file)) == "decided_quarter=undecided"
}

// readBounds starts reading the case_id bounds and the rows of the published cases files from
// their footers, a few at a time, and returns what waits for them. They are read while DuckDB
// parses this run's rows, which in a nightly run keeps one thread busy and leaves the others
// idle: 10 to 15 ms for the fifty files of ten million cases, off the run's time. The function
// it returns may be called more than once.
func readBounds(ctx context.Context, files []string, threads int) func() ([]lake.TextBounds, error) {
	bounds := make([]lake.TextBounds, len(files))
	done := make(chan error, 1)
	go func() {
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(threads)
		for i, f := range files {
			g.Go(func() error {
				if err := gctx.Err(); err != nil {
					return err
				}
				b, err := lake.ReadTextBounds(f, "case_id")
				bounds[i] = b
				return err
			})
		}
		done <- g.Wait()
	}()
	return sync.OnceValues(func() ([]lake.TextBounds, error) { return bounds, <-done })
}

// caseFileBounds fills case_file_bounds with the case_id bounds of the published cases files,
// and previous_cases_count with their rows, as readBounds read them from their footers: a
// filter on the ids' range made DuckDB compare every published id with it (50 ms at ten
// million cases).
func (r *run) caseFileBounds(ctx context.Context, files []string, read func() ([]lake.TextBounds, error)) error {
	defer engine.Timing("go: case file bounds", time.Now())
	if err := r.Eng.RunFile(ctx, "case_file_bounds.sql"); err != nil {
		return err
	}
	bounds, err := read()
	if err != nil {
		return err
	}
	var rows [][]any
	var published int64
	for i, b := range bounds {
		if b.Known {
			rows = append(rows, []any{files[i], b.Min, b.Max})
		}
		published += b.Rows
	}
	// The published cases counted from the same footers: counting them through read_parquet
	// opened every file again (30 ms of a nightly run at ten million cases).
	if err := r.Eng.SetVariable(ctx, "previous_cases_count", fmt.Sprint(published)); err != nil {
		return err
	}
	return ruleset.InsertRows(ctx, r.Eng, "case_file_bounds", "(?, ?, ?)", rows)
}

// countRows fills the per-source and per-reason counts of the manifest.
func (r *run) countRows(ctx context.Context) error {
	counts, err := engine.QueryFile(ctx, r.Eng, "counts.sql", func(scan func(...any) error) (lake.SourceCount, error) {
		var c lake.SourceCount
		return c, scan(&c.Source, &c.RowsQuarantined, &c.RowsWritten)
	})
	if err != nil {
		return err
	}
	for i := range r.Record.Sources {
		for _, c := range counts {
			if s := &r.Record.Sources[i]; c.Source == s.Source {
				s.RowsQuarantined, s.RowsWritten = c.RowsQuarantined, c.RowsWritten
			}
		}
	}
	r.Record.Quarantine, err = engine.QueryFile(ctx, r.Eng, "reason_counts.sql", func(scan func(...any) error) (lake.ReasonCount, error) {
		var c lake.ReasonCount
		return c, scan(&c.Reason, &c.Rows)
	})
	if err != nil {
		return err
	}
	r.Summary.Cases, err = r.Eng.Count(ctx, "SELECT getvariable('cases_count')")
	return err
}

// checkQuarantineLimit fails the run when a source quarantined more than max_quarantine_pct of
// the rows it read: an export that broken should be looked at before it moves a scorecard.
func (r *run) checkQuarantineLimit(ctx context.Context) error {
	limit := r.Opts.Config.QuarantineLimitPct()
	var over []string
	for _, s := range r.Record.Sources {
		if s.RowsRead == 0 || float64(s.RowsQuarantined)*100 <= limit*float64(s.RowsRead) {
			continue
		}
		top, err := engine.QueryFile(ctx, r.Eng, "top_reasons.sql", func(scan func(...any) error) (string, error) {
			var reason string
			var n int64
			err := scan(&reason, &n)
			return fmt.Sprintf("%s %d", reason, n), err
		}, s.Source)
		if err != nil {
			return err
		}
		over = append(over, fmt.Sprintf("source %s quarantined %d of %d rows (%.1f%%; top reasons: %s)",
			s.Source, s.RowsQuarantined, s.RowsRead, 100*float64(s.RowsQuarantined)/float64(s.RowsRead), strings.Join(top, ", ")))
	}
	if len(over) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s; the limit is max_quarantine_pct %g", ErrTooManyBadRows, strings.Join(over, "; "), limit)
}

// ErrTooManyBadRows fails a run whose sources quarantined more than max_quarantine_pct.
var ErrTooManyBadRows = errors.New("too many quarantined rows")

// ErrShrink fails a run that would remove more than max_shrink_pct of a source's published
// cases, unless it runs with --allow-shrink.
var ErrShrink = errors.New("too many cases would leave the lake")

// run is the run being curated; the stage's steps are its methods.
type run struct{ *runstate.Run }

// Run curates the landed rows into the cases and registers of the new version.
func Run(ctx context.Context, r *runstate.Run) error { return (&run{r}).curate(ctx) }

package pipeline

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"scorecard/pipeline/engine"
	"scorecard/pipeline/lake"

	"scorecard/sources"
)

// stage extracts every source into the raw landing of the run's staging folder. A file source
// lands only the files it has not landed before, or that changed since.
func (r *run) stage(ctx context.Context) error {
	if err := r.loadLandedFiles(ctx); err != nil {
		return err
	}
	if err := r.loadWatermarks(ctx); err != nil {
		return err
	}
	cfg := r.opts.Config
	for _, sc := range cfg.Sources {
		spec := cfg.SourceSpec(sc)
		spec.Allocator = r.opts.Allocator
		count := lake.SourceCount{Source: sc.Name, Kind: sc.Kind}
		var files []landedFile
		// An SQL source read whole (not incremental, not a backfill's window) is a snapshot:
		// its cases are replaced by what it returns now, so a row deleted from the table leaves
		// the lake (within max_shrink_pct). An incremental one is a delta.
		rebuilt := sc.IsSQL() && sc.ReadWhole() && r.opts.Window == nil
		if sc.IsSQL() {
			var err error
			if spec, err = r.sqlSpec(ctx, sc, spec); err != nil {
				return fmt.Errorf("source %s: %w", sc.Name, err)
			}
		}
		if spec.Path != "" {
			found, err := r.filesToLand(ctx, sc, spec)
			if err != nil {
				return fmt.Errorf("source %s: %w", sc.Name, err)
			}
			files, rebuilt = found.land, found.rebuilt
			r.noteFileChanges(sc, found)
			count.FilesLanded = int64(len(files))
			if len(files) == 0 && !rebuilt {
				r.record.Sources = append(r.record.Sources, count)
				r.log.Info().Str(FieldSource, sc.Name).Msg("no new files")
				continue
			}
			spec.Files = make([]string, len(files))
			for i, f := range files {
				spec.Files[i] = f.Path
			}
		}
		if rebuilt {
			r.rebuilt = append(r.rebuilt, sc.Name)
		}
		if len(files) == 0 && spec.Path != "" { // a snapshot source whose files are all gone
			if err := r.recordLanded(ctx, sc.Name, true, nil, time.Now()); err != nil {
				return err
			}
			r.record.Sources = append(r.record.Sources, count)
			r.log.Warn().Str(FieldSource, sc.Name).Msg("snapshot source has no files: all its cases would leave")
			continue
		}
		spec.Name, spec.Kind = sc.Name, sc.Kind
		dir := filepath.Join(r.staging, lake.TableRaw, "source="+sc.Name, "run_id="+r.id)
		// The files' sha256, for the landed-files state, is taken while they land, so the
		// landing does not wait for a first run to read a gigabyte.
		hashed := make(chan error, 1)
		go func() { hashed <- r.hashFiles(ctx, files, make([]bool, len(files))) }()
		got, err := r.stageSource(ctx, spec, dir)
		if herr := <-hashed; err == nil && herr != nil {
			err = herr
		}
		if err != nil {
			return fmt.Errorf("source %s: %w", sc.Name, err)
		}
		// An SQL source read whole lands its table as one "file": the quarantine view then
		// shows the rows its latest landing rejected, not those of every run.
		landedNow := files
		if sc.IsSQL() && rebuilt {
			landedNow = []landedFile{{Source: sc.Name, Path: sources.SQLSourceFile(spec), Size: got.Rows, ModTime: got.ExtractedAt}}
		}
		// A backfill merges only its window's rows of the files it lands, so it leaves them
		// unrecorded: the next nightly run lands them whole.
		if r.opts.Window == nil {
			if err := r.recordLanded(ctx, sc.Name, rebuilt, landedNow, got.ExtractedAt); err != nil {
				return err
			}
		}
		if rebuilt {
			r.log.Info().Str(FieldSource, sc.Name).Msg("source rebuilt: its cases are replaced by what it holds now")
		}
		count.RowsRead = got.Rows
		r.record.Sources = append(r.record.Sources, count)
		r.landed = append(r.landed, got)
		r.log.Info().Str(FieldSource, sc.Name).Int64(FieldRows, got.Rows).Int("files", len(files)).Msg("source landed")
	}
	return r.eng.SetVariable(ctx, "rebuilt_sources", engine.List(r.rebuilt)+"::VARCHAR[]")
}

// curate parses and validates the landed rows, quarantines the bad ones and merges the good
// ones into the lake's cases, and a register source's into its register (registers.go).
func (r *run) curate(ctx context.Context) error {
	fingerprint, err := loadRules(ctx, r.eng, r.opts.Catalogue, r.opts.Plans, r.opts.AsOf, r.opts.Window)
	if err != nil {
		return err
	}
	r.recordRules(fingerprint)
	if err := r.setLandedTimes(ctx); err != nil {
		return err
	}
	if err := r.createLandedView(ctx, sources.Cases, "raw", "raw_none.sql"); err != nil {
		return err
	}
	if err := r.setCaseTypeMap(ctx); err != nil {
		return err
	}
	if err := r.eng.RunFile(ctx, "curate.sql"); err != nil {
		return err
	}
	if err := r.mergeCases(ctx); err != nil {
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
	for _, rc := range r.record.Quarantine {
		r.log.Warn().Str(FieldReason, rc.Reason).Int64(FieldRows, rc.Rows).Msg("rows quarantined")
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
	for _, sc := range r.opts.Config.Sources {
		for _, value := range slices.Sorted(maps.Keys(sc.CaseTypes)) {
			key := sc.Name + "\x1f" + strings.TrimSpace(value)
			entries = append(entries, engine.Quote(key)+": "+engine.Quote(sc.CaseTypes[value]))
		}
	}
	if err := r.eng.SetVariable(ctx, "case_type_map", "MAP {"+strings.Join(entries, ", ")+"}::MAP(VARCHAR, VARCHAR)"); err != nil {
		return err
	}
	return r.eng.RunFile(ctx, "case_types.sql")
}

// setLandedTimes hands curate.sql each landed source's extraction time: a source lands all its
// files with one (stageSource), so it is looked up by the source rather than kept in every
// parsed row.
func (r *run) setLandedTimes(ctx context.Context) error {
	names, times := []string{}, []string{}
	for _, l := range r.landed {
		names = append(names, l.Source)
		times = append(times, engine.Instant(l.ExtractedAt))
	}
	if err := r.eng.SetVariable(ctx, "landed_time_sources", engine.List(names)+"::VARCHAR[]"); err != nil {
		return err
	}
	return r.eng.SetVariable(ctx, "landed_times", engine.List(times)+"::TIMESTAMPTZ[]")
}

// mergeCases merges this run's rows into the published cases (the first run's rows simply
// are the cases).
func (r *run) mergeCases(ctx context.Context) error {
	files, err := r.previousGlob(lake.TableCases)
	if err != nil {
		return err
	}
	steps := []string{"merge_first.sql"}
	r.mergedPublished = len(files) > 0
	if len(files) > 0 {
		if err := r.eng.SetVariable(ctx, "previous_cases", engine.List(files)); err != nil {
			return err
		}
		steps = []string{"previous_cases.sql", "merge.sql"}
		if len(r.rebuilt) > 0 {
			steps = []string{"previous_cases.sql", "previous_rebuilt.sql", "merge.sql", "merge_rebuilt.sql"}
		}
		steps = append(steps, "touched_parts.sql")
	}
	steps = append(steps, "case_parts.sql")
	for _, f := range steps {
		if err := r.eng.RunFile(ctx, f); err != nil {
			return err
		}
	}
	return nil
}

// previousGlob lists the data files of a table in the published version.
func (r *run) previousGlob(table string) ([]string, error) {
	if r.prev == "" {
		return nil, nil
	}
	var out []string
	for _, pattern := range []string{"*/*.parquet", "*/*/*.parquet"} {
		m, err := filepath.Glob(filepath.Join(r.prev, table, pattern))
		if err != nil {
			return nil, err
		}
		out = append(out, m...)
	}
	return out, nil
}

// countRows fills the per-source and per-reason counts of the manifest.
func (r *run) countRows(ctx context.Context) error {
	counts, err := engine.QueryFile(ctx, r.eng, "counts.sql", func(scan func(...any) error) (lake.SourceCount, error) {
		var c lake.SourceCount
		return c, scan(&c.Source, &c.RowsQuarantined, &c.RowsWritten)
	})
	if err != nil {
		return err
	}
	for i := range r.record.Sources {
		for _, c := range counts {
			if s := &r.record.Sources[i]; c.Source == s.Source {
				s.RowsQuarantined, s.RowsWritten = c.RowsQuarantined, c.RowsWritten
			}
		}
	}
	r.record.Quarantine, err = engine.QueryFile(ctx, r.eng, "reason_counts.sql", func(scan func(...any) error) (lake.ReasonCount, error) {
		var c lake.ReasonCount
		return c, scan(&c.Reason, &c.Rows)
	})
	if err != nil {
		return err
	}
	r.summary.Cases, err = r.eng.Count(ctx, "SELECT getvariable('cases_count')")
	return err
}

// checkQuarantineLimit fails the run when a source quarantined more than max_quarantine_pct of
// the rows it read: an export that broken should be looked at before it moves a scorecard.
func (r *run) checkQuarantineLimit(ctx context.Context) error {
	limit := r.opts.Config.QuarantineLimitPct()
	var over []string
	for _, s := range r.record.Sources {
		if s.RowsRead == 0 || float64(s.RowsQuarantined)*100 <= limit*float64(s.RowsRead) {
			continue
		}
		top, err := engine.QueryFile(ctx, r.eng, "top_reasons.sql", func(scan func(...any) error) (string, error) {
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

// compute builds case_results and the scorecard of the periods this run writes, and what they
// restate.
func (r *run) compute(ctx context.Context) error {
	published, err := r.loadPreviousOutputs(ctx)
	if err != nil {
		return err
	}
	if published && r.opts.Window == nil && !r.opts.Full {
		if err := r.eng.SetVariable(ctx, "rules_changed", strconv.FormatBool(r.rulesChanged)); err != nil {
			return err
		}
		if err := r.eng.RunFile(ctx, "compute_scope.sql"); err != nil {
			return err
		}
		var full bool
		if err := r.eng.Conn.QueryRowContext(ctx, "SELECT getvariable('full_compute')").Scan(&full); err != nil {
			return err
		}
		r.scoped = !full // a full recompute keeps no published period
	}
	if err := r.eng.SetVariable(ctx, "scoped", strconv.FormatBool(r.scoped)); err != nil {
		return err
	}
	for _, f := range []string{"target_selection.sql", "case_results.sql", "scorecard.sql"} {
		if err := r.eng.RunFile(ctx, f); err != nil {
			return err
		}
	}
	if !published {
		if err := r.eng.RunFile(ctx, "previous_outputs_none.sql"); err != nil {
			return err
		}
	}
	if err := r.eng.RunFile(ctx, "restatements.sql"); err != nil {
		return err
	}
	n, err := r.eng.Count(ctx, "SELECT count(*) FROM restatements")
	if err != nil {
		return err
	}
	r.record.Restatements = n
	if n > 0 {
		r.log.Warn().Int64(FieldRows, n).Msg("scorecard rows restated")
	}
	totals, err := planTotals(ctx, r.eng)
	if err != nil {
		return err
	}
	r.summary.Totals = totals
	for _, t := range totals {
		r.log.Info().Str(FieldPlan, t.Plan).Str(FieldPeriod, t.Period).Float64("points", t.Points).
			Float64("max_points", t.MaxPoints).Msg("plan computed")
	}
	if err := r.computeAtRisk(ctx); err != nil {
		return err
	}
	if err := r.computeMilestones(ctx); err != nil {
		return err
	}
	if err := r.computeRequirements(ctx); err != nil {
		return err
	}
	return r.computeForecast(ctx)
}

// loadPreviousOutputs reads the published scorecard and case results, when there are any (and
// the published cases exist to compare changes with).
func (r *run) loadPreviousOutputs(ctx context.Context) (bool, error) {
	var files [3][]string
	for i, t := range []string{lake.TableScorecard, lake.TableCaseResults, lake.TableCases} {
		var err error
		if files[i], err = r.previousGlob(t); err != nil {
			return false, err
		}
	}
	if len(files[0]) == 0 || len(files[1]) == 0 || len(files[2]) == 0 {
		return false, nil
	}
	if err := r.eng.SetVariable(ctx, "previous_scorecard", engine.List(files[0])); err != nil {
		return false, err
	}
	if err := r.eng.SetVariable(ctx, "previous_results", engine.List(files[1])); err != nil {
		return false, err
	}
	return true, r.eng.RunFile(ctx, "previous_outputs.sql")
}

// retained reports whether a raw landing partition of runID is young enough to keep.
func (r *run) retained(runID string, now time.Time) bool {
	t, err := time.Parse("20060102T150405Z", strings.SplitN(runID, "-", 2)[0])
	if err != nil {
		return true
	}
	return now.Sub(t) <= time.Duration(r.opts.Config.RetentionDays())*24*time.Hour
}

package pipeline

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"scorecard/pipeline/compute"
	"scorecard/pipeline/curate"
	"scorecard/pipeline/engine"
	"scorecard/pipeline/lake"
	"scorecard/pipeline/load"
	"scorecard/pipeline/loaders"
	"scorecard/pipeline/period"
	"scorecard/pipeline/ruleset"
	"scorecard/pipeline/runstate"
	"scorecard/pipeline/session"
	"scorecard/pipeline/stage"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"scorecard/rules"
)

// Version is the software version recorded in every run; set at build time with -ldflags.
var Version = "dev"

//go:embed sql
var sqlFiles embed.FS

// stageSQL are the .sql files of a run: the stages' and the run's own (sql/previous_run.sql).
var stageSQL = []engine.Files{
	{Dir: "pipeline", FS: sqlFiles}, ruleset.SQL, stage.SQL, curate.SQL, compute.SQL, load.SQL, loaders.SQL,
}

// Run modes, as the manifest records them.
const (
	ModeRun      = "run"
	ModeBackfill = "backfill"
)

// run is the run in progress; the steps around the stages are its methods.
type run struct{ *runstate.Run }

// step is a stage as a step of r.
func (r *run) step(stage func(context.Context, *runstate.Run) error) func(context.Context) error {
	return func(ctx context.Context) error { return stage(ctx, r.Run) }
}

// Run extracts, curates, computes and publishes a new version of the lake. A run that fails
// publishes nothing but its manifest row, which says why.
func Run(ctx context.Context, opts runstate.Options) (*runstate.Summary, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Allocator == nil {
		opts.Allocator = memory.DefaultAllocator
	}
	if opts.Progress == nil {
		opts.Progress = runstate.NoProgress{}
	}
	started := opts.Now()
	r := &run{&runstate.Run{Opts: opts, ID: NewRunID(started), Lake: lake.Lake{Dir: opts.Config.LakeDir()}}}
	r.Log = opts.Log.With().Str(runstate.FieldRunID, r.ID).Logger()
	r.Staging = r.Lake.StagingDir(r.ID)
	r.Record = lake.RunRecord{
		RunID: r.ID, Command: opts.Command, Mode: ModeRun, AsOf: opts.AsOf.Format(period.DateLayout),
		StartedAt: started.UTC(), Version: Version, Timezone: opts.Config.Timezone, Plans: planFiles(opts.Plans),
	}
	if opts.Window != nil {
		r.Record.Mode, r.Record.Window = ModeBackfill, opts.Window.String()
	}
	if err := r.acquire(ctx); err != nil {
		return nil, err
	}
	defer r.Lock.Release()
	r.Log.Info().Str("mode", r.Record.Mode).Str("as_of", r.Record.AsOf).Str(runstate.FieldPath, r.Lake.Dir).Msg("run started")
	err := r.execute(ctx, started)
	if err != nil && ctx.Err() != nil {
		// Stopped (SIGTERM from systemd, Ctrl-C): say so, with the signal when the context has it.
		if cause := context.Cause(ctx); cause != nil && !errors.Is(err, cause) {
			err = fmt.Errorf("stopped (%v): %w", cause, err)
		}
	}
	// The failure is recorded even when the run was stopped: a cancelled context would
	// refuse the statements that write the run's row.
	r.finish(context.WithoutCancel(ctx), err)
	if err != nil {
		return nil, &RunError{RunID: r.ID, Err: err}
	}
	return &r.Summary, nil
}

// acquire takes the lake lock; a lock left by a dead run is taken over with a warning.
func (r *run) acquire(ctx context.Context) error {
	host, _ := os.Hostname()
	lock, stale, err := lake.AcquireLock(r.Lake.Dir, lake.LockInfo{
		PID: os.Getpid(), Host: host, Command: r.Opts.Command, RunID: r.ID, Started: r.Record.StartedAt,
	})
	if err != nil {
		return err
	}
	r.Lock = lock
	r.Lake.Lock = lock // checked before publishing and pruning
	if stale != nil {
		r.Log.Warn().Int("pid", stale.PID).Str("host", stale.Host).Str("stale_run_id", stale.RunID).
			Str("command", stale.Command).Time("started", stale.Started).
			Msg("took over the lake lock of a run that died; its unpublished work is discarded")
	}
	runstate.Checkpoint(ctx, "lock")
	return nil
}

func (r *run) execute(ctx context.Context, started time.Time) error {
	prev, err := r.Lake.Current()
	if err != nil {
		return err
	}
	if err := r.Lake.CheckLayout(); err != nil {
		return err
	}
	r.Prev = prev
	if err := os.MkdirAll(r.Staging, 0o755); err != nil {
		return fmt.Errorf("creating staging folder: %w", err)
	}
	opened := time.Now()
	eng, err := session.OpenWithoutMacros(ctx, r.Opts.Config.DuckDB, filepath.Join(r.Staging, "duckdb_tmp"), stageSQL...)
	engine.Timing("go: open duckdb", opened)
	if err != nil {
		return err
	}
	r.Eng = eng
	if err := r.setVariables(ctx, started); err != nil {
		return err
	}
	if err := r.readPublishedRun(ctx); err != nil {
		return err
	}
	steps := []struct {
		name     string
		fn       func(context.Context) error
		computes bool // skipped by a quiet run (quiet.go)
	}{
		{"stage", r.stageThenCheckQuiet, false}, {"curate", r.step(curate.Run), true}, {"compute", r.step(compute.Run), true},
		{"load", r.step(load.Run), false}, {"outputs", r.step(loaders.Run), false},
	}
	macros := false
	for _, s := range steps {
		if s.computes && r.Quiet {
			continue
		}
		if s.computes && !macros { // (the stage does without them, a quiet run altogether)
			if err := session.ZoneOffsets(ctx, r.Eng); err != nil {
				return err
			}
			if err := session.Macros(ctx, r.Eng); err != nil {
				return err
			}
			macros = true
		}
		t0 := time.Now()
		r.Opts.Progress.Stage(s.name)
		if err := s.fn(ctx); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		r.Log.Info().Str(runstate.FieldStage, s.name).Dur(runstate.FieldDuration, time.Since(t0)).Msg("stage done")
		runstate.Checkpoint(ctx, s.name)
	}
	return nil
}

func (r *run) setVariables(ctx context.Context, started time.Time) error {
	cfg := r.Opts.Config
	names := make([]string, len(cfg.Sources))
	for i, s := range cfg.Sources {
		names[i] = s.Name
	}
	if err := r.fingerprintInputs(); err != nil {
		return err
	}
	inputs := "NULL::VARCHAR" // a backfill: its version mixes figures of two as-of dates
	if r.Opts.Window == nil {
		inputs = engine.Quote(r.Inputs)
	}
	windowFrom, windowTo := "NULL::DATE", "NULL::DATE"
	if w := r.Opts.Window; w != nil {
		windowFrom, windowTo = "DATE "+engine.Quote(w.From.Format(period.DateLayout)), "DATE "+engine.Quote(w.To.Format(period.DateLayout))
	}
	vars := [][2]string{
		{"run_date", "DATE " + engine.Quote(period.LocalDate(started, cfg.Location).Format(period.DateLayout))},
		{"as_of", "DATE " + engine.Quote(r.Opts.AsOf.Format(period.DateLayout))},
		{"at_risk_days", strconv.Itoa(cfg.AtRiskWithin())},
		{"run_id", engine.Quote(r.ID)},
		{"computed_at", "TIMESTAMPTZ " + engine.Quote(engine.Instant(started))},
		{"sources", engine.List(names) + "::VARCHAR[]"},
		{"window_from", windowFrom},
		{"window_to", windowTo},
		{"inputs_fingerprint", inputs},
	}
	for _, v := range vars {
		if err := r.Eng.SetVariable(ctx, v[0], v[1]); err != nil {
			return err
		}
	}
	return session.SetZone(ctx, r.Eng, cfg.Timezone)
}

// readPublishedRun reads the time zone and rules fingerprint the published figures were made
// with, and rebuilds everything when the configured time zone is not the one the published
// cases were dated in: every local date would change.
func (r *run) readPublishedRun(ctx context.Context) error {
	if r.Prev == "" {
		return nil
	}
	files, err := filepath.Glob(filepath.Join(r.Prev, lake.TableRuns, "*.parquet"))
	if err != nil || len(files) == 0 {
		return err
	}
	// A version holds a file for every run there has been, and the last run that succeeded is
	// nearly always among the newest: those are read first, all of them only when none of those
	// succeeded. (Reading them all made every run slower by the day: 120 to 180 ms at 150 runs.)
	newest := lake.NewestRunFiles(files, newestRuns)
	runs, err := r.publishedRuns(ctx, newest)
	if err == nil && len(runs) == 0 && len(newest) < len(files) {
		runs, err = r.publishedRuns(ctx, files)
	}
	if err != nil || len(runs) == 0 {
		return err
	}
	r.PublishedRules = runs[0].rules
	if r.Opts.Full || r.Opts.Window != nil || runs[0].zone == r.Opts.Config.Timezone {
		return nil
	}
	r.Log.Warn().Str("published_timezone", runs[0].zone).Str("timezone", r.Opts.Config.Timezone).
		Msg("the time zone changed: every source is read again and every period recomputed")
	r.Opts.Full = true
	return nil
}

// newestRuns is how many of the newest run files readPublishedRun reads first.
var newestRuns = 8

// publishedRun is the time zone and rules fingerprint of the last run that succeeded.
type publishedRun struct{ zone, rules string }

// publishedRuns reads the last run that succeeded among the run files (previous_run.sql).
func (r *run) publishedRuns(ctx context.Context, files []string) ([]publishedRun, error) {
	if err := r.Eng.SetVariable(ctx, "previous_runs", engine.List(files)); err != nil {
		return nil, err
	}
	return engine.QueryFile(ctx, r.Eng, "previous_run.sql", func(scan func(...any) error) (publishedRun, error) {
		var zone string
		var rules sql.NullString
		err := scan(&zone, &rules)
		return publishedRun{zone, rules.String}, err
	})
}

// finish records a failed run in the manifest (publishing the previous content again, with the
// failure on record), then cleans up old versions and staging folders.
func (r *run) finish(ctx context.Context, runErr error) {
	if runErr != nil {
		r.Record.Status, r.Record.Error = lake.StatusFailed, runErr.Error()
		var err error
		switch {
		case r.Published && !r.FailureRecorded:
			// Published, then failed before its outputs were all written (the outputs could not
			// read the lake, or the run was stopped): the record says so, as the exit code does.
			err = load.RepublishRecord(ctx, r.Run)
		case r.Eng != nil && !r.Published && !errors.Is(runErr, lake.ErrLayout):
			err = load.PublishFailure(ctx, r.Run)
		}
		if err != nil {
			r.Log.Error().Err(err).Msg("recording the failed run")
		}
	}
	// Older versions are removed while DuckDB closes (handing its memory back takes 10 to 40
	// ms), this run's own folders after it: DuckDB spills into the run's staging folder.
	cur, err := r.Lake.Current()
	prune := err == nil && cur != ""
	pruned := make(chan error, 1)
	if prune {
		go func() { pruned <- r.Lake.PruneOthers(cur, r.Prev, r.ID) }()
	}
	if r.Eng != nil {
		closing := time.Now()
		r.Eng.Close()
		engine.Timing("go: close duckdb", closing)
	}
	defer engine.Timing("go: close and prune", time.Now())
	if prune {
		if err := errors.Join(<-pruned, r.Lake.Prune(cur, r.Prev, r.ID)); err != nil {
			r.Log.Warn().Err(err).Msg("removing old versions")
		}
	}
	// Not the error: Run returns it and the caller logs it once (the command line's last line,
	// with the run_id), so that one failure is one error line, not two alerts.
	r.Log.Info().Str("status", r.Record.Status).Dur(runstate.FieldDuration, r.Opts.Now().Sub(r.Record.StartedAt)).Msg("run finished")
}

// NewRunID makes a sortable, unique run id: the UTC start time and random bits.
func NewRunID(t time.Time) string {
	var b [3]byte
	_, _ = rand.Read(b[:])
	return t.UTC().Format(lake.RunIDTime) + "-" + hex.EncodeToString(b[:])
}

func planFiles(plans []*rules.Plan) []lake.PlanFile {
	out := make([]lake.PlanFile, len(plans))
	for i, p := range plans {
		out[i] = lake.PlanFile{Plan: p.ID, Source: p.Source, SHA256: p.SHA256}
	}
	return out
}

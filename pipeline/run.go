package pipeline

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"scorecard/pipeline/engine"
	"scorecard/pipeline/lake"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/rs/zerolog"

	"scorecard/rules"
	"scorecard/sources"
)

// Version is the software version recorded in every run; set at build time with -ldflags.
var Version = "dev"

// Run modes, as the manifest records them.
const (
	ModeRun      = "run"
	ModeBackfill = "backfill"
)

// Options are the inputs of one run.
type Options struct {
	Config    *Config
	Plans     []*rules.Plan
	Catalogue *rules.Catalogue
	Sources   *sources.Registry
	AsOf      time.Time // a date at UTC midnight; decisions after it count as pending
	// Window makes the run a backfill: cases decided in it are re-extracted from every file,
	// and only the scorecard and case_results partitions it touches are recomputed.
	Window *Window
	// Full lands every file again, as if nothing had been landed before (a snapshot source
	// is rebuilt from its files; a delta source merges them).
	Full bool
	// AllowShrink accepts a run that removes more than max_shrink_pct of a source's cases.
	AllowShrink bool
	Command     string // the command line, for the manifest
	Log         zerolog.Logger
	Progress    Progress         // nil = none
	Allocator   memory.Allocator // nil = memory.DefaultAllocator
	// Now is the clock; nil = time.Now. The run's local date is the bound for future_date.
	Now func() time.Time
}

// Summary is what a run reports when it is done.
type Summary struct {
	RunID        string
	AsOf         time.Time
	Lake         string
	Sources      []lake.SourceCount
	Quarantine   []lake.ReasonCount
	Cases        int64
	Totals       []PlanTotal     // the service targets' year rows
	Contract     []ContractTotal // every requirement's year rows
	Outputs      []lake.OutputFile
	Restatements int64
	Shrink       []lake.SourceShrink
	Loaders      []lake.LoaderResult
	AtRisk       []AtRiskCount // per target with at-risk cases
	// KeptRunID is set when the run had nothing new to compute: the run whose published
	// figures it kept (the counts and totals above are then not filled in).
	KeptRunID string
}

// run is the state of one run in progress.
type run struct {
	opts      Options
	id        string
	lake      lake.Lake
	lock      *lake.Lock
	prev      string // the published version this run starts from, "" for the first
	staging   string
	eng       *engine.Engine
	landed    []landed
	published bool
	scoped    bool // a nightly run recomputing only the periods it can change
	// publishedRules is the rules fingerprint of the published version ("" unknown);
	// rulesChanged says this run's differs.
	publishedRules string
	rulesChanged   bool
	rebuilt        []string // sources whose cases are replaced whole
	// mergedPublished says the merge read published cases (published_case_parts exists).
	mergedPublished bool
	// failureRecorded says the published run record already holds the failure (a loader's).
	failureRecorded bool
	log             zerolog.Logger
	record          lake.RunRecord
	summary         Summary
	flush           *flushing // the files of the version being written
	// inputs is the fingerprint of what the figures are computed with besides the landed
	// rows (quiet.go); quiet says the run keeps the published figures, having nothing new.
	inputs string
	quiet  bool
}

// Run extracts, curates, computes and publishes a new version of the lake. A run that fails
// publishes nothing but its manifest row, which says why.
func Run(ctx context.Context, opts Options) (*Summary, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Allocator == nil {
		opts.Allocator = memory.DefaultAllocator
	}
	if opts.Progress == nil {
		opts.Progress = noProgress{}
	}
	started := opts.Now()
	r := &run{opts: opts, id: NewRunID(started), lake: lake.Lake{Dir: opts.Config.LakeDir()}}
	r.log = opts.Log.With().Str(FieldRunID, r.id).Logger()
	r.staging = r.lake.StagingDir(r.id)
	r.record = lake.RunRecord{
		RunID: r.id, Command: opts.Command, Mode: ModeRun, AsOf: opts.AsOf.Format(DateLayout),
		StartedAt: started.UTC(), Version: Version, Timezone: opts.Config.Timezone, Plans: planFiles(opts.Plans),
	}
	if opts.Window != nil {
		r.record.Mode, r.record.Window = ModeBackfill, opts.Window.String()
	}
	if err := r.acquire(ctx); err != nil {
		return nil, err
	}
	defer r.lock.Release()
	r.log.Info().Str("mode", r.record.Mode).Str("as_of", r.record.AsOf).Str(FieldPath, r.lake.Dir).Msg("run started")
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
		return nil, &RunError{RunID: r.id, Err: err}
	}
	return &r.summary, nil
}

// acquire takes the lake lock; a lock left by a dead run is taken over with a warning.
func (r *run) acquire(ctx context.Context) error {
	host, _ := os.Hostname()
	lock, stale, err := lake.AcquireLock(r.lake.Dir, lake.LockInfo{
		PID: os.Getpid(), Host: host, Command: r.opts.Command, RunID: r.id, Started: r.record.StartedAt,
	})
	if err != nil {
		return err
	}
	r.lock = lock
	r.lake.Lock = lock // checked before publishing and pruning
	if stale != nil {
		r.log.Warn().Int("pid", stale.PID).Str("host", stale.Host).Str("stale_run_id", stale.RunID).
			Str("command", stale.Command).Time("started", stale.Started).
			Msg("took over the lake lock of a run that died; its unpublished work is discarded")
	}
	checkpoint(ctx, "lock")
	return nil
}

func (r *run) execute(ctx context.Context, started time.Time) error {
	prev, err := r.lake.Current()
	if err != nil {
		return err
	}
	if err := r.lake.CheckLayout(); err != nil {
		return err
	}
	r.prev = prev
	if err := os.MkdirAll(r.staging, 0o755); err != nil {
		return fmt.Errorf("creating staging folder: %w", err)
	}
	opened := time.Now()
	eng, err := openEngine(ctx, r.opts.Config.DuckDB, filepath.Join(r.staging, "duckdb_tmp"))
	engine.Timing("go: open duckdb", opened)
	if err != nil {
		return err
	}
	r.eng = eng
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
		{"stage", r.stageThenCheckQuiet, false}, {"curate", r.curate, true}, {"compute", r.compute, true},
		{"load", r.load, false}, {"outputs", r.runLoaders, false},
	}
	for _, s := range steps {
		if s.computes && r.quiet {
			continue
		}
		t0 := time.Now()
		r.opts.Progress.Stage(s.name)
		if err := s.fn(ctx); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		r.log.Info().Str(FieldStage, s.name).Dur(FieldDuration, time.Since(t0)).Msg("stage done")
		checkpoint(ctx, s.name)
	}
	return nil
}

func (r *run) setVariables(ctx context.Context, started time.Time) error {
	cfg := r.opts.Config
	names := make([]string, len(cfg.Sources))
	for i, s := range cfg.Sources {
		names[i] = s.Name
	}
	if err := r.fingerprintInputs(); err != nil {
		return err
	}
	inputs := "NULL::VARCHAR" // a backfill: its version mixes figures of two as-of dates
	if r.opts.Window == nil {
		inputs = engine.Quote(r.inputs)
	}
	windowFrom, windowTo := "NULL::DATE", "NULL::DATE"
	if w := r.opts.Window; w != nil {
		windowFrom, windowTo = "DATE "+engine.Quote(w.From.Format(DateLayout)), "DATE "+engine.Quote(w.To.Format(DateLayout))
	}
	vars := [][2]string{
		{"run_date", "DATE " + engine.Quote(LocalDate(started, cfg.Location).Format(DateLayout))},
		{"as_of", "DATE " + engine.Quote(r.opts.AsOf.Format(DateLayout))},
		{"at_risk_days", strconv.Itoa(cfg.AtRiskWithin())},
		{"run_id", engine.Quote(r.id)},
		{"computed_at", "TIMESTAMPTZ " + engine.Quote(engine.Instant(started))},
		{"sources", engine.List(names) + "::VARCHAR[]"},
		{"window_from", windowFrom},
		{"window_to", windowTo},
		{"inputs_fingerprint", inputs},
	}
	for _, v := range vars {
		if err := r.eng.SetVariable(ctx, v[0], v[1]); err != nil {
			return err
		}
	}
	return setTimeZone(ctx, r.eng, cfg.Timezone)
}

// readPublishedRun reads the time zone and rules fingerprint the published figures were made
// with, and rebuilds everything when the configured time zone is not the one the published
// cases were dated in: every local date would change.
func (r *run) readPublishedRun(ctx context.Context) error {
	if r.prev == "" {
		return nil
	}
	files, err := filepath.Glob(filepath.Join(r.prev, lake.TableRuns, "*.parquet"))
	if err != nil || len(files) == 0 {
		return err
	}
	if err := r.eng.SetVariable(ctx, "previous_runs", engine.List(files)); err != nil {
		return err
	}
	type publishedRun struct{ zone, rules string }
	runs, err := engine.QueryFile(ctx, r.eng, "previous_run.sql", func(scan func(...any) error) (publishedRun, error) {
		var zone string
		var rules sql.NullString
		err := scan(&zone, &rules)
		return publishedRun{zone, rules.String}, err
	})
	if err != nil || len(runs) == 0 {
		return err
	}
	r.publishedRules = runs[0].rules
	if r.opts.Full || r.opts.Window != nil || runs[0].zone == r.opts.Config.Timezone {
		return nil
	}
	r.log.Warn().Str("published_timezone", runs[0].zone).Str("timezone", r.opts.Config.Timezone).
		Msg("the time zone changed: every source is read again and every period recomputed")
	r.opts.Full = true
	return nil
}

// recordRules notes the fingerprint of this run's rules. When it differs from the published
// one (or that is unknown), every period is recomputed (compute_scope.sql), except in a
// backfill: its version then holds figures of two sets of rules, recorded as unknown, so that
// the next run recomputes everything.
func (r *run) recordRules(fingerprint string) {
	r.rulesChanged = r.prev != "" && r.publishedRules != fingerprint
	r.record.RulesSHA256 = fingerprint
	if r.rulesChanged && r.opts.Window != nil {
		r.record.RulesSHA256 = ""
	}
}

// finish records a failed run in the manifest (publishing the previous content again, with the
// failure on record), then cleans up old versions and staging folders.
func (r *run) finish(ctx context.Context, runErr error) {
	if runErr != nil {
		r.record.Status, r.record.Error = lake.StatusFailed, runErr.Error()
		var err error
		switch {
		case r.published && !r.failureRecorded:
			// Published, then failed before its outputs were all written (the outputs could not
			// read the lake, or the run was stopped): the record says so, as the exit code does.
			err = r.republishRecord(ctx)
		case r.eng != nil && !r.published && !errors.Is(runErr, lake.ErrLayout):
			err = r.publishFailure(ctx)
		}
		if err != nil {
			r.log.Error().Err(err).Msg("recording the failed run")
		}
	}
	if r.eng != nil {
		closing := time.Now()
		r.eng.Close()
		engine.Timing("go: close duckdb", closing)
	}
	defer engine.Timing("go: close and prune", time.Now())
	if cur, err := r.lake.Current(); err == nil && cur != "" {
		if err := r.lake.Prune(cur, r.prev, r.id); err != nil {
			r.log.Warn().Err(err).Msg("removing old versions")
		}
	}
	// Not the error: Run returns it and the caller logs it once (the command line's last line,
	// with the run_id), so that one failure is one error line, not two alerts.
	r.log.Info().Str("status", r.record.Status).Dur(FieldDuration, r.opts.Now().Sub(r.record.StartedAt)).Msg("run finished")
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

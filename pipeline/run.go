package pipeline

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/rs/zerolog"

	"scorecard/rules"
	"scorecard/sources"
)

// Version is the software version recorded in every run; set at build time with -ldflags.
var Version = "dev"

// Options are the inputs of one run.
type Options struct {
	Config    *Config
	Plans     []*rules.Plan
	Catalogue *rules.Catalogue
	Sources   *sources.Registry
	AsOf      time.Time // a date at UTC midnight; decisions after it count as pending
	Command   string    // the command line, for the manifest
	Log       zerolog.Logger
	Allocator memory.Allocator // nil = memory.DefaultAllocator
	// Now is the clock; nil = time.Now. The run's local date is the bound for future_date.
	Now func() time.Time
}

// Summary is what a run reports when it is done.
type Summary struct {
	RunID      string
	AsOf       time.Time
	Lake       string
	Sources    []SourceCount
	Quarantine []ReasonCount
	Cases      int64
	Totals     []PlanTotal
	Outputs    []OutputFile
}

// run is the state of one run in progress.
type run struct {
	opts    Options
	id      string
	lake    Lake
	staging string
	eng     *engine
	log     zerolog.Logger
	record  RunRecord
	summary Summary
}

// Run extracts every source, curates, computes every plan's scorecard and publishes the lake.
// A run that fails publishes nothing but its manifest row, which says why.
func Run(ctx context.Context, opts Options) (*Summary, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Allocator == nil {
		opts.Allocator = memory.DefaultAllocator
	}
	started := opts.Now()
	r := &run{opts: opts, id: NewRunID(started), lake: Lake{Dir: opts.Config.LakeDir()}}
	r.log = opts.Log.With().Str(FieldRunID, r.id).Logger()
	r.staging = r.lake.stagingDir(r.id)
	r.record = RunRecord{
		RunID: r.id, Command: opts.Command, AsOf: opts.AsOf.Format(DateLayout), StartedAt: started.UTC(),
		Version: Version, Timezone: opts.Config.Timezone, Plans: planFiles(opts.Plans),
	}
	r.log.Info().Str("as_of", r.record.AsOf).Str(FieldPath, r.lake.Dir).Msg("run started")
	err := r.execute(ctx, started)
	r.finish(ctx, err)
	if err != nil {
		return nil, fmt.Errorf("run %s: %w", r.id, err)
	}
	return &r.summary, nil
}

func (r *run) execute(ctx context.Context, started time.Time) error {
	if err := os.MkdirAll(r.staging, 0o755); err != nil {
		return fmt.Errorf("creating staging folder: %w", err)
	}
	eng, err := openEngine(ctx, r.opts.Config.DuckDB, filepath.Join(r.staging, "duckdb_tmp"))
	if err != nil {
		return err
	}
	r.eng = eng
	if err := r.setVariables(ctx, started); err != nil {
		return err
	}
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"stage", r.stage}, {"curate", r.curate}, {"compute", r.compute}, {"load", r.load},
	}
	for _, s := range steps {
		t0 := time.Now()
		if err := s.fn(ctx); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		r.log.Info().Str(FieldStage, s.name).Dur(FieldDuration, time.Since(t0)).Msg("stage done")
	}
	return nil
}

func (r *run) setVariables(ctx context.Context, started time.Time) error {
	cfg := r.opts.Config
	names := make([]string, len(cfg.Sources))
	for i, s := range cfg.Sources {
		names[i] = sqlString(s.Name)
	}
	vars := [][2]string{
		{"tz", sqlString(cfg.Timezone)},
		{"run_date", "DATE " + sqlString(LocalDate(started, cfg.Location).Format(DateLayout))},
		{"as_of", "DATE " + sqlString(r.opts.AsOf.Format(DateLayout))},
		{"run_id", sqlString(r.id)},
		{"computed_at", "TIMESTAMPTZ " + sqlString(started.UTC().Format(time.RFC3339Nano))},
		{"sources", "[" + strings.Join(names, ", ") + "]::VARCHAR[]"},
	}
	for _, v := range vars {
		if err := r.eng.setVariable(ctx, v[0], v[1]); err != nil {
			return err
		}
	}
	return nil
}

// finish records the run in the manifest and removes the staging folder, whatever happened.
func (r *run) finish(ctx context.Context, runErr error) {
	r.record.EndedAt = r.opts.Now().UTC()
	r.record.Status = StatusSucceeded
	if runErr != nil {
		r.record.Status = StatusFailed
		r.record.Error = runErr.Error()
		r.record.Outputs = nil
	}
	if r.eng != nil {
		if err := r.eng.writeRunRecord(ctx, r.lake, r.record); err != nil {
			r.log.Error().Err(err).Msg("writing the run manifest")
		}
		r.eng.Close()
	}
	if err := os.RemoveAll(r.staging); err != nil {
		r.log.Warn().Err(err).Str(FieldPath, r.staging).Msg("removing staging folder")
	}
	ev := r.log.Info()
	if runErr != nil {
		ev = r.log.Error().Err(runErr)
	}
	ev.Str("status", r.record.Status).Dur(FieldDuration, r.record.EndedAt.Sub(r.record.StartedAt)).Msg("run finished")
}

// NewRunID makes a sortable, unique run id: the UTC start time and random bits.
func NewRunID(t time.Time) string {
	var b [3]byte
	_, _ = rand.Read(b[:])
	return t.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}

func planFiles(plans []*rules.Plan) []PlanFile {
	out := make([]PlanFile, len(plans))
	for i, p := range plans {
		out[i] = PlanFile{Plan: p.ID, Source: p.Source, SHA256: p.SHA256}
	}
	return out
}

// Package runstate is the state of one run in progress, which the stages (stage, curate,
// compute, load, loaders) hand each other: the options, the published version it starts from,
// the engine, what was landed, the run record and the summary. The stages also hand each
// other DuckDB temp tables, declared in tables.go, and session variables, declared in
// variables.go.
package runstate

import (
	"path/filepath"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/rs/zerolog"

	"scorecard/pipeline/config"
	"scorecard/pipeline/engine"
	"scorecard/pipeline/lake"
	"scorecard/pipeline/period"
	"scorecard/rules"
	"scorecard/sources"
)

// Options are the inputs of one run.
type Options struct {
	Config    *config.Config
	Plans     []*rules.Plan
	Catalogue *rules.Catalogue
	Sources   *sources.Registry
	AsOf      time.Time // a date at UTC midnight; decisions after it count as pending
	// Window makes the run a backfill: cases decided in it are re-extracted from every file,
	// and only the scorecard and case_results partitions it touches are recomputed.
	Window *period.Window
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

// Run is the state of one run in progress.
type Run struct {
	Opts      Options
	ID        string
	Lake      lake.Lake
	Lock      *lake.Lock
	Prev      string // the published version this run starts from, "" for the first
	Staging   string
	Eng       *engine.Engine
	Landed    []Landed
	Published bool
	Scoped    bool // a nightly run recomputing only the periods it can change
	// PublishedRules is the rules fingerprint of the published version ("" unknown);
	// RulesChanged says this run's differs.
	PublishedRules string
	RulesChanged   bool
	Rebuilt        []string // sources whose cases are replaced whole
	// MergedPublished says the merge read published cases (published_case_parts exists).
	MergedPublished bool
	// FailureRecorded says the published run record already holds the failure (a loader's).
	FailureRecorded bool
	Log             zerolog.Logger
	Record          lake.RunRecord
	Summary         Summary
	// Inputs is the fingerprint of what the figures are computed with besides the landed
	// rows (pipeline/quiet.go); Quiet says the run keeps the published figures, having nothing new.
	Inputs string
	Quiet  bool
}

// RecordRules notes the fingerprint of this run's rules. When it differs from the published
// one (or that is unknown), every period is recomputed (compute_scope.sql), except in a
// backfill: its version then holds figures of two sets of rules, recorded as unknown, so that
// the next run recomputes everything.
func (r *Run) RecordRules(fingerprint string) {
	r.RulesChanged = r.Prev != "" && r.PublishedRules != fingerprint
	r.Record.RulesSHA256 = fingerprint
	if r.RulesChanged && r.Opts.Window != nil {
		r.Record.RulesSHA256 = ""
	}
}

// PlanTotal is a plan's points for one period, summed over its targets.
type PlanTotal struct {
	Plan      string
	Period    string
	Complete  bool
	Points    float64
	MaxPoints float64
	Targets   int
	Met       int
	NoData    int // targets without decided cases in the period
}

// ContractTotal is a plan's contract points for its year: every requirement of every kind.
type ContractTotal struct {
	Plan, Period string
	Complete     bool
	Points       float64 // awarded so far
	MaxPoints    float64 // the plan's total
	Requirements int
	Met          int
	Unknown      int // requirements whose points are not known yet
}

// AtRiskCount is how many open cases of a target are at risk (SPEC §8), and how many of them
// are late already.
type AtRiskCount struct {
	Plan, TargetID string
	Cases, Late    int64
}

// PreviousGlob lists the data files of a table in the published version.
func (r *Run) PreviousGlob(table string) ([]string, error) {
	if r.Prev == "" {
		return nil, nil
	}
	var out []string
	for _, pattern := range []string{"*/*.parquet", "*/*/*.parquet"} {
		m, err := filepath.Glob(filepath.Join(r.Prev, table, pattern))
		if err != nil {
			return nil, err
		}
		out = append(out, m...)
	}
	return out, nil
}

// Retained reports whether a raw landing partition of runID is young enough to keep.
func (r *Run) Retained(runID string, now time.Time) bool {
	t, err := time.Parse("20060102T150405Z", strings.SplitN(runID, "-", 2)[0])
	if err != nil {
		return true
	}
	return now.Sub(t) <= time.Duration(r.Opts.Config.RetentionDays())*24*time.Hour
}

// PreviousFiles lists the files of a table written whole in the published version (none
// before the first run that wrote one).
func (r *Run) PreviousFiles(table string) ([]string, error) {
	if r.Prev == "" {
		return nil, nil
	}
	return filepath.Glob(filepath.Join(r.Prev, table, "*.parquet"))
}

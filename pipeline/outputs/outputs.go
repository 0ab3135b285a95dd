// Package outputs writes a published scorecard where people and tools read
// it: CSV and JSON files, an XLSX workbook laid out like the contract's own
// table, a self-contained HTML report, and PostgreSQL tables. The workbook and
// the report open with the whole contract (every requirement, 100 points);
// JSON, PostgreSQL and the requirements_csv output carry its rows too.
//
// The pipeline reads a Report from the published lake and hands it to each
// configured Loader; a loader never reads the lake itself, so every output of
// a run shows the same figures.
package outputs

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"scorecard/rules"
)

// Report is everything a loader needs, read from the published lake.
type Report struct {
	RunID      string
	AsOf       time.Time // a date (UTC midnight)
	ComputedAt time.Time
	Plans      []*rules.Plan    // in config order
	Catalogue  *rules.Catalogue // area labels and case types' areas; nil = rules.BuiltinCatalogue()
	Rows       []Row            // every scorecard row of the published lake
	Quarantine []QuarantineCount
	Run        Lineage
	Forecast   []Forecast   // the forecast view: one row per plan and target whose year has begun
	AtRisk     []AtRiskCase // the at_risk view, the most urgent first
	AtRiskDays int          // the config's at_risk_days, for the reports' footnotes
	// Requirements is the requirements view (SPEC §9): the whole contract, every period, the
	// plans in config order and each plan's requirements in its order (SortRequirements).
	Requirements []Requirement
	// AppointmentDays is the appointment_days view, by plan, requirement and day; nil for a
	// lake that has none.
	AppointmentDays []AppointmentDay
	// ClosedDays are the config's closed_days: not weekdays, so the wait chart marks them
	// beside the public holidays.
	ClosedDays []time.Time
}

// Row is one scorecard row, the columns of SPEC §6 and the shares of SPEC §8.
// Nullable figures are pointers; the shares are 0–100.
type Row struct {
	Plan, RequirementID, TargetID, Label, Period string
	PeriodStart, PeriodEnd                       time.Time
	PeriodComplete                               bool
	TargetDays                                   int
	MinPct                                       float64
	Decided, WithinTarget                        int64
	PctWithinTarget                              *float64
	PctLow, PctHigh                              *float64 // its 95 % Wilson score interval
	Met                                          *bool
	Points                                       *float64
	MaxPoints                                    float64
	Excluded                                     int64
	ExcludedPct                                  *float64 // of excluded + decided
	Pending, PendingBreached                     int64
	RunID                                        string
	ComputedAt                                   time.Time
}

// QuarantineCount is the number of rows one source quarantined for one reason.
type QuarantineCount struct {
	Source, Reason string
	Rows           int64
}

// Lineage is what the run that published the lake did and with what, so a
// reader of any output can trace it back to the run.
type Lineage struct {
	Command, Version, Timezone string
	StartedAt, EndedAt         time.Time
	Plans                      []PlanFile
	Sources                    []SourceCount
}

// PlanFile names a plan a run used and the hash of its file.
type PlanFile struct {
	Plan, Source, SHA256 string
}

// SourceCount is what one source gave the run.
type SourceCount struct {
	Source, Kind                                        string
	FilesLanded, RowsRead, RowsQuarantined, RowsWritten int64
}

// Config is one entry of the config's `outputs:` list.
type Config struct {
	Kind   string // one of Kinds()
	Path   string // file outputs: the file to write, absolute
	Table  string // postgres: the table, default "scorecard"; may be schema.table
	DSN    string // postgres: the connection string; never logged nor shown
	DSNEnv string // postgres: the variable DSN was read from, named in messages instead
}

// Loader writes a Report somewhere.
type Loader interface {
	// Name identifies the loader in logs and errors, e.g. "xlsx /srv/scorecard.xlsx";
	// it never contains a DSN.
	Name() string
	// Load writes r. Rerunning it with the same report gives the same output.
	Load(ctx context.Context, r *Report) error
}

// fileWriters are the loaders that write one file, by kind.
var fileWriters = map[string]func(w io.Writer, r *Report) error{
	"csv":              writeCSV,
	"json":             writeJSON,
	"xlsx":             writeXLSX,
	"html":             writeHTML,
	"at_risk_csv":      writeAtRiskCSV,
	"requirements_csv": writeRequirementsCSV,
}

// Kinds lists the loader kinds, sorted.
func Kinds() []string {
	kinds := []string{"postgres"}
	for k := range fileWriters {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	return kinds
}

// New returns the loader for cfg.
func New(cfg Config) (Loader, error) {
	if cfg.Kind == "postgres" {
		return newPostgres(cfg)
	}
	write, ok := fileWriters[cfg.Kind]
	if !ok {
		return nil, fmt.Errorf("%w %q (known: %s)", ErrUnknownKind, cfg.Kind, strings.Join(Kinds(), ", "))
	}
	if cfg.Path == "" {
		return nil, fmt.Errorf("%w: %s output needs a path", ErrConfig, cfg.Kind)
	}
	return &fileLoader{kind: cfg.Kind, path: cfg.Path, write: write}, nil
}

// catalogue returns the report's catalogue, or the built-in one.
func (r *Report) catalogue() *rules.Catalogue {
	if r.Catalogue != nil {
		return r.Catalogue
	}
	return rules.BuiltinCatalogue()
}

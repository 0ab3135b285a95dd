package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/rs/zerolog"

	"scorecard/pipeline/config"
	"scorecard/pipeline/engine"
	"scorecard/pipeline/lake"
	"scorecard/pipeline/period"
	"scorecard/pipeline/runstate"
	"scorecard/pipeline/session"
	"scorecard/rules"
	"scorecard/sources"
	csvsource "scorecard/sources/csv"
	"scorecard/sources/mysql"
	"scorecard/sources/postgres"
)

// testNow is the wall clock of every test run: dates after 2025-06-01 are future_date.
var testNow = time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)

const caseHeader = "case_id,case_type,first_time,complex,has_service_target,submitted_at,decided_at,updated_at\n"

// fixture is a config folder with case files and a lake, in t.TempDir().
type fixture struct {
	t      *testing.T
	dir    string
	cfg    *config.Config
	window *period.Window   // set: the next run is a backfill
	full   bool             // run --full
	shrink bool             // run --allow-shrink
	now    func() time.Time // nil: testNow
	log    *zerolog.Logger  // nil: no logs
}

// newFixture writes the config (YAML body after the lake line) and the named files.
func newFixture(t *testing.T, configBody string, files map[string]string) *fixture {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "scorecard.yaml")
	// Most fixtures are mostly bad rows on purpose; TestQuarantineLimit checks the limit.
	if !strings.Contains(configBody, "max_quarantine_pct") {
		configBody = "max_quarantine_pct: 100\n" + configBody
	}
	if err := os.WriteFile(path, []byte("lake: ./lake\n"+configBody), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.LoadConfig(path, testRegistry().Kinds())
	if err != nil {
		t.Fatal(err)
	}
	cfg.DuckDB.Threads = 2
	return &fixture{t: t, dir: dir, cfg: cfg}
}

// csvFixture is one CSV source "export" (cases.csv, canonical header added) and the given plans.
func csvFixture(t *testing.T, rows string, plans ...string) *fixture {
	if len(plans) == 0 {
		plans = []string{"2024"}
	}
	body := fmt.Sprintf("plans: [%s]\nsources:\n  - {name: export, kind: csv, path: cases.csv}\n", strings.Join(plans, ", "))
	return newFixture(t, body, map[string]string{"cases.csv": caseHeader + dedent(rows)})
}

func testRegistry() *sources.Registry {
	reg := sources.NewRegistry()
	reg.Register("csv", csvsource.New)
	reg.Register("postgres", postgres.New)
	reg.Register("mysql", mysql.New)
	return reg
}

// run runs the pipeline as of a date and fails the test on error.
func (f *fixture) run(asOf string) *runstate.Summary {
	f.t.Helper()
	sum, err := f.tryRun(asOf)
	if err != nil {
		f.t.Fatalf("run: %v", err)
	}
	return sum
}

func (f *fixture) tryRun(asOf string) (*runstate.Summary, error) {
	f.t.Helper()
	opts := f.options(asOf)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(f.t, 0)
	opts.Allocator = mem
	return Run(context.Background(), opts)
}

// options are the run's options as of a date, with the fixture's config, plans and flags.
func (f *fixture) options(asOf string) runstate.Options {
	f.t.Helper()
	day, err := period.ParseDate(asOf)
	if err != nil {
		f.t.Fatal(err)
	}
	cat := rules.BuiltinCatalogue()
	plans, err := config.LoadPlans(f.cfg, cat)
	if err != nil {
		f.t.Fatal(err)
	}
	now := f.now
	if now == nil {
		now = func() time.Time { return testNow }
	}
	log := zerolog.Nop()
	if f.log != nil {
		log = *f.log
	}
	return runstate.Options{
		Config: f.cfg, Plans: plans, Catalogue: cat, Sources: testRegistry(), AsOf: day, Window: f.window,
		Full: f.full, AllowShrink: f.shrink, Command: "test", Log: log, Now: now,
	}
}

// query runs SQL over the lake's views and returns the rows as maps.
func (f *fixture) query(sql string) []map[string]any {
	f.t.Helper()
	res, err := Query(context.Background(), lake.Lake{Dir: f.cfg.LakeDir()}, f.cfg.DuckDB, sql)
	if err != nil {
		f.t.Fatalf("query %q: %v", sql, err)
	}
	out := make([]map[string]any, len(res.Rows))
	for i, row := range res.Rows {
		out[i] = map[string]any{}
		for j, c := range res.Columns {
			out[i][c] = row[j]
		}
	}
	return out
}

// scorecardRow returns the one scorecard row of a plan, target and period.
func (f *fixture) scorecardRow(plan, target, period string) map[string]any {
	f.t.Helper()
	rows := f.query(fmt.Sprintf("SELECT * FROM scorecard WHERE plan = '%s' AND target_id = '%s' AND period = '%s'", plan, target, period))
	if len(rows) != 1 {
		f.t.Fatalf("scorecard %s/%s/%s: %d rows, want 1", plan, target, period, len(rows))
	}
	return rows[0]
}

// dedent drops leading tabs and blank lines so fixtures can be indented in Go source.
func dedent(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimLeft(line, "\t ")
		if line != "" {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

// counts picks the integer columns of a scorecard row, for compact comparisons.
func counts(row map[string]any) string {
	return fmt.Sprintf("decided=%v within=%v excluded=%v pending=%v breached=%v met=%v points=%v",
		row["decided"], row["within_target"], row["excluded"], row["pending"], row["pending_breached"], fmtNull(row["met"]), fmtNull(row["points"]))
}

func fmtNull(v any) string {
	if v == nil {
		return "NULL"
	}
	return fmt.Sprint(v)
}

// openEngine opens an engine as a run does, with every stage's SQL.
func openEngine(ctx context.Context, d config.DuckDBConfig, tempDir string) (*engine.Engine, error) {
	return session.Open(ctx, d, tempDir, stageSQL...)
}

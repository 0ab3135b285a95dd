package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"scorecard/pipeline/config"
	"scorecard/pipeline/lake"
	"scorecard/pipeline/loaders"

	"github.com/jackc/pgx/v5"
)

// TestLoadersAfterPublication: the configured outputs are written from the published lake and
// recorded in the manifest; a failing loader fails the run, yet the lake stays published and
// the manifest names the loader.
func TestLoadersAfterPublication(t *testing.T) {
	body := `plans: [2024]
sources:
  - {name: export, kind: csv, path: cases.csv}
outputs:
  - {kind: csv, path: out/scorecard.csv}
  - {kind: json, path: out/scorecard.json}
`
	f := newFixture(t, body, map[string]string{"cases.csv": caseHeader + dedent(backfillCases)})
	sum := f.run("2024-12-31")
	if len(sum.Loaders) != 2 || sum.Loaders[0].Status != lake.StatusSucceeded || sum.Loaders[1].Status != lake.StatusSucceeded {
		t.Fatalf("loaders: %+v", sum.Loaders)
	}
	data, err := os.ReadFile(filepath.Join(f.dir, "out", "scorecard.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if want := 1 + 3*17; len(lines) != want || !strings.HasPrefix(lines[0], "plan,requirement_id,target_id,label,period,") {
		t.Errorf("scorecard.csv: %d lines, header %q", len(lines), lines[0])
	}
	runs := f.query("SELECT status, loaders FROM runs")
	if len(runs) != 1 || runs[0]["status"] != lake.StatusSucceeded || len(runs[0]["loaders"].([]any)) != 2 {
		t.Errorf("runs: %+v", runs)
	}

	// A loader whose folder cannot be made: the parent is a file.
	if err := os.WriteFile(filepath.Join(f.dir, "blocker"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	f.cfg.Outputs = append(f.cfg.Outputs, config.OutputConfig{Kind: "csv", Path: "blocker/scorecard.csv"})
	f.writeCases(backfillCorrected)
	_, err = f.tryRun("2024-12-31")
	if !errors.Is(err, loaders.ErrLoader) || !strings.Contains(err.Error(), "blocker") {
		t.Fatalf("err = %v, want a loader failure naming blocker/", err)
	}
	if got := counts(f.scorecardRow("2024", "erhverv.fasttrack", "2024-Q2")); got != "decided=4 within=3 excluded=0 pending=0 breached=0 met=false points=0" {
		t.Errorf("the lake was not published despite the loader failure: %s", got)
	}
	last := f.query("SELECT status, error, loaders FROM runs ORDER BY status")
	if len(last) != 2 || last[0]["status"] != lake.StatusFailed || !strings.Contains(last[0]["error"].(string), "blocker") {
		t.Errorf("runs after the failed loader: %+v", last)
	}
}

// TestPostgresOutputAfterTwoRuns: the postgres loader leaves exactly the published scorecard in
// its table after two runs, row for row, with no duplicates.
func TestPostgresOutputAfterTwoRuns(t *testing.T) {
	dsn := os.Getenv("SCORECARD_TEST_PG_DSN")
	if dsn == "" {
		t.Skip("set SCORECARD_TEST_PG_DSN=postgres://postgres@127.0.0.1:5432/test?sslmode=disable to run (see .ci/run)")
	}
	table := fmt.Sprintf("scorecard_test_%d", time.Now().UnixNano())
	t.Setenv("SCORECARD_TEST_OUT_DSN", dsn)
	body := fmt.Sprintf(`plans: [2024]
sources:
  - {name: export, kind: csv, path: cases.csv}
outputs:
  - {kind: postgres, dsn_env: SCORECARD_TEST_OUT_DSN, table: %s}
`, table)
	f := newFixture(t, body, map[string]string{"cases.csv": caseHeader + dedent(backfillCases)})
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = conn.Exec(context.Background(), "DROP TABLE IF EXISTS "+table+", "+table+"_requirements")
		conn.Close(context.Background())
	})
	f.run("2024-12-31")
	f.writeCases(backfillCorrected)
	f.run("2024-12-31")
	want := map[string]string{}
	for _, r := range f.query("SELECT plan, target_id, period, decided, within_target, points FROM scorecard") {
		want[fmt.Sprint(r["plan"], " ", r["target_id"], " ", r["period"])] = fmt.Sprint(r["decided"], " ", r["within_target"], " ", fmtNull(r["points"]))
	}
	rows, err := conn.Query(t.Context(), "SELECT plan, target_id, period, decided, within_target, points FROM "+table)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	n := 0
	for rows.Next() {
		var plan, target, period string
		var decided, within int64
		var points *float64
		if err := rows.Scan(&plan, &target, &period, &decided, &within, &points); err != nil {
			t.Fatal(err)
		}
		p := "NULL"
		if points != nil {
			p = fmt.Sprint(*points)
		}
		got[plan+" "+target+" "+period] = fmt.Sprint(decided, " ", within, " ", p)
		n++
	}
	if n != len(want) || len(want) != 3*17 {
		t.Fatalf("%d rows in %s, the scorecard has %d", n, table, len(want))
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: table %q, scorecard %q", k, got[k], w)
		}
	}
}

package pipeline

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	if len(sum.Loaders) != 2 || sum.Loaders[0].Status != StatusSucceeded || sum.Loaders[1].Status != StatusSucceeded {
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
	if len(runs) != 1 || runs[0]["status"] != StatusSucceeded || len(runs[0]["loaders"].([]any)) != 2 {
		t.Errorf("runs: %+v", runs)
	}

	// A loader whose folder cannot be made: the parent is a file.
	if err := os.WriteFile(filepath.Join(f.dir, "blocker"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	f.cfg.Outputs = append(f.cfg.Outputs, OutputConfig{Kind: "csv", Path: "blocker/scorecard.csv"})
	f.writeCases(backfillCorrected)
	_, err = f.tryRun("2024-12-31")
	if !errors.Is(err, ErrLoader) || !strings.Contains(err.Error(), "blocker") {
		t.Fatalf("err = %v, want a loader failure naming blocker/", err)
	}
	if got := counts(f.scorecardRow("2024", "erhverv.fasttrack", "2024-Q2")); got != "decided=4 within=3 excluded=0 pending=0 breached=0 met=false points=0" {
		t.Errorf("the lake was not published despite the loader failure: %s", got)
	}
	last := f.query("SELECT status, error, loaders FROM runs ORDER BY status")
	if len(last) != 2 || last[0]["status"] != StatusFailed || !strings.Contains(last[0]["error"].(string), "blocker") {
		t.Errorf("runs after the failed loader: %+v", last)
	}
}

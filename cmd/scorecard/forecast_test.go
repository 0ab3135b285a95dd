package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"scorecard/pipeline"
)

// historyWorkspace is a workspace with three years of generated cases (2022-2024), run as of
// 31 January 2025.
func historyWorkspace(t *testing.T) (dir, cfg string) {
	t.Helper()
	dir = workspace(t, map[string]string{"scorecard.yaml": strings.Replace(minimalConfig, "max_quarantine_pct: 50", "max_quarantine_pct: 5", 1)})
	cfg = filepath.Join(dir, "scorecard.yaml")
	mustCLI(t, "generate", "--cases", "6000", "--years", "2022-2024", "--seed", "3", "--today", "2025-01-31",
		"--out", filepath.Join(dir, "cases.csv"))
	mustCLI(t, "run", "--config", cfg, "--as-of", "2025-01-31")
	return dir, cfg
}

// TestForecastBacktest: the table has a row per target and month end, then the summary per
// plan and over all plans from the end of Q1 and over all months, with its note; CSV and JSON
// say the same; a second run prints the same.
func TestForecastBacktest(t *testing.T) {
	_, cfg := historyWorkspace(t)
	out := mustCLI(t, "forecast", "backtest", "--config", cfg, "--year", "2024")
	for _, want := range []string{"Backtest of 2024", "Summary of 2024 (3 targets scored)",
		"a naive forecast's p is 1 when its share reaches min_pct, else 0"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	months := 0
	for _, line := range strings.Split(out, "\n") {
		if c := cells(line); len(c) == 11 && c[0] == "2024" && strings.HasPrefix(c[2], "2024-") {
			months++
		}
	}
	if months != 3*11 {
		t.Errorf("%d month rows, want 33", months)
	}
	for _, key := range []string{"2024", "all"} {
		row := findSummary(out, key, "Mar-Nov")
		if len(row) != 10 || row[2] != "27" || !strings.HasSuffix(row[6], "%") {
			t.Errorf("summary %s Mar-Nov: %q", key, row)
		}
	}
	if again := mustCLI(t, "forecast", "backtest", "--config", cfg, "--year", "2024"); again != out {
		t.Error("a second backtest printed something else")
	}

	raw := mustCLI(t, "forecast", "backtest", "--config", cfg, "--year", "2024", "--format", "csv")
	monthsCSV, summaryCSV, ok := strings.Cut(raw, "\n\n")
	if !ok {
		t.Fatalf("csv: no empty line between the tables:\n%s", raw)
	}
	for _, part := range []struct {
		text string
		rows int
	}{{monthsCSV, 1 + 33}, {summaryCSV, 1 + 4}} {
		recs, err := csv.NewReader(strings.NewReader(part.text)).ReadAll()
		if err != nil || len(recs) != part.rows {
			t.Errorf("csv table: %d rows (%v), want %d", len(recs), err, part.rows)
		}
	}

	type score struct {
		N        int      `json:"n"`
		MAE      *float64 `json:"mae"`
		Coverage *float64 `json:"coverage_80"`
	}
	var doc struct {
		Year    int `json:"year"`
		Months  []map[string]any
		Summary []struct {
			Plan, Months string
			Forecast     score
			LastYear     score `json:"last_year"`
		}
	}
	js := mustCLI(t, "forecast", "backtest", "--config", cfg, "--year", "2024", "--format", "json")
	if err := json.Unmarshal([]byte(js), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Year != 2024 || len(doc.Months) != 33 || len(doc.Summary) != 4 {
		t.Fatalf("json: year %d, %d months, %d summary rows", doc.Year, len(doc.Months), len(doc.Summary))
	}
	s := doc.Summary[0]
	if s.Months != "Mar-Nov" || s.Forecast.N != 27 || s.Forecast.MAE == nil || s.Forecast.Coverage == nil ||
		s.LastYear.N != 27 || s.LastYear.Coverage != nil {
		t.Errorf("json summary: %+v", s)
	}
}

// findSummary returns the cells of the summary line of a plan and months.
func findSummary(out, plan, months string) []string {
	for _, line := range strings.Split(out, "\n") {
		if c := cells(line); len(c) > 2 && c[0] == plan && c[1] == months {
			return c
		}
	}
	return nil
}

// TestForecastBacktestRefused: a year not over at the lake's as-of date, a year without a
// case, a bad or missing --year or --format are bad usage (exit 2); a lake without a run
// fails (exit 1) and says to run first.
func TestForecastBacktestRefused(t *testing.T) {
	_, cfg := historyWorkspace(t)
	backtest := []string{"forecast", "backtest", "--config", cfg}
	for _, tt := range []struct {
		name string
		args []string
		msg  string
	}{
		{"year not over", []string{"--year", "2025"}, "2025 is not over at the lake's newest as-of date 2025-01-31"},
		{"year without cases", []string{"--year", "2019"}, "no case with a service target decided in 2019"},
		{"no year", nil, "--year YYYY is required"},
		{"bad year", []string{"--year", "24"}, "--year YYYY is required"},
		{"year not a number", []string{"--year", "last"}, "invalid argument"},
		{"bad format", []string{"--year", "2024", "--format", "xml"}, `--format "xml"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, code, err := cli(t, append(backtest, tt.args...)...)
			if code != exitUsage || err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("exit %d, err %v; want exit 2 and %q", code, err, tt.msg)
			}
		})
	}
	fresh := filepath.Join(workspace(t, map[string]string{"scorecard.yaml": minimalConfig, "cases.csv": cases}), "scorecard.yaml")
	_, code, err := cli(t, "forecast", "backtest", "--config", fresh, "--year", "2024")
	if code != exitFailed || !errors.Is(err, pipeline.ErrNoLake) || !strings.Contains(err.Error(), "run `scorecard run` first") {
		t.Errorf("no run: exit %d, err %v", code, err)
	}
	if _, code, _ := cli(t, "forecast"); code != exitOK {
		t.Errorf("bare forecast: exit %d, want its help", code)
	}
	if _, code, _ := cli(t, "forecast", "frobnicate"); code != exitUsage {
		t.Errorf("unknown forecast subcommand: exit %d", code)
	}
}

// TestGenerateYears: --years makes a history; with --year, backwards, or --steady alone it is
// bad usage, and so are options the generator refuses.
func TestGenerateYears(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "h.csv")
	if got := mustCLI(t, "generate", "--cases", "200", "--years", "2023-2024", "--steady", "--today", "2025-01-31", "--out", out); !strings.Contains(got, "200 cases") {
		t.Errorf("generate --years: %q", got)
	}
	for _, args := range [][]string{
		{"--years", "2024-2023"}, {"--years", "2023"}, {"--year", "2024", "--years", "2023-2024"},
		{"--year", "2024", "--steady"}, {"--year", "2024", "--today", "2023-06-01"},
	} {
		_, code, err := cli(t, append([]string{"generate", "--cases", "10", "--out", out}, args...)...)
		if code != exitUsage {
			t.Errorf("generate %v: exit %d (%v), want 2", args, code, err)
		}
	}
}

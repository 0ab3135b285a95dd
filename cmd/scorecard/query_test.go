package main

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"scorecard/pipeline"
)

// scorecardColumns is the scorecard view of SPEC §6 with the shares of SPEC §8, in order.
var scorecardColumns = []string{"plan", "requirement_id", "target_id", "label", "period", "period_start", "period_end",
	"period_complete", "target_days", "min_pct", "decided", "within_target", "pct_within_target", "pct_low", "pct_high",
	"met", "points", "max_points", "excluded", "excluded_pct", "pending", "pending_breached", "run_id", "computed_at"}

// TestQueryFormats queries one run in each output format and parses what it printed.
func TestQueryFormats(t *testing.T) {
	_, cfg := ranWorkspace(t)
	year := "SELECT %s FROM scorecard WHERE period = '2024' ORDER BY target_id"
	for _, tt := range []struct {
		format, sql string
		check       func(t *testing.T, out string)
	}{
		{"csv", "SELECT * FROM scorecard", checkCSV},
		{"json", fmt.Sprintf(year, "*"), checkJSON},
		{"table", fmt.Sprintf(year, "target_id, period, met"), checkTable},
	} {
		t.Run(tt.format, func(t *testing.T) {
			tt.check(t, mustCLI(t, "query", "--config", cfg, "--format", tt.format, tt.sql))
		})
	}
}

// checkCSV: the header is SPEC §6's column list; 3 targets x (year + 4 quarters + 12 months) rows.
func checkCSV(t *testing.T, out string) {
	records, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(records[0], scorecardColumns) {
		t.Errorf("header %q,\nwant %q", records[0], scorecardColumns)
	}
	if len(records) != 1+3*17 {
		t.Errorf("%d records, want %d", len(records), 1+3*17)
	}
	met := slices.Index(scorecardColumns, "met")
	for _, r := range records[1:] {
		if r[2] == "erhverv.fasttrack" && r[4] == "2024" && (r[5] != "2024-01-01" || r[6] != "2024-12-31" || r[met] != "") {
			t.Errorf("fasttrack 2024: period %s..%s, met %q; want 2024-01-01..2024-12-31 and NULL as empty", r[5], r[6], r[met])
		}
	}
}

// checkJSON: dates are YYYY-MM-DD strings, NULL is null, numbers and booleans are JSON's own.
func checkJSON(t *testing.T, out string) {
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("%v in:\n%s", err, out)
	}
	if len(rows) != 3 || len(rows[0]) != len(scorecardColumns) {
		t.Fatalf("%d rows of %d keys, want 3 of %d", len(rows), len(rows[0]), len(scorecardColumns))
	}
	want := map[string]map[string]any{
		"erhverv.alle":      {"label": "Hele erhvervsområdet, 1. gang", "decided": 1.0, "within_target": 1.0, "pct_within_target": 100.0, "met": true, "points": 20.0},
		"erhverv.fasttrack": {"label": "Fast-track, 1. gang", "decided": 0.0, "within_target": 0.0, "pct_within_target": nil, "met": nil, "points": nil},
		"eu.1":              {"label": "EU-området", "decided": 2.0, "within_target": 1.0, "pct_within_target": 50.0, "met": false, "points": 0.0},
	}
	for _, r := range rows {
		id, _ := r["target_id"].(string)
		w, ok := want[id]
		if !ok {
			t.Errorf("unexpected or repeated target %q", id)
			continue
		}
		delete(want, id)
		w["period_start"], w["period_end"], w["period_complete"], w["max_points"] = "2024-01-01", "2024-12-31", true, 20.0
		for k, v := range w {
			if got, ok := r[k]; !ok || !reflect.DeepEqual(got, v) {
				t.Errorf("%s: %s = %#v, want %#v", id, k, got, v)
			}
		}
	}
}

// checkTable: a header line, one line per row with NULL blank, then the row count.
func checkTable(t *testing.T, out string) {
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 5 || !slices.Equal(cells(lines[0]), []string{"target_id", "period", "met"}) || lines[4] != "(3 rows)" {
		t.Fatalf("table:\n%s", out)
	}
	for i, want := range [][]string{{"erhverv.alle", "2024", "true"}, {"erhverv.fasttrack", "2024"}, {"eu.1", "2024", "false"}} {
		if got := cells(lines[1+i]); !slices.Equal(got, want) {
			t.Errorf("row %d: %q, want %q", i, got, want)
		}
	}
}

// TestQueryIsReadOnly: SQL that is not one read-only statement is refused as bad usage (exit
// 2) before any of it runs, however the write hides (after a SELECT, in EXPLAIN ANALYZE, among
// SELECTs); DuckDB's own errors exit 1. The lake keeps every byte (the published partition the
// first probe aims at included) and nothing is written beside it.
func TestQueryIsReadOnly(t *testing.T) {
	dir, cfg := ranWorkspace(t)
	lake := filepath.Join(dir, "lake")
	part := filepath.Join(lake, "current", "scorecard", "plan=2024", "period_group=2024", "data.parquet")
	before := hashTree(t, lake)
	for _, tt := range []struct {
		sql  string
		code int
		is   error // nil: DuckDB's own error
	}{
		{"COPY (SELECT 1) TO '" + part + "' (FORMAT parquet); SELECT 1", exitUsage, pipeline.ErrReadOnly},
		{"ATTACH '" + filepath.Join(dir, "x.db") + "' AS x; CREATE TABLE x.t AS SELECT 1; SELECT 1", exitUsage, pipeline.ErrReadOnly},
		{"EXPLAIN ANALYZE COPY (SELECT 1) TO '" + filepath.Join(dir, "x.parquet") + "'", exitUsage, pipeline.ErrReadOnly},
		{"SELECT count(*) FROM cases; SELECT count(*) FROM scorecard", exitUsage, pipeline.ErrReadOnly},
		{"CREATE TABLE x AS SELECT 1", exitUsage, pipeline.ErrReadOnly},
		{"COPY (SELECT 1) TO '" + filepath.Join(lake, "x.csv") + "'", exitUsage, pipeline.ErrReadOnly},
		{"DELETE FROM cases", exitFailed, nil},
	} {
		_, code, err := cli(t, "query", "--config", cfg, tt.sql)
		if code != tt.code || (tt.is != nil && !errors.Is(err, tt.is)) {
			t.Errorf("%s: exit %d, err %v; want exit %d wrapping %v", tt.sql, code, err, tt.code, tt.is)
		}
		if after := hashTree(t, lake); !reflect.DeepEqual(after, before) {
			t.Errorf("%s: the lake changed: %v", tt.sql, changedPaths(before, after))
			before = after
		}
		for _, name := range []string{"x.db", "x.parquet"} {
			if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
				t.Errorf("%s: wrote %s beside the lake", tt.sql, name)
			}
		}
	}
}

// TestQueryReadsAsBefore: a SELECT, a WITH query and EXPLAIN of a SELECT still run.
func TestQueryReadsAsBefore(t *testing.T) {
	_, cfg := ranWorkspace(t)
	for _, sql := range []string{
		"SELECT count(*) AS n FROM scorecard",
		"WITH d AS (SELECT * FROM cases) SELECT count(*) AS n FROM d",
		"EXPLAIN SELECT * FROM case_results",
	} {
		if out := mustCLI(t, "query", "--config", cfg, "--format", "csv", sql); strings.Count(out, "\n") < 2 {
			t.Errorf("%s printed %q", sql, out)
		}
	}
}

// changedPaths lists the paths whose hash differs, or that one side lacks, sorted.
func changedPaths(before, after map[string][32]byte) []string {
	var out []string
	for p, h := range after {
		if b, ok := before[p]; !ok || b != h {
			out = append(out, p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// hashTree maps every file under dir to its SHA-256.
func hashTree(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	out := map[string][32]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 { // the lake's table and version links
			target, err := os.Readlink(path)
			out[path] = sha256.Sum256([]byte(target))
			return err
		}
		data, err := os.ReadFile(path)
		out[path] = sha256.Sum256(data)
		return err
	})
	if err != nil || len(out) == 0 {
		t.Fatalf("hashing %s: %d files, %v", dir, len(out), err)
	}
	return out
}

package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"scorecard/pipeline/config"
	"scorecard/pipeline/lake"
	"scorecard/pipeline/outputs"
	"scorecard/sources"
)

// queryLake is a lake of one run over one good and one rejected row: every table has files.
func queryLake(t *testing.T) *fixture {
	t.Helper()
	f := csvFixture(t, `
		A1,eu_ophold,ja,,,2024-03-01,2024-03-02,
		A2,eu_ophold,ja,,,2024-13-01,2024-03-02,
	`)
	f.run("2024-12-31")
	return f
}

// treeSums maps every file and link under dir (the lake's versions, links, lock and staging
// folder alike) to its SHA-256, or a link to its target.
func treeSums(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			out[path], err = os.Readlink(path)
			return err
		}
		out[path], err = lake.FileSHA256(path)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestQueryRefusesWrites: a statement that writes is refused before anything runs, whether it
// hides behind a SELECT, in EXPLAIN (ANALYZE) or alone; several statements are refused even
// when each is a SELECT; a file outside the lake is refused by DuckDB itself, as the query's
// fault too. The published partition and the rest of the lake keep their bytes, and nothing
// is written outside it.
func TestQueryRefusesWrites(t *testing.T) {
	f := queryLake(t)
	lakeDir := f.cfg.LakeDir()
	part := filepath.Join(lakeDir, "current", "scorecard", "plan=2024", "period_group=2024", "data.parquet")
	partSum, err := lake.FileSHA256(part)
	if err != nil {
		t.Fatal(err)
	}
	before := treeSums(t, lakeDir)
	outside := t.TempDir()
	for _, tt := range []struct{ sql, msg string }{
		{fmt.Sprintf("COPY (SELECT 1) TO '%s' (FORMAT parquet); SELECT 1", part), "got 2"},
		{fmt.Sprintf("ATTACH '%s' AS x; CREATE TABLE x.t AS SELECT 1; SELECT 1", filepath.Join(outside, "x.db")), "got 3"},
		{fmt.Sprintf("EXPLAIN ANALYZE COPY (SELECT 1) TO '%s'", filepath.Join(outside, "x.parquet")), ""},
		{fmt.Sprintf("EXPLAIN ANALYZE COPY (SELECT 1) TO '%s' (FORMAT parquet)", part), "EXPLAIN"},
		{fmt.Sprintf("/* plan */ explain (format json) COPY (SELECT 1) TO '%s'", filepath.Join(lakeDir, "x.csv")), "EXPLAIN"},
		{"SELECT count(*) FROM cases; SELECT count(*) FROM scorecard", "got 2"},
		{fmt.Sprintf("COPY (SELECT 1) TO '%s' (FORMAT parquet)", part), "SELECT"},
		{fmt.Sprintf("ATTACH '%s' AS x", filepath.Join(lakeDir, "x.db")), "SELECT"},
		{"SET VARIABLE lake = '/'", "SELECT"},
		{"SELECT * FROM read_csv('/etc/passwd')", "Permission Error"},
		{"", "got 0"},
	} {
		_, err := Query(context.Background(), lake.Lake{Dir: lakeDir}, f.cfg.DuckDB, tt.sql)
		if !errors.Is(err, ErrReadOnly) || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: err = %v, want ErrReadOnly saying %q", tt.sql, err, tt.msg)
		}
		if sum, err := lake.FileSHA256(part); err != nil || sum != partSum {
			t.Errorf("%s: the published partition changed (%v)", tt.sql, err)
		}
		if after := treeSums(t, lakeDir); !maps.Equal(after, before) {
			t.Errorf("%s: the lake changed", tt.sql)
			before = after
		}
		if left, _ := os.ReadDir(outside); len(left) != 0 {
			t.Errorf("%s: wrote %v outside the lake", tt.sql, left)
		}
	}
}

// TestQueryReads: what only reads still runs: a SELECT, WITH, FROM-first, DESCRIBE, EXPLAIN
// and EXPLAIN ANALYZE of a SELECT.
func TestQueryReads(t *testing.T) {
	f := queryLake(t)
	for _, sql := range []string{
		"SELECT count(*) FROM scorecard",
		"WITH d AS (SELECT * FROM case_results) SELECT plan, count(*) FROM d GROUP BY plan",
		"FROM quarantine",
		"DESCRIBE cases",
		"SELECT 1;",
		"EXPLAIN SELECT * FROM cases",
		"-- the plan\nEXPLAIN (FORMAT json) SELECT * FROM runs",
		"EXPLAIN ANALYZE SELECT count(*) FROM removed_cases",
		"explain analyse SELECT * FROM restatements",
		"EXPLAIN (SELECT 1)",
	} {
		res, err := Query(context.Background(), lake.Lake{Dir: f.cfg.LakeDir()}, f.cfg.DuckDB, sql)
		if err != nil {
			t.Errorf("%s: %v", sql, err)
		} else if len(res.Rows) == 0 {
			t.Errorf("%s: no rows", sql)
		}
	}
}

// TestEmptyTablesReadEmpty: a lake whose source had only rejected rows, or none, has no cases,
// and one whose rows were all good has no rejected rows: each table reads as zero rows, with
// its columns, and the run's report (a file output) is written all the same.
func TestEmptyTablesReadEmpty(t *testing.T) {
	body := "plans: [2024]\nsources:\n  - {name: export, kind: csv, path: cases.csv}\n" +
		"outputs:\n  - {kind: json, path: out/scorecard.json}\n"
	for _, tt := range []struct {
		rows, table string
		columns     int
	}{
		{"A1,eu_ophold,ja,,,2024-13-01,2024-03-02,\n", "cases", 16},
		{"", "cases", 16},
		{"A1,eu_ophold,ja,,,2024-03-01,2024-03-02,\n", "quarantine", 26},
	} {
		f := newFixture(t, body, map[string]string{"cases.csv": caseHeader + tt.rows})
		sum := f.run("2024-12-31")
		if len(sum.Loaders) != 1 || sum.Loaders[0].Status != lake.StatusSucceeded {
			t.Errorf("%q: loaders %+v", tt.rows, sum.Loaders)
		}
		if got := f.query("SELECT count(*) AS n FROM " + tt.table); fmt.Sprint(got) != "[map[n:0]]" {
			t.Errorf("%q: count(*) of %s: %v, want 0", tt.rows, tt.table, got)
		}
		res, err := Query(context.Background(), lake.Lake{Dir: f.cfg.LakeDir()}, f.cfg.DuckDB, "SELECT * FROM "+tt.table)
		if err != nil || len(res.Rows) != 0 || len(res.Columns) != tt.columns {
			t.Errorf("%q: SELECT * FROM %s: %v, %v", tt.rows, tt.table, res, err)
		}
	}
}

// TestEmptyViewsKeepTheirColumns: every view of views.sql over a lake with no files has the
// same column names and types as over a lake where its table has files.
func TestEmptyViewsKeepTheirColumns(t *testing.T) {
	f := queryLake(t)
	full := describeViews(t, f.cfg.LakeDir(), f.cfg.DuckDB)
	empty := describeViews(t, t.TempDir(), f.cfg.DuckDB)
	if len(full) < 7 {
		t.Fatalf("views: %v", slices.Sorted(maps.Keys(full)))
	}
	for name, cols := range full {
		if !slices.Equal(empty[name], cols) {
			t.Errorf("%s empty:\n  %q\nwith files:\n  %q", name, empty[name], cols)
		}
	}
}

// TestViewColumnsAreTheDeclared: the scorecard view has the outputs' columns in their order
// (the CSV header, JSON keys, PostgreSQL and workbook columns), and the quarantine view every
// dataset's raw columns under their own names: both are declared once, in views.sql.
func TestViewColumnsAreTheDeclared(t *testing.T) {
	f := queryLake(t)
	views := describeViews(t, f.cfg.LakeDir(), f.cfg.DuckDB)
	var names []string
	for _, c := range views["scorecard"] {
		names = append(names, strings.Fields(c)[0])
	}
	if !slices.Equal(names, outputs.Columns) {
		t.Errorf("scorecard view columns\n %v\nwant outputs.Columns\n %v", names, outputs.Columns)
	}
	quarantine := strings.Join(views["quarantine"], ", ")
	for _, d := range []sources.Dataset{sources.Cases, sources.Status, sources.Appointments} {
		for _, c := range d.Columns {
			if !strings.Contains(quarantine, c+" VARCHAR") {
				t.Errorf("quarantine has no %s column of %s: %s", c, d.Name, quarantine)
			}
		}
	}
}

// describeViews opens the query engine over the lake folder and returns each view's columns
// as "name TYPE", after checking that it counts its rows.
func describeViews(t *testing.T, lakeDir string, d config.DuckDBConfig) map[string][]string {
	t.Helper()
	ctx := context.Background()
	eng, closeEng, err := openQueryEngine(ctx, lake.Lake{Dir: lakeDir}, d)
	if err != nil {
		t.Fatal(err)
	}
	defer closeEng()
	out := map[string][]string{}
	for _, name := range lake.ViewNames() {
		if _, err := eng.Count(ctx, "SELECT count(*) FROM "+name); err != nil {
			t.Errorf("counting %s in %s: %v", name, lakeDir, err)
		}
		res, err := collect(ctx, eng, "DESCRIBE "+name)
		if err != nil {
			t.Fatalf("DESCRIBE %s: %v", name, err)
		}
		for _, row := range res.Rows {
			out[name] = append(out[name], fmt.Sprintf("%v %v", row[0], row[1]))
		}
	}
	return out
}

// TestQueryEngineIsConfined: past the statement check, DuckDB itself refuses what the query
// engine must not do: files outside the lake read or written, a database attached there,
// extensions installed or loaded, the settings that confine it changed. The views still read.
func TestQueryEngineIsConfined(t *testing.T) {
	f := queryLake(t)
	ctx := context.Background()
	eng, closeEng, err := openQueryEngine(ctx, lake.Lake{Dir: f.cfg.LakeDir()}, f.cfg.DuckDB)
	if err != nil {
		t.Fatal(err)
	}
	defer closeEng()
	outside := t.TempDir()
	for _, sql := range []string{
		fmt.Sprintf("COPY (SELECT 1) TO '%s'", filepath.Join(outside, "x.csv")),
		"SELECT * FROM read_csv('/etc/passwd')",
		fmt.Sprintf("ATTACH '%s' AS x", filepath.Join(outside, "x.db")),
		"INSTALL httpfs",
		"LOAD httpfs",
		"SET enable_external_access = true",
		"SET allowed_directories = ['/']",
		"SET lock_configuration = false",
	} {
		if _, err := eng.Conn.ExecContext(ctx, sql); err == nil {
			t.Errorf("%s: not refused", sql)
		}
	}
	if left, _ := os.ReadDir(outside); len(left) != 0 {
		t.Errorf("wrote %v outside the lake", left)
	}
	for _, v := range []string{"cases", "case_results", "scorecard", "quarantine", "restatements", "removed_cases", "runs"} {
		if n, err := eng.Count(ctx, "SELECT count(*) FROM "+v); err != nil || n == 0 && v != "restatements" && v != "removed_cases" {
			t.Errorf("%s: %d rows, %v", v, n, err)
		}
	}
}

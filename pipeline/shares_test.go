package pipeline

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"scorecard/pipeline/engine"
	"scorecard/pipeline/lake"

	"github.com/jackc/pgx/v5"
	"github.com/xuri/excelize/v2"

	"scorecard/pipeline/outputs"
)

// sharesCases are cases of plan 2024 in three quarters, some without a service target, and
// two decided after the first as-of date.
var sharesCases = caseRows("JAN", "eu_ophold", "ja", "2024-01-20", []int{0, 1, 5}) +
	caseRows("APR", "eu_ophold", "ja", "2024-04-15", []int{0, 0, 2, 9}) +
	caseRows("FT", "fasttrack", "ja", "2024-05-10", []int{3, 40, 12}) +
	caseRows("JUL", "eu_ophold", "ja", "2024-07-10", []int{0, 40}) +
	"X1,eu_ophold,ja,,nej,2024-02-01,2024-02-05,\n" +
	"X2,eu_ophold,ja,,nej,2024-05-01,2024-05-05,\n"

// writeOldScorecard rewrites the published scorecard files of the period groups that match as
// a scorecard from before SPEC §8's shares wrote them: without pct_low, pct_high and
// excluded_pct.
func writeOldScorecard(t *testing.T, f *fixture, match func(group string) bool) {
	t.Helper()
	cur, err := lake.Lake{Dir: f.cfg.LakeDir()}.Current()
	if err != nil {
		t.Fatal(err)
	}
	paths, err := filepath.Glob(filepath.Join(cur, lake.TableScorecard, "*", "*", "*.parquet"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("scorecard files: %v %v", paths, err)
	}
	eng, err := openEngine(t.Context(), f.cfg.DuckDB, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	for _, path := range paths {
		if !match(filepath.Base(filepath.Dir(path))) {
			continue
		}
		old := path + ".old" // a new file: the published versions before share the old by hard link
		if err := os.Rename(path, old); err != nil {
			t.Fatal(err)
		}
		err := eng.Exec(t.Context(), fmt.Sprintf(`COPY (SELECT COLUMNS(c -> c NOT IN ('pct_low', 'pct_high', 'excluded_pct'))
			FROM read_parquet(%s, hive_partitioning = false)) TO %s (FORMAT parquet)`, engine.Quote(old), engine.Quote(path)))
		if err != nil {
			t.Fatal(err)
		}
		os.Remove(old)
	}
}

// missingShares counts the scorecard rows whose shares SPEC §8 requires but that are NULL.
func missingShares(f *fixture) string {
	f.t.Helper()
	return fmt.Sprint(f.query(`SELECT count(*) AS n,
		count(*) FILTER (WHERE decided > 0 AND (pct_low IS NULL OR pct_high IS NULL)) AS no_interval,
		count(*) FILTER (WHERE decided + excluded > 0 AND excluded_pct IS NULL) AS no_excluded_pct
		FROM scorecard`)[0])
}

// TestScorecardLakeBeforeIntervalsUpgrades: a lake whose scorecard was written before pct_low,
// pct_high and excluded_pct still reads, and the first nightly run recomputes every period, so
// that no row it keeps lacks them. A backfill in between leaves a lake of old and new
// partitions, which the views and the next run read as well. Each ends as the same cases
// computed from scratch.
func TestScorecardLakeBeforeIntervalsUpgrades(t *testing.T) {
	fresh := csvFixture(t, sharesCases, "2024")
	fresh.run("2024-07-31")
	want := scorecardCSV(t, fresh)
	all := func(string) bool { return true }

	t.Run("nightly", func(t *testing.T) {
		f := csvFixture(t, sharesCases, "2024")
		f.run("2024-06-30")
		writeOldScorecard(t, f, all)
		// 3 targets × 9 periods; decided in Jan, Apr, May (fasttrack and alle) and in their
		// quarters and the year: 11 rows; excluded in Feb and May (eu.1): 2 more.
		if got := missingShares(f); got != "map[n:27 no_excluded_pct:13 no_interval:11]" {
			t.Errorf("the old lake reads as %s", got)
		}
		// Q1, Q2 and their months are over and no case in them changed: a nightly run would
		// keep them as published.
		sum := f.run("2024-07-31")
		if got := missingShares(f); got != "map[n:33 no_excluded_pct:0 no_interval:0]" {
			t.Errorf("after the first nightly run: %s", got)
		}
		if sum.Restatements != 0 {
			t.Errorf("%d restatements: adding the shares changes no figure", sum.Restatements)
		}
		if got := scorecardCSV(t, f); !bytes.Equal(got, want) {
			t.Errorf("upgraded lake:\n%s\nwant (from scratch):\n%s", got, want)
		}
	})

	t.Run("backfill then nightly", func(t *testing.T) {
		f := csvFixture(t, sharesCases, "2024")
		f.run("2024-07-31")
		writeOldScorecard(t, f, all)
		f.backfill("2024Q1", "2024-07-31") // rewrites the year and Q1; Q2 and Q3 stay old
		// Still old: Q2 with its months, Q3 with July. Decided: eu.1 in Apr, Q2, Jul and Q3,
		// fasttrack and alle in May and Q2: 8 rows; eu.1's excluded case in May: 1 more.
		if got := missingShares(f); got != "map[n:33 no_excluded_pct:9 no_interval:8]" {
			t.Errorf("after the backfill: %s", got)
		}
		if got := fmt.Sprint(f.scorecardRow("2024", "eu.1", "2024-Q1")["excluded_pct"]); got != "25" {
			t.Errorf("Q1 backfilled: excluded_pct %s, want 25 (1 of 3 + 1)", got)
		}
		f.run("2024-07-31")
		if got := missingShares(f); got != "map[n:33 no_excluded_pct:0 no_interval:0]" {
			t.Errorf("after the nightly run: %s", got)
		}
		if got := scorecardCSV(t, f); !bytes.Equal(got, want) {
			t.Errorf("upgraded lake:\n%s\nwant (from scratch):\n%s", got, want)
		}
	})
}

// TestScorecardSharesInOutputs: the CSV, JSON, workbook and (with SCORECARD_TEST_PG_DSN)
// PostgreSQL outputs of a run carry pct_low, pct_high and excluded_pct as the lake has them
// (Q1 of eu.1: 2 of 3 within, 1 excluded).
func TestScorecardSharesInOutputs(t *testing.T) {
	body := "plans: [2024]\nsources:\n  - {name: export, kind: csv, path: cases.csv}\n" +
		"outputs:\n  - {kind: csv, path: out/s.csv}\n  - {kind: json, path: out/s.json}\n  - {kind: xlsx, path: out/s.xlsx}\n"
	dsn := os.Getenv("SCORECARD_TEST_PG_DSN")
	table := fmt.Sprintf("scorecard_shares_%d", time.Now().UnixNano())
	if dsn != "" {
		t.Setenv("SCORECARD_TEST_OUT_DSN", dsn)
		body += "  - {kind: postgres, dsn_env: SCORECARD_TEST_OUT_DSN, table: " + table + "}\n"
	}
	f := newFixture(t, body, map[string]string{"cases.csv": caseHeader + sharesCases})
	f.run("2024-07-31")
	low, high := wilsonBounds(2, 3)
	want := map[string]string{"pct_within_target": formatShare(200.0 / 3), "pct_low": formatShare(low),
		"pct_high": formatShare(high), "excluded": "1", "excluded_pct": "25"}
	lakeDir := f.scorecardRow("2024", "eu.1", "2024-Q1")
	for col, w := range want {
		if g := fmt.Sprint(lakeDir[col]); !sameShare(g, w) {
			t.Errorf("lake %s = %s, want %s", col, g, w)
		}
	}

	data, err := os.ReadFile(filepath.Join(f.dir, "out", "s.csv"))
	if err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(records[0], outputs.Columns) {
		t.Fatalf("CSV header %v", records[0])
	}
	checkOutputRow(t, "CSV", recordWhere(records, "eu.1", "2024-Q1"), want)

	var doc struct{ Scorecard []map[string]any }
	data, err = os.ReadFile(filepath.Join(f.dir, "out", "s.json"))
	if err == nil {
		err = json.Unmarshal(data, &doc)
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range doc.Scorecard {
		if o["target_id"] == "eu.1" && o["period"] == "2024-Q1" {
			got := map[string]string{}
			for col := range want {
				got[col] = fmt.Sprint(o[col])
			}
			checkOutputRow(t, "JSON", got, want)
		}
		if o["target_id"] == "eu.1" && o["period"] == "2024-03" && (o["pct_low"] != nil || o["excluded_pct"] != nil) {
			t.Errorf("JSON March (nothing decided): pct_low %v excluded_pct %v, want null", o["pct_low"], o["excluded_pct"])
		}
	}

	x, err := excelize.OpenFile(filepath.Join(f.dir, "out", "s.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows("Data", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], outputs.Columns) {
		t.Fatalf("workbook Data header %v", rows[0])
	}
	checkOutputRow(t, "workbook", recordWhere(rows, "eu.1", "2024-Q1"), want)

	if dsn == "" {
		t.Log("PostgreSQL output not checked: set SCORECARD_TEST_PG_DSN=postgres://postgres@127.0.0.1:5432/test?sslmode=disable")
		return
	}
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	defer conn.Exec(context.Background(), "DROP TABLE IF EXISTS "+table+", "+table+"_requirements")
	var got [5]*float64
	err = conn.QueryRow(t.Context(), "SELECT pct_within_target, pct_low, pct_high, excluded::float8, excluded_pct FROM "+table+
		" WHERE target_id = 'eu.1' AND period = '2024-Q1'").Scan(&got[0], &got[1], &got[2], &got[3], &got[4])
	if err != nil {
		t.Fatal(err)
	}
	pg := map[string]string{}
	for i, col := range []string{"pct_within_target", "pct_low", "pct_high", "excluded", "excluded_pct"} {
		pg[col] = "NULL"
		if got[i] != nil {
			pg[col] = formatShare(*got[i])
		}
	}
	checkOutputRow(t, "PostgreSQL", pg, want)
}

// recordWhere finds a target's period among records under a header of outputs.Columns.
func recordWhere(records [][]string, target, period string) map[string]string {
	ti, pi := slices.Index(outputs.Columns, "target_id"), slices.Index(outputs.Columns, "period")
	for _, rec := range records[1:] {
		if rec[ti] == target && rec[pi] == period {
			out := map[string]string{}
			for i, col := range outputs.Columns {
				if i < len(rec) {
					out[col] = rec[i]
				}
			}
			return out
		}
	}
	return nil
}

func checkOutputRow(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: no row", what)
		return
	}
	for col, w := range want {
		if !sameShare(got[col], w) {
			t.Errorf("%s %s = %q, want %s", what, col, got[col], w)
		}
	}
}

func formatShare(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// sameShare compares two numbers in text within 1e-9 (a workbook keeps 15 digits).
func sameShare(got, want string) bool {
	g, err1 := strconv.ParseFloat(got, 64)
	w, err2 := strconv.ParseFloat(want, 64)
	if err1 != nil || err2 != nil {
		return got == want
	}
	return g == w || (g-w < 1e-9 && w-g < 1e-9)
}

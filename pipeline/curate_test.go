package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"scorecard/pipeline/lake"
)

// TestQuarantineReasons gives each reason of SPEC §3 a row of its own, and rows with several
// faults, where the first reason in the spec's list must name the row.
func TestQuarantineReasons(t *testing.T) {
	rows := `
		,fasttrack,ja,,,2024-01-01,2024-01-05,
		Q02,,ja,,,2024-01-01,2024-01-05,
		Q03,fasttrack,ja,,,,2024-01-05,
		Q04,fasttrack,ja,,,2024-02-30,,
		Q05,fasttrack,ja,,,2024-01-01,05/01/2024,
		Q06,fasttrack,ja,,,2024-01-01,2024-01-05,yesterday
		Q07,fasttrack,maybe,,,2024-01-01,2024-01-05,
		Q08,fasttrack,,,,2024-01-01,2024-01-05,
		Q09,fasttrack,ja,x,,2024-01-01,2024-01-05,
		Q10,fasttrack,ja,,2,2024-01-01,2024-01-05,
		Q11,nosuch,ja,,,2024-01-01,2024-01-05,
		Q12,Fasttrack,ja,,,2024-01-01,2024-01-05,
		Q13,fasttrack,ja,,,2024-01-05,2024-01-04,
		Q14,fasttrack,ja,,,2025-06-02,,
		Q15,fasttrack,ja,,,2025-05-01,2025-06-02T10:00:00,
		M01,,ja,,,,,
		M02,,maybe,,,bad,,
		M03,fasttrack,maybe,,,,,
		M04,fasttrack,maybe,,,2024-13-01,,
		M05,nosuch,maybe,,,2024-01-01,,
		M06,nosuch,ja,,,2024-01-05,2024-01-01,
		M07,fasttrack,ja,,,2099-01-05,2099-01-01,
		G01,fasttrack,ja,,,2025-06-01,2025-06-01T23:59:00+02:00,
		G02,fasttrack,ja,,,2024-01-01,2024-01-01,
	`
	f := csvFixture(t, rows, "2024")
	sum := f.run("2024-12-31")
	want := map[string]string{
		"row2": "missing_case_id", "Q02": "missing_case_type", "Q03": "missing_submitted_at",
		"Q04": "bad_date", "Q05": "bad_date", "Q06": "bad_date",
		"Q07": "bad_boolean", "Q08": "bad_boolean", "Q09": "bad_boolean", "Q10": "bad_boolean",
		"Q11": "unknown_case_type", "Q12": "unknown_case_type",
		"Q13": "decided_before_submitted", "Q14": "future_date", "Q15": "future_date",
		"M01": "missing_case_type", "M02": "missing_case_type", "M03": "missing_submitted_at",
		"M04": "bad_date", "M05": "bad_boolean", "M06": "unknown_case_type", "M07": "decided_before_submitted",
	}
	got := map[string]string{}
	for _, r := range f.query("SELECT reason, case_id, source, source_row FROM quarantine") {
		id, _ := r["case_id"].(string)
		if id == "" {
			id = fmt.Sprintf("row%d", r["source_row"])
		}
		got[id] = r["reason"].(string)
		if r["source"] != "export" {
			t.Errorf("%s: source %v", id, r["source"])
		}
	}
	for id, reason := range want {
		if got[id] != reason {
			t.Errorf("%s: reason %q, want %q", id, got[id], reason)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d quarantined rows, want %d: %v", len(got), len(want), got)
	}
	if sum.Cases != 2 || sum.Sources[0].RowsRead != 24 || sum.Sources[0].RowsQuarantined != 22 {
		t.Errorf("summary: cases %d, sources %+v", sum.Cases, sum.Sources)
	}
	var reasons []string
	for _, q := range sum.Quarantine {
		reasons = append(reasons, fmt.Sprintf("%s=%d", q.Reason, q.Rows))
	}
	sort.Strings(reasons)
	wantReasons := "bad_boolean=5 bad_date=4 decided_before_submitted=2 future_date=2 missing_case_id=1 missing_case_type=3 missing_submitted_at=2 unknown_case_type=3"
	if strings.Join(reasons, " ") != wantReasons {
		t.Errorf("reasons %v, want %s", reasons, wantReasons)
	}
}

// TestQuarantineKeepsRawValues checks that a quarantined row keeps its cells exactly as read.
func TestQuarantineKeepsRawValues(t *testing.T) {
	f := csvFixture(t, "Q1,fasttrack, Maybe ,,,2024-01-01 ,2024-01-05,\n", "2024")
	f.run("2024-12-31")
	r := f.query("SELECT * FROM quarantine")[0]
	if r["first_time"] != " Maybe " || r["submitted_at"] != "2024-01-01 " || r["complex"] != "" || r["source_row"] != int64(2) ||
		r["dataset"] != "cases" || r["site"] != nil || r["item_id"] != nil {
		t.Errorf("raw values changed: %+v", r)
	}
	// Quotes, a backslash, a tab, a line break and non-ASCII letters come back as they were.
	f = newFixture(t, "plans: [2024]\nsources:\n  - {name: export, kind: csv, path: cases.csv}\n", map[string]string{
		"cases.csv": caseHeader + "Q2,\"say \"\"hi\"\" \\ æø\tx\ny\",ja,,,2024-01-01,2024-01-05,\n",
	})
	f.run("2024-12-31")
	r = f.query("SELECT * FROM quarantine")[0]
	if want := "say \"hi\" \\ æø\tx\ny"; r["case_type"] != want || r["reason"] != "unknown_case_type" {
		t.Errorf("quarantined case_type = %q (%v), want %q", r["case_type"], r["reason"], want)
	}
}

// TestPaddedCells: a cell padded with spaces, ASCII or Unicode (a no-break space, an
// ideographic space), is judged and kept trimmed, whatever its column; a cell of spaces only
// is empty. curate.sql trims a boolean, a case type and a date each its own way.
func TestPaddedCells(t *testing.T) {
	rows := strings.Join([]string{
		" P1 , fasttrack , JA ,\u00a0nej\u3000, 1,  2024-01-02 , 2024-01-05T10:00:00Z,2024-01-06 ",
		"P2,fasttrack,ja,   ,\u3000,2024-01-03,\u00a02024-01-04T23:30:00+01:00,",
		"P3,  ,ja,,,2024-01-02,2024-01-05,",
		"P4,fasttrack,\u3000,,,2024-01-02,2024-01-05,",
		"P5,fasttrack,ja, x ,,2024-01-02,2024-01-05,",
		"P6,fasttrack,ja,,,2024-01-02,2024-01-0 5,",
	}, "\n") + "\n"
	f := newFixture(t, "plans: [2024]\nsources:\n  - {name: export, kind: csv, path: cases.csv}\n",
		map[string]string{"cases.csv": caseHeader + rows})
	f.run("2024-12-31")
	want := map[string]string{
		"P1": "fasttrack true false true 2024-01-02 2024-01-05T10:00:00Z 2024-01-05 23:00:00+00 2024-01-02 2024-01-05",
		"P2": "fasttrack true false true 2024-01-03 2024-01-04T23:30:00+01:00 <nil> 2024-01-03 2024-01-04",
	}
	got := map[string]string{}
	for _, r := range f.query(`SELECT case_id, case_type, first_time, complex, has_service_target, submitted_at,
		decided_at, CAST(updated_at AS VARCHAR) AS u, CAST(submitted_date AS VARCHAR) AS s,
		CAST(decided_date AS VARCHAR) AS d FROM cases`) {
		got[r["case_id"].(string)] = fmt.Sprintf("%v %v %v %v %v %v %v %v %v", r["case_type"], r["first_time"], r["complex"], r["has_service_target"],
			r["submitted_at"], r["decided_at"], r["u"], r["s"], r["d"])
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("case %s:\n got %s\nwant %s", id, got[id], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("cases %v, want only %v", got, want)
	}
	wantReasons := map[string]string{"P3": "missing_case_type", "P4": "bad_boolean", "P5": "bad_boolean", "P6": "bad_date"}
	for _, r := range f.query("SELECT case_id, reason FROM quarantine") {
		id := r["case_id"].(string)
		if r["reason"] != wantReasons[id] {
			t.Errorf("quarantined %s: reason %v, want %q", id, r["reason"], wantReasons[id])
		}
		delete(wantReasons, id)
	}
	if len(wantReasons) != 0 {
		t.Errorf("not quarantined: %v", wantReasons)
	}
}

// dedupeRows are cases that arrive more than once in one file: by updated_at (D1, D2, across
// a time zone), by row order without one (D3), and with the newer row quarantined (D4).
const dedupeRows = `
		D1,eu_ophold,ja,,,2024-01-01,2024-01-09,2024-02-01T00:00:00Z
		D1,eu_ophold,ja,,,2024-01-01,2024-01-02,2024-01-09T00:00:00Z
		D2,eu_ophold,ja,,,2024-01-01,2024-01-03,2024-02-01T00:00:00Z
		D2,eu_ophold,ja,,,2024-01-01,2024-01-04,2024-02-01T01:00:00+01:00
		D3,eu_ophold,ja,,,2024-01-01,2024-01-05,2024-01-06T00:00:00Z
		D3,eu_ophold,ja,,,2024-01-01,2024-01-06,
		D4,eu_ophold,ja,,,2024-01-01,2024-01-07,2024-01-08T00:00:00Z
		D4,eu_ophold,maybe,,,2024-01-01,2024-01-01,2024-03-01T00:00:00Z
		D5,eu_ophold,ja,,,2024-01-01,2024-01-08,
`

// TestDedupe: the newest updated_at wins, then the later row; a quarantined row never
// replaces a good one; across files of one glob the later file wins.
func TestDedupe(t *testing.T) {
	a := caseHeader + dedent(dedupeRows)
	b := caseHeader + dedent(`
		D5,eu_ophold,ja,,,2024-01-01,2024-01-10,
	`)
	body := "plans: [2024]\nsources:\n  - {name: export, kind: csv, path: 'cases-*.csv'}\n"
	f := newFixture(t, body, map[string]string{"cases-a.csv": a, "cases-b.csv": b})
	sum := f.run("2024-12-31")
	want := map[string]string{"D1": "2024-01-09", "D2": "2024-01-04", "D3": "2024-01-05", "D4": "2024-01-07", "D5": "2024-01-10"}
	rows := f.query("SELECT case_id, CAST(decided_date AS VARCHAR) AS d FROM cases")
	if len(rows) != len(want) {
		t.Fatalf("%d cases, want %d", len(rows), len(want))
	}
	for _, r := range rows {
		if id := r["case_id"].(string); r["d"] != want[id] {
			t.Errorf("%s: decided %v, want %s", id, r["d"], want[id])
		}
	}
	if sum.Sources[0].RowsRead != 10 || sum.Sources[0].RowsQuarantined != 1 || sum.Sources[0].RowsWritten != 5 {
		t.Errorf("counts %+v", sum.Sources[0])
	}
}

// TestSourceOptions reads a Danish export: ';', a BOM, ja/nej and renamed columns.
func TestSourceOptions(t *testing.T) {
	export := "\ufeffsagsnr;sagstype;foerstegang;modtaget;afgjort\n" +
		"S1;eu_ophold;ja;2024-03-01;2024-03-02\n" +
		"S2;eu_ophold;NEJ;2024-03-01T10:00:00+01:00;2024-03-03T09:00:00Z\n"
	body := `plans: [2024]
sources:
  - name: siri
    kind: csv
    path: export.csv
    columns: {case_id: sagsnr, case_type: sagstype, first_time: foerstegang, submitted_at: modtaget, decided_at: afgjort}
`
	f := newFixture(t, body, map[string]string{"export.csv": export})
	f.run("2024-12-31")
	if got := counts(f.scorecardRow("2024", "eu.1", "2024-03")); got != "decided=2 within=1 excluded=0 pending=0 breached=0 met=false points=0" {
		t.Errorf("eu.1 2024-03: %s", got)
	}
}

// TestFailedRunPublishesNothing: a run that fails leaves every published file as it was and
// records the failure in runs.
func TestFailedRunPublishesNothing(t *testing.T) {
	f := csvFixture(t, "A1,eu_ophold,ja,,,2024-01-01,2024-01-02,\n", "2024")
	f.run("2024-12-31")
	before := lakeHashes(t, f.cfg.LakeDir())
	if err := os.WriteFile(filepath.Join(f.dir, "cases.csv"), []byte("case_id,case_type,submitted_at\nA1,eu_ophold,2024-01-01\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := f.tryRun("2024-12-31")
	if err == nil || !strings.Contains(err.Error(), "first_time") {
		t.Fatalf("run over a file without first_time: err = %v", err)
	}
	after := lakeHashes(t, f.cfg.LakeDir())
	for path, h := range before {
		if after[path] != h {
			t.Errorf("%s changed by a failed run", path)
		}
	}
	for path := range after {
		if _, ok := before[path]; !ok && !strings.HasPrefix(path, "runs/") {
			t.Errorf("%s published by a failed run", path)
		}
	}
	runs := f.query("SELECT status, error FROM runs ORDER BY status DESC") // both start at testNow
	if len(runs) != 2 || runs[0]["status"] != lake.StatusSucceeded || runs[1]["status"] != lake.StatusFailed ||
		!strings.Contains(runs[1]["error"].(string), "first_time") {
		t.Errorf("runs: %+v", runs)
	}
	if _, err := os.Stat(filepath.Join(f.cfg.LakeDir(), lake.StagingDirName, "")); err == nil {
		if left, _ := os.ReadDir(filepath.Join(f.cfg.LakeDir(), lake.StagingDirName)); len(left) > 0 {
			t.Errorf("staging left behind: %v", left)
		}
	}
}

// TestQueryIsReadOnly: query accepts SELECT and nothing that writes.
func TestQueryIsReadOnly(t *testing.T) {
	f := csvFixture(t, "A1,eu_ophold,ja,,,2024-01-01,2024-01-02,\n", "2024")
	f.run("2024-12-31")
	lakeDir := lake.Lake{Dir: f.cfg.LakeDir()}
	for _, q := range []string{
		"DELETE FROM cases",
		"COPY (SELECT 1) TO '" + filepath.Join(f.dir, "lake", "x.parquet") + "'",
		"CREATE TABLE x AS SELECT 1",
		"SELECT 1; DROP VIEW scorecard",
		"ATTACH '" + filepath.Join(f.dir, "x.db") + "'",
	} {
		if _, err := Query(t.Context(), lakeDir, f.cfg.DuckDB, q); err == nil {
			t.Errorf("query %q was accepted", q)
		}
	}
	res, err := Query(t.Context(), lakeDir, f.cfg.DuckDB, "SELECT count(*) AS n FROM case_results")
	if err != nil || res.Rows[0][0] != int64(1) {
		t.Errorf("select: %v %v", res, err)
	}
}

// lakeHashes hashes every file of the published version, by path within it.
func lakeHashes(t *testing.T, lakeDir string) map[string]string {
	t.Helper()
	dir, err := lake.Lake{Dir: lakeDir}.Current()
	if err != nil || dir == "" {
		t.Fatalf("no published version in %s: %v", lakeDir, err)
	}
	out := map[string]string{}
	for _, rel := range versionFiles(t, dir) {
		sum, err := lake.FileSHA256(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		out[rel] = sum
	}
	return out
}

// versionFiles lists every file of a version, by path within it (slashes), the files of its run
// partitions (links into the lake's parts) included.
func versionFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	var walk func(root, under string)
	walk = func(root, under string) {
		err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(root, path)
			rel = filepath.Join(under, rel)
			if d.Type()&os.ModeSymlink != 0 {
				walk(path+string(filepath.Separator), rel)
				return nil
			}
			out = append(out, filepath.ToSlash(rel))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	walk(dir, "")
	sort.Strings(out)
	return out
}

// TestQuarantineFollowsTheFile: when a file is landed again because it changed, the rows its
// earlier landing rejected leave the quarantine view; the new landing's rejected rows are there.
func TestQuarantineFollowsTheFile(t *testing.T) {
	f := csvFixture(t, `
		A1,eu_ophold,maybe,,,2024-01-01,2024-01-02,
		A2,eu_ophold,ja,,,2024-02-30,,
		A3,eu_ophold,ja,,,2024-01-01,2024-01-02,
	`, "2024")
	f.run("2024-12-31")
	if n := len(f.query("SELECT * FROM quarantine")); n != 2 {
		t.Fatalf("%d quarantined rows after the first run, want 2", n)
	}
	f.writeCases(`
		A1,eu_ophold,ja,,,2024-01-01,2024-01-02,
		A2,eu_ophold,ja,,,2024-02-28,,
		A3,eu_ophold,ja,,,2024-01-01,2024-01-02,
		A4,nosuch,ja,,,2024-01-01,2024-01-02,
	`)
	f.run("2024-12-31")
	got := f.query("SELECT reason, case_id FROM quarantine")
	if len(got) != 1 || got[0]["case_id"] != "A4" || got[0]["reason"] != "unknown_case_type" {
		t.Errorf("quarantine after the file changed: %v", got)
	}
}

// TestStageMixesReaders lands a glob whose files take every road: a plain file DuckDB reads
// itself, one with quotes left to the streaming reader, and one DuckDB fails on (a row longer
// than its header), read again by the streaming reader. Each row keeps its line number.
func TestStageMixesReaders(t *testing.T) {
	f := newFixture(t, "plans: [2024]\nsources:\n  - {name: export, kind: csv, path: '*.csv'}\n", map[string]string{
		"a.csv": caseHeader + "A1,studie,ja,,,2024-01-02,2024-01-05,\nA2,studie,ja,,,2024-01-02,2024-01-06,\n",
		"b.csv": caseHeader + "\"B1\",studie,ja,,,2024-01-02,2024-01-05,\n",
		"c.csv": caseHeader + "C1,studie,ja,,,2024-01-02,2024-01-05,\nC2,studie,ja,,,2024-01-02,2024-01-05,,extra\n",
	})
	f.run("2024-12-31")
	var got []string
	for _, row := range f.query("SELECT case_id, source_file, source_row FROM cases ORDER BY case_id") {
		got = append(got, fmt.Sprintf("%v %s:%v", row["case_id"], filepath.Base(row["source_file"].(string)), row["source_row"]))
	}
	want := []string{"A1 a.csv:2", "A2 a.csv:3", "B1 b.csv:2", "C1 c.csv:2", "C2 c.csv:3"}
	if !slices.Equal(got, want) {
		t.Errorf("cases = %v, want %v", got, want)
	}
	parts, err := filepath.Glob(filepath.Join(f.cfg.LakeDir(), lake.TableRaw, "source=export", "run_id=*", "part-*.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range parts {
		names = append(names, filepath.Base(p))
	}
	// a.csv is file 0, read by DuckDB; b.csv and c.csv are streamed into the part after the last file.
	if want := []string{"part-00000.parquet", "part-00003.parquet"}; !slices.Equal(names, want) {
		t.Errorf("raw landing files = %v, want %v", names, want)
	}
}

// TestDirectLandingKeepsLineNumbers lands a file large enough for DuckDB to read in many
// blocks, each case named after its line, and checks every row kept its line number.
func TestDirectLandingKeepsLineNumbers(t *testing.T) {
	if testing.Short() {
		t.Skip("lands 300,000 rows")
	}
	var b strings.Builder
	b.WriteString(caseHeader)
	const rows = 300_000
	for line := 2; line < rows+2; line++ {
		fmt.Fprintf(&b, "L%d,studie,ja,,,2024-01-02,2024-01-05,\n", line)
	}
	f := newFixture(t, "plans: [2024]\nsources:\n  - {name: export, kind: csv, path: cases.csv}\n",
		map[string]string{"cases.csv": b.String()})
	f.run("2024-12-31")
	got := f.query("SELECT count(*) AS n, count(*) FILTER (WHERE source_row = CAST(case_id[2:] AS BIGINT)) AS same FROM cases")
	if got[0]["n"] != int64(rows) || got[0]["same"] != int64(rows) {
		t.Errorf("cases: %v, want %d rows, each on the line its id names", got[0], rows)
	}
}

// TestExtractionTimePerSourceAndFile: parsed rows hold no extraction time; it is looked up by
// their source. Two sources land the same file (and one of them another), each at its own time,
// and every case and rejected row keeps the time of its own source's landing.
func TestExtractionTimePerSourceAndFile(t *testing.T) {
	f := newFixture(t, `plans: [2024]
sources:
  - {name: first, kind: csv, path: 'shared.csv'}
  - {name: second, kind: csv, path: '*.csv'}
`, map[string]string{
		"shared.csv": caseHeader + "S1,studie,ja,,,2024-01-02,2024-01-05,\nS2,studie,maybe,,,2024-01-02,2024-01-05,\n",
		"other.csv":  caseHeader + "O1,studie,ja,,,2024-01-02,2024-01-06,\n",
	})
	f.run("2024-12-31")
	landings := `(SELECT DISTINCT source, source_file, extracted_at
		FROM read_parquet(getvariable('lake') || '/raw/*/*/*.parquet', hive_partitioning = true))`
	for _, table := range []string{"cases", "quarantine"} {
		rows := f.query(fmt.Sprintf(`SELECT t.source, t.source_file, t.extracted_at = r.extracted_at AS same
			FROM %s t JOIN %s r ON r.source = t.source AND r.source_file = t.source_file
			ORDER BY ALL`, table, landings))
		want := map[string]int{"cases": 3, "quarantine": 2}[table]
		if len(rows) != want {
			t.Fatalf("%s: %d rows with a landing, want %d", table, len(rows), want)
		}
		for _, r := range rows {
			if r["same"] != true {
				t.Errorf("%s: %s %s has another landing's extraction time", table, r["source"], filepath.Base(r["source_file"].(string)))
			}
		}
	}
	times := f.query(`SELECT count(DISTINCT extracted_at) AS n FROM cases`)
	if times[0]["n"] != int64(2) {
		t.Errorf("cases hold %v extraction times, want 2 (one per source)", times[0]["n"])
	}
}

// TestNightlyMergeKeepsEachSourcesCase: two sources may hold the same case id (unique within
// its source only). A nightly file of one of them replaces its own record of the case, found
// among the published ones by the id alone (merge.sql match_rows), and leaves the other
// source's record, in another partition, as it was.
func TestNightlyMergeKeepsEachSourcesCase(t *testing.T) {
	f := newFixture(t, `plans: [2024]
sources:
  - {name: first, kind: csv, path: 'a*.csv'}
  - {name: second, kind: csv, path: 'b*.csv'}
`, map[string]string{
		"a1.csv": caseHeader + "S1,studie,ja,,,2024-01-02,2024-01-05,2024-01-05T10:00:00Z\n",
		"b1.csv": caseHeader + "S1,studie,ja,,,2024-03-02,,2024-03-02T10:00:00Z\nS2,studie,ja,,,2024-03-02,,\n",
	})
	first := f.run("2024-12-31")
	f.writeFile("b2.csv", caseHeader+"S1,studie,ja,,,2024-03-02,2024-05-20,2024-05-20T10:00:00Z\n")
	second := f.run("2024-12-31")
	wantCases(t, f, []string{
		"first S1 2024-01-05 " + first.RunID,
		"second S1 2024-05-20 " + second.RunID,
		"second S2 <nil> " + first.RunID, // rewritten with its partition, undecided-2024, not changed
	})
}

// TestNightlyMergeFindsOpenAndDecidedCases: a day's file that brings again decided cases of one
// source (one of whose ids another source holds open), an open case and a new one. The merge
// looks for the day's cases among the open ones first and for the rest among the decided ones:
// each record must be ranked against its own published one wherever that lies (S5's is newer
// and stays), and the partitions the moved ones leave must lose them (S1 leaves 2024-Q1, S3
// undecided-2023, which nothing else touches).
func TestNightlyMergeFindsOpenAndDecidedCases(t *testing.T) {
	f := newFixture(t, `plans: [2024]
sources:
  - {name: first, kind: csv, path: 'a*.csv'}
  - {name: second, kind: csv, path: 'b*.csv'}
`, map[string]string{
		"a1.csv": caseHeader +
			"S1,studie,ja,,,2024-01-02,2024-01-05,2024-01-05T10:00:00Z\n" +
			"S3,studie,ja,,,2023-11-01,,2023-11-01T10:00:00Z\n" +
			"S5,studie,ja,,,2024-02-01,2024-02-10,2024-06-01T10:00:00Z\n",
		"b1.csv": caseHeader + "S1,studie,ja,,,2024-03-02,,2024-03-02T10:00:00Z\n",
	})
	first := f.run("2024-12-31")
	f.writeFile("a2.csv", caseHeader+
		"S1,studie,ja,,,2024-01-02,2024-04-09,2024-06-01T10:00:00Z\n"+ // decided, now in another quarter
		"S3,studie,ja,,,2023-11-01,2024-04-02,2024-06-01T10:00:00Z\n"+ // open, now decided
		"S5,studie,ja,,,2024-02-01,2024-03-01,2024-05-01T10:00:00Z\n"+ // older than the published one
		"S4,studie,ja,,,2024-05-01,,\n") // new
	second := f.run("2024-12-31")
	wantCases(t, f, []string{
		"first S1 2024-04-09 " + second.RunID,
		"first S3 2024-04-02 " + second.RunID,
		"first S4 <nil> " + second.RunID,
		"first S5 2024-02-10 " + first.RunID,
		"second S1 <nil> " + first.RunID,
	})
}

// TestUnreadableCasesFooterFailsTheRun: a published cases file whose footer cannot be read
// (curate.go reads the ids' bounds and the rows from it while the day's rows are parsed) fails
// the next run, naming the file, and the lake keeps what it published.
func TestUnreadableCasesFooterFailsTheRun(t *testing.T) {
	f := newFixture(t, "plans: [2024]\nsources:\n  - {name: first, kind: csv, path: 'a*.csv'}\n", map[string]string{
		"a1.csv": caseHeader + "S1,studie,ja,,,2024-01-02,2024-01-05,2024-01-05T10:00:00Z\n",
	})
	f.run("2024-12-31")
	files, err := filepath.Glob(filepath.Join(f.cfg.LakeDir(), "cases", "*", "*.parquet"))
	if err != nil || len(files) != 1 {
		t.Fatalf("published cases files: %v, %v", files, err)
	}
	// the version's file is a hard link of its own: replaced, not written through
	bad, err := filepath.EvalSymlinks(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(bad); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("PAR1 not a footer PAR1"), 0o644); err != nil {
		t.Fatal(err)
	}
	// the run reads it through the published version
	cur, err := lake.Lake{Dir: f.cfg.LakeDir()}.Current()
	if err != nil {
		t.Fatal(err)
	}
	read := filepath.Join(cur, lake.TableCases, filepath.Base(filepath.Dir(files[0])), filepath.Base(files[0]))
	f.writeFile("a2.csv", caseHeader+"S2,studie,ja,,,2024-03-02,,\n")
	_, err = f.tryRun("2024-12-31")
	if err == nil || !strings.Contains(err.Error(), read) {
		t.Fatalf("run over an unreadable cases file: %v, want an error naming %s", err, read)
	}
	// the version that records the failure holds the published cases as they were
	after, err := filepath.Glob(filepath.Join(f.cfg.LakeDir(), "cases", "*", "*.parquet"))
	if err != nil || len(after) != 1 {
		t.Fatalf("cases files after the failed run: %v, %v", after, err)
	}
	was, errWas := os.Stat(bad)
	now, errNow := os.Stat(after[0])
	if errWas != nil || errNow != nil || !os.SameFile(was, now) {
		t.Errorf("after the failed run the cases file is %s, want %s kept (%v, %v)", after[0], bad, errWas, errNow)
	}
}

// wantCases checks the lake's cases, each as "source case_id decided_date run_id", in order.
func wantCases(t *testing.T, f *fixture, want []string) {
	t.Helper()
	rows := f.query(`SELECT source, case_id, decided_date::VARCHAR AS decided, run_id FROM cases ORDER BY ALL`)
	if len(rows) != len(want) {
		t.Fatalf("%d cases, want %d: %v", len(rows), len(want), rows)
	}
	for i, r := range rows {
		if got := fmt.Sprint(r["source"], " ", r["case_id"], " ", r["decided"], " ", r["run_id"]); got != want[i] {
			t.Errorf("case %d: %s, want %s", i, got, want[i])
		}
	}
}

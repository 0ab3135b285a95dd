package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"scorecard/pipeline/config"
	"scorecard/pipeline/curate"
	"scorecard/pipeline/engine"
	"scorecard/pipeline/lake"
)

// dailyFiles are three days of a drop folder, ten cases each: a delta export per day.
func dailyFiles() map[string]string {
	files := map[string]string{}
	for day := 1; day <= 3; day++ {
		decided := fmt.Sprintf("2024-03-%02d", day+10)
		files[fmt.Sprintf("drop/2024-03-%02d.csv", day)] = caseHeader +
			caseRows(fmt.Sprintf("D%d-", day), "eu_ophold", "ja", decided, []int{0, 0, 1, 2, 0, 0, 1, 0, 3, 0})
	}
	return files
}

// dropFixture is a fixture whose source "export" reads drop/*.csv with the given extra keys.
func dropFixture(t *testing.T, extra string) *fixture {
	t.Helper()
	body := "plans: [2024]\nsources:\n  - {name: export, kind: csv, path: 'drop/*.csv'" + extra + "}\n"
	f := newFixture(t, body, nil)
	for name, text := range dailyFiles() {
		f.writeFile(name, text)
	}
	return f
}

func (f *fixture) removeFile(name string) {
	f.t.Helper()
	if err := os.Remove(filepath.Join(f.dir, name)); err != nil {
		f.t.Fatal(err)
	}
}

// caseIDs lists the lake's case ids, sorted, as one string.
func (f *fixture) caseIDs() string {
	f.t.Helper()
	var ids []string
	for _, row := range f.query("SELECT case_id FROM cases ORDER BY case_id") {
		ids = append(ids, row["case_id"].(string))
	}
	return strings.Join(ids, " ")
}

// TestDeltaKeepsCasesOfGoneFiles: a delta source (the default) whose oldest file is rotated
// away keeps that file's cases and changes no figure; a changed file is landed again and
// merged, and a row missing from it does not delete its case; --full lands the present files
// again without removing the cases of the gone one; the gone file coming back unchanged is
// not landed again. Before modes, the rotation rebuilt the source and lost ten cases.
func TestDeltaKeepsCasesOfGoneFiles(t *testing.T) {
	f := dropFixture(t, "")
	f.run("2024-12-31")
	ids, scorecard := f.caseIDs(), scorecardContent(t, f)
	if n := len(strings.Fields(ids)); n != 30 {
		t.Fatalf("first run: %d cases, want 30", n)
	}
	oldest := f.dir + "/drop/2024-03-01.csv"
	saved, err := os.ReadFile(oldest)
	if err != nil {
		t.Fatal(err)
	}
	f.removeFile("drop/2024-03-01.csv")
	sum := f.run("2024-12-31")
	if got := f.caseIDs(); got != ids {
		t.Errorf("after the rotation the cases are\n%s\nwant\n%s", got, ids)
	}
	if scorecardContent(t, f) != scorecard || sum.Restatements != 0 {
		t.Errorf("the rotation changed the scorecard (%d restatements)", sum.Restatements)
	}
	if len(sum.Shrink) != 1 || fmt.Sprint(sum.Shrink[0].FilesGone) != "["+oldest+"]" || sum.Shrink[0].CasesRemoved != 0 {
		t.Errorf("run record of the rotation: %+v", sum.Shrink)
	}
	runs := f.query("SELECT shrink[1].files_gone AS gone, shrink[1].mode AS mode FROM runs WHERE run_id = '" + sum.RunID + "'")
	if fmt.Sprint(runs) != "[map[gone:["+oldest+"] mode:delta]]" {
		t.Errorf("runs row of the rotation: %v", runs)
	}
	// The next run does not report the same file again.
	if again := f.run("2024-12-31"); len(again.Shrink) != 0 {
		t.Errorf("a file gone earlier is reported again: %+v", again.Shrink)
	}

	// A changed file: D2-00 is now decided later, D2-01 is missing from it (its case stays).
	changed := strings.Replace(dailyFiles()["drop/2024-03-02.csv"], "D2-00,eu_ophold,ja,,,2024-03-12,2024-03-12,", "D2-00,eu_ophold,ja,,,2024-03-12,2024-03-20,", 1)
	changed = strings.Replace(changed, "D2-01,eu_ophold,ja,,,2024-03-12,2024-03-12,\n", "", 1)
	f.writeFile("drop/2024-03-02.csv", changed)
	sum = f.run("2024-12-31")
	if sum.Sources[0].FilesLanded != 1 || sum.Sources[0].RowsRead != 9 {
		t.Errorf("changed file: landed %+v, want the one file, 9 rows", sum.Sources[0])
	}
	if got := f.caseIDs(); got != ids {
		t.Errorf("after a row left a changed delta file the cases are\n%s\nwant\n%s", got, ids)
	}
	if d := f.query("SELECT CAST(decided_date AS VARCHAR) AS d FROM cases WHERE case_id = 'D2-00'"); fmt.Sprint(d) != "[map[d:2024-03-20]]" {
		t.Errorf("D2-00 after its file changed: %v", d)
	}

	// --full lands every present file again and removes nothing.
	f.full = true
	sum = f.run("2024-12-31")
	f.full = false
	if sum.Sources[0].FilesLanded != 2 || f.caseIDs() != ids {
		t.Errorf("--full on a delta source: landed %d files, cases %s", sum.Sources[0].FilesLanded, f.caseIDs())
	}

	// The rotated file restored unchanged is known: not landed again.
	f.writeFile("drop/2024-03-01.csv", string(saved))
	if sum := f.run("2024-12-31"); sum.Sources[0].FilesLanded != 0 || len(sum.Shrink) != 0 {
		t.Errorf("the restored file: %+v, %+v", sum.Sources[0], sum.Shrink)
	}
}

// TestSnapshotShrinkGuard: the same drop folder read as a snapshot. Removing a file would
// remove its ten cases (a third): the run fails, names the source, the count and the file,
// and publishes nothing but its failed run record, which keeps the figures. With
// --allow-shrink it passes and removed_cases lists exactly the cases that left, and why; the
// lake then equals one built from the files present.
func TestSnapshotShrinkGuard(t *testing.T) {
	f := dropFixture(t, ", mode: snapshot")
	f.run("2024-12-31")
	before := lakeHashes(t, f.cfg.LakeDir())
	f.removeFile("drop/2024-03-01.csv")
	_, err := f.tryRun("2024-12-31")
	gone := filepath.Join(f.dir, "drop", "2024-03-01.csv")
	if !errors.Is(err, curate.ErrShrink) {
		t.Fatalf("err = %v, want ErrShrink", err)
	}
	for _, want := range []string{"source export", "10 of its 30 published cases", "33.3%", "max_shrink_pct is 1", "files gone: " + gone, "--allow-shrink"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	for path, h := range lakeHashes(t, f.cfg.LakeDir()) {
		if !strings.HasPrefix(path, "runs/") && before[path] != h {
			t.Errorf("%s changed by a refused run", path)
		}
	}
	failed := f.query("SELECT status, shrink[1].cases_removed AS removed, shrink[1].cases_published AS published, shrink[1].allowed AS allowed FROM runs WHERE status = 'failed'")
	if fmt.Sprint(failed) != "[map[allowed:false published:30 removed:10 status:failed]]" {
		t.Errorf("the refused run's record: %v", failed)
	}

	f.shrink = true
	sum := f.run("2024-12-31")
	if len(sum.Shrink) != 1 || !sum.Shrink[0].Allowed || sum.Shrink[0].CasesRemoved != 10 {
		t.Errorf("allowed run's record: %+v", sum.Shrink)
	}
	removed := f.query("SELECT count(*) AS n, min(case_id) AS lo, max(case_id) AS hi, any_value(reason) AS reason, count(DISTINCT source_file) AS files, any_value(source_file) AS file, count(*) FILTER (WHERE run_id = '" + sum.RunID + "') AS this_run FROM removed_cases")
	if fmt.Sprint(removed) != "[map[file:"+gone+" files:1 hi:D1-09 lo:D1-00 n:10 reason:not_in_source this_run:10]]" {
		t.Errorf("removed_cases: %v", removed)
	}
	scratch := newFixture(t, "plans: [2024]\nsources:\n  - {name: export, kind: csv, path: 'drop/*.csv', mode: snapshot}\n", nil)
	for name, text := range dailyFiles() {
		if name != "drop/2024-03-01.csv" {
			scratch.writeFile(name, text)
		}
	}
	scratch.run("2024-12-31")
	if f.caseIDs() != scratch.caseIDs() || scorecardContent(t, f) != scorecardContent(t, scratch) {
		t.Error("after the allowed removal the lake differs from one built from the files present")
	}
}

// TestSnapshotQuarantinedRowRemovesItsCase: in a snapshot, a case whose new row is rejected is
// no longer held by the source: it leaves (within the limit) and removed_cases says it was
// quarantined, with the reason, file and line.
func TestSnapshotQuarantinedRowRemovesItsCase(t *testing.T) {
	f := dropFixture(t, ", mode: snapshot, max_shrink_pct: 5")
	f.run("2024-12-31")
	day := dailyFiles()["drop/2024-03-03.csv"]
	f.writeFile("drop/2024-03-03.csv", strings.Replace(day, "D3-04,eu_ophold,ja,,,2024-03-13,2024-03-13,", "D3-04,eu_ophold,ja,,,2024-03-13,2024-13-13,", 1))
	sum := f.run("2024-12-31")
	if len(sum.Shrink) != 1 || sum.Shrink[0].CasesRemoved != 1 || sum.Shrink[0].Allowed {
		t.Errorf("run record: %+v", sum.Shrink)
	}
	got := f.query("SELECT case_id, reason, quarantine_reason, quarantine_row FROM removed_cases")
	if fmt.Sprint(got) != "[map[case_id:D3-04 quarantine_reason:bad_date quarantine_row:6 reason:quarantined]]" {
		t.Errorf("removed_cases: %v", got)
	}
	if n := len(strings.Fields(f.caseIDs())); n != 29 {
		t.Errorf("%d cases, want 29", n)
	}
}

// TestLakeBeforeModesUpgrades: a lake written before modes existed (its landed-files state has
// no gone_run_id, its runs no shrink) keeps working: its source becomes a delta, so rotating
// its oldest file away keeps the cases, and the runs view reads old and new records together.
func TestLakeBeforeModesUpgrades(t *testing.T) {
	f := dropFixture(t, "")
	f.run("2024-12-31")
	ids := f.caseIDs()
	cur, err := lake.Lake{Dir: f.cfg.LakeDir()}.Current()
	if err != nil {
		t.Fatal(err)
	}
	// Rewrite the version's state and run record as an older scorecard wrote them.
	state := filepath.Join(cur, lake.TableState, "landed_files", lake.PartitionFile)
	runFiles, _ := filepath.Glob(filepath.Join(cur, lake.TableRuns, "*.parquet"))
	rewrite := map[string]string{state: "gone_run_id", runFiles[0]: "shrink"}
	for path, column := range rewrite {
		old := path + ".old"
		if err := os.Rename(path, old); err != nil {
			t.Fatal(err)
		}
		eng, err := openEngine(t.Context(), f.cfg.DuckDB, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		err = eng.Exec(t.Context(), fmt.Sprintf("COPY (SELECT * EXCLUDE (%s) FROM read_parquet(%s)) TO %s (FORMAT parquet)", column, engine.Quote(old), engine.Quote(path)))
		eng.Close()
		if err != nil {
			t.Fatal(err)
		}
		os.Remove(old)
	}
	f.removeFile("drop/2024-03-01.csv")
	sum := f.run("2024-12-31")
	if f.caseIDs() != ids || sum.Restatements != 0 {
		t.Errorf("upgraded lake after a rotation: cases %s, %d restatements", f.caseIDs(), sum.Restatements)
	}
	if runs := f.query("SELECT count(*) AS n, count(shrink) AS with_shrink FROM runs"); fmt.Sprint(runs) != "[map[n:2 with_shrink:1]]" {
		t.Errorf("runs of an upgraded lake: %v", runs)
	}
}

// TestSQLSourceReadWholeShrinkGuard: an SQL source read whole is a snapshot: when its table is
// emptied (a truncated table, a wrong filter) the run is refused and the lake keeps its cases;
// a few deleted rows within max_shrink_pct leave the lake and are listed.
func TestSQLSourceReadWholeShrinkGuard(t *testing.T) {
	table, conn := pgTable(t, sqlCases(200))
	f := newFixture(t, sqlSourceConfig("postgres", "SCORECARD_TEST_PG_DSN", table, "    max_shrink_pct: 2\n"), nil)
	f.run("2024-12-31")
	// Two rows deleted: 1% of 200, within the source's 2%.
	if _, err := conn.Exec(t.Context(), "DELETE FROM "+table+" WHERE sagsnr IN (SELECT sagsnr FROM "+table+" ORDER BY sagsnr LIMIT 2)"); err != nil {
		t.Fatal(err)
	}
	sum := f.run("2024-12-31")
	if len(sum.Shrink) != 1 || sum.Shrink[0].CasesRemoved != 2 || sum.Shrink[0].Mode != config.ModeSnapshot {
		t.Errorf("two rows deleted: %+v", sum.Shrink)
	}
	if got := f.query("SELECT count(*) AS n, any_value(reason) AS reason FROM removed_cases"); fmt.Sprint(got) != "[map[n:2 reason:not_in_source]]" {
		t.Errorf("removed_cases: %v", got)
	}
	ids := f.caseIDs()
	if _, err := conn.Exec(t.Context(), "DELETE FROM "+table); err != nil {
		t.Fatal(err)
	}
	_, err := f.tryRun("2024-12-31")
	if !errors.Is(err, curate.ErrShrink) || !strings.Contains(err.Error(), "198 of its 198 published cases") || !strings.Contains(err.Error(), "read whole") {
		t.Fatalf("emptied table: err = %v", err)
	}
	if f.caseIDs() != ids {
		t.Error("a refused run changed the cases")
	}
}

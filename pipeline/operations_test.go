package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"scorecard/pipeline/engine"
	"scorecard/pipeline/lake"
	"scorecard/pipeline/period"
	"scorecard/pipeline/runstate"
)

// backfillCases is a year of fasttrack cases, three a quarter, and one EU case in Q2.
const backfillCases = `
	Q1A,fasttrack,ja,,,2024-01-02,2024-01-20,2024-02-01T00:00:00Z
	Q1B,fasttrack,ja,,,2024-01-02,2024-02-20,2024-03-01T00:00:00Z
	Q2A,fasttrack,ja,,,2024-04-02,2024-04-20,2024-05-01T00:00:00Z
	Q2B,fasttrack,ja,,,2024-04-02,2024-05-02,2024-05-03T00:00:00Z
	Q2C,fasttrack,ja,,,2024-05-02,2024-06-20,2024-07-01T00:00:00Z
	Q2E,eu_ophold,ja,,,2024-05-02,2024-05-02,2024-05-03T00:00:00Z
	Q3A,fasttrack,ja,,,2024-07-02,2024-07-20,2024-08-01T00:00:00Z
	Q4A,fasttrack,ja,,,2024-10-02,2024-10-20,2024-11-01T00:00:00Z
`

// backfillCorrected changes Q2 only: Q2A is now late (moved out of target), Q2C is corrected to
// within target, Q2D is new; Q3A's correction lies outside the window and must be ignored.
const backfillCorrected = `
	Q1A,fasttrack,ja,,,2024-01-02,2024-01-20,2024-02-01T00:00:00Z
	Q1B,fasttrack,ja,,,2024-01-02,2024-02-20,2024-03-01T00:00:00Z
	Q2A,fasttrack,ja,,,2024-04-02,2024-05-20,2024-09-01T00:00:00Z
	Q2B,fasttrack,ja,,,2024-04-02,2024-05-02,2024-05-03T00:00:00Z
	Q2C,fasttrack,ja,,,2024-05-02,2024-05-30,2024-09-01T00:00:00Z
	Q2D,fasttrack,ja,,,2024-06-01,2024-06-02,2024-09-01T00:00:00Z
	Q2E,eu_ophold,ja,,,2024-05-02,2024-05-02,2024-05-03T00:00:00Z
	Q3A,fasttrack,ja,,,2024-07-02,2024-09-20,2024-09-21T00:00:00Z
	Q4A,fasttrack,ja,,,2024-10-02,2024-10-20,2024-11-01T00:00:00Z
`

func (f *fixture) writeCases(rows string) {
	f.t.Helper()
	f.writeFile("cases.csv", caseHeader+dedent(rows))
}

// writeFile writes a file into the fixture's folder (name may hold folders), between runs.
func (f *fixture) writeFile(name, body string) {
	f.t.Helper()
	path := filepath.Join(f.dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		f.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) backfill(quarter, asOf string) *runstate.Summary {
	f.t.Helper()
	w, err := period.ParseQuarter(quarter)
	if err != nil {
		f.t.Fatal(err)
	}
	f.window = &w
	defer func() { f.window = nil }()
	return f.run(asOf)
}

// TestBackfillTouchesOnlyItsWindow: a backfill of 2024Q2 rewrites the Q2 and year partitions of
// the scorecard and Q2 of case_results, leaves every other partition byte for byte, and gives
// the same rows when run twice.
func TestBackfillTouchesOnlyItsWindow(t *testing.T) {
	f := csvFixture(t, backfillCases, "2024")
	f.run("2024-12-31")
	before := lakeHashes(t, f.cfg.LakeDir())
	f.writeCases(backfillCorrected)
	f.backfill("2024Q2", "2024-12-31")
	after := lakeHashes(t, f.cfg.LakeDir())
	rewritten := map[string]bool{
		"scorecard/plan=2024/period_group=2024-Q2/data.parquet": true,
		"scorecard/plan=2024/period_group=2024/data.parquet":    true,
		"case_results/plan=2024/quarter=2024-Q2/data.parquet":   true,
		"cases/decided_quarter=2024-Q2/data.parquet":            true,
	}
	for path, h := range before {
		table := strings.SplitN(path, "/", 2)[0]
		if table != lake.TableScorecard && table != lake.TableCaseResults && table != lake.TableCases {
			continue
		}
		switch {
		case rewritten[path] && after[path] == h:
			t.Errorf("%s was not rewritten by the backfill", path)
		case !rewritten[path] && after[path] != h:
			t.Errorf("%s changed, but lies outside the window", path)
		}
	}
	// Q3A's correction is outside the window: Q3 still counts the published record.
	if got := counts(f.scorecardRow("2024", "erhverv.fasttrack", "2024-Q3")); got != "decided=1 within=1 excluded=0 pending=0 breached=0 met=true points=20" {
		t.Errorf("Q3 after backfill: %s", got)
	}
	first := scorecardContent(t, f)
	f.backfill("2024Q2", "2024-12-31")
	if second := scorecardContent(t, f); second != first {
		t.Errorf("the same backfill twice gave different scorecards:\n%s\n---\n%s", first, second)
	}
	if got := counts(f.scorecardRow("2024", "erhverv.fasttrack", "2024-Q2")); got != "decided=4 within=3 excluded=0 pending=0 breached=0 met=false points=0" {
		t.Errorf("Q2 after backfill: %s", got)
	}
	if got := counts(f.scorecardRow("2024", "erhverv.fasttrack", "2024")); got != "decided=8 within=6 excluded=0 pending=0 breached=0 met=false points=0" {
		t.Errorf("year after backfill: %s", got)
	}
}

// TestRestatements: the backfill's changes to published rows are recorded with the old and new
// figures, both run ids and exactly the cases whose result changed.
func TestRestatements(t *testing.T) {
	f := csvFixture(t, backfillCases, "2024")
	first := f.run("2024-12-31")
	f.writeCases(backfillCorrected)
	second := f.backfill("2024Q2", "2024-12-31")
	got := restated(t, f, first.RunID, second.RunID)
	want := map[string]string{
		"erhverv.fasttrack 2024":    "5/7 -> 6/8 Q2A:moved_out Q2C:moved_in Q2D:added",
		"erhverv.fasttrack 2024-Q2": "2/3 -> 3/4 Q2A:moved_out Q2C:moved_in Q2D:added",
		"erhverv.fasttrack 2024-04": "1/1 -> 0/0 Q2A:removed",
		"erhverv.fasttrack 2024-05": "1/1 -> 2/3 Q2A:added Q2C:added",
		"erhverv.fasttrack 2024-06": "0/1 -> 1/1 Q2C:removed Q2D:added",
		"erhverv.alle 2024":         "5/7 -> 6/8 Q2A:moved_out Q2C:moved_in Q2D:added",
		"erhverv.alle 2024-Q2":      "2/3 -> 3/4 Q2A:moved_out Q2C:moved_in Q2D:added",
		"erhverv.alle 2024-04":      "1/1 -> 0/0 Q2A:removed",
		"erhverv.alle 2024-05":      "1/1 -> 2/3 Q2A:added Q2C:added",
		"erhverv.alle 2024-06":      "0/1 -> 1/1 Q2C:removed Q2D:added",
	}
	checkRestated(t, got, want)
	runs := f.query("SELECT restatements FROM runs WHERE run_id = '" + second.RunID + "'")
	if len(runs) != 1 || runs[0]["restatements"] != int64(len(want)) {
		t.Errorf("runs.restatements = %v", runs)
	}
}

// TestNightlyRestatements: a nightly run that recomputes only some periods compares the results
// of the cases it changed, and records the same restatements as a comparison of every result:
// the corrections of TestRestatements, and Q3A's, which a nightly run does not ignore; Q4A's
// record changes only its updated_at.
func TestNightlyRestatements(t *testing.T) {
	body := "plans: [2024]\nsources:\n  - {name: export, kind: csv, path: 'day*.csv'}\n"
	f := newFixture(t, body, map[string]string{"day1.csv": caseHeader + dedent(backfillCases)})
	first := f.run("2024-12-31")
	day2 := caseHeader + dedent(`
		Q2A,fasttrack,ja,,,2024-04-02,2024-05-20,2024-09-01T00:00:00Z
		Q2C,fasttrack,ja,,,2024-05-02,2024-05-30,2024-09-01T00:00:00Z
		Q2D,fasttrack,ja,,,2024-06-01,2024-06-02,2024-09-01T00:00:00Z
		Q3A,fasttrack,ja,,,2024-07-02,2024-09-20,2024-09-21T00:00:00Z
		Q4A,fasttrack,ja,,,2024-10-02,2024-10-20,2024-11-02T00:00:00Z
	`)
	f.writeFile("day2.csv", day2)
	second := f.run("2024-12-31")
	want := map[string]string{}
	for _, target := range []string{"erhverv.fasttrack", "erhverv.alle"} {
		for period, w := range map[string]string{
			"2024":    "5/7 -> 5/8 Q2A:moved_out Q2C:moved_in Q2D:added Q3A:moved_out",
			"2024-Q2": "2/3 -> 3/4 Q2A:moved_out Q2C:moved_in Q2D:added",
			"2024-04": "1/1 -> 0/0 Q2A:removed",
			"2024-05": "1/1 -> 2/3 Q2A:added Q2C:added",
			"2024-06": "0/1 -> 1/1 Q2C:removed Q2D:added",
			"2024-Q3": "1/1 -> 0/1 Q3A:moved_out",
			"2024-07": "1/1 -> 0/0 Q3A:removed",
			"2024-08": "0/0 -> 0/0 ", // Q3A is now open at the end of August: pending 0 -> 1
			"2024-09": "0/0 -> 0/1 Q3A:added",
		} {
			want[target+" "+period] = w
		}
	}
	checkRestated(t, restated(t, f, first.RunID, second.RunID), want)
	// A run writes its partition of a history table only when it has rows: the first run
	// restated nothing, and neither run removed a case or rejected a row; the views read no
	// files as empty.
	for table, want := range map[string]string{lake.TableRestatements: "[run_id=" + second.RunID + "]",
		lake.TableRemovedCases: "[]", lake.TableQuarantine: "[]"} {
		var parts []string
		entries, err := os.ReadDir(filepath.Join(f.cfg.LakeDir(), table))
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		for _, e := range entries {
			parts = append(parts, e.Name())
		}
		if fmt.Sprint(parts) != want {
			t.Errorf("%s partitions %v, want %s", table, parts, want)
		}
	}
	for _, table := range []string{lake.TableRemovedCases, lake.TableQuarantine} {
		if got := f.query("SELECT count(*) AS n FROM " + table); fmt.Sprint(got) != "[map[n:0]]" {
			t.Errorf("%s without files: %v", table, got)
		}
	}
}

// restated summarizes the restatements, all of which one run made of another's rows: "target
// period" to "old within/decided -> new within/decided" and the changed cases, each
// "case_id:change", in order.
func restated(t *testing.T, f *fixture, oldRun, newRun string) map[string]string {
	t.Helper()
	rows := f.query(`SELECT target_id, period, old_decided, new_decided, old_within_target, new_within_target,
		old_run_id, new_run_id, changed_cases FROM restatements ORDER BY target_id, period`)
	got := map[string]string{}
	for _, r := range rows {
		if r["old_run_id"] != oldRun || r["new_run_id"] != newRun {
			t.Errorf("%s %s: run ids %v -> %v, want %s -> %s", r["target_id"], r["period"], r["old_run_id"], r["new_run_id"], oldRun, newRun)
		}
		var changes []string
		for _, c := range r["changed_cases"].([]any) {
			m := c.(map[string]any)
			changes = append(changes, fmt.Sprint(m["case_id"], ":", m["change"]))
		}
		sort.Strings(changes)
		got[fmt.Sprint(r["target_id"], " ", r["period"])] = fmt.Sprintf("%v/%v -> %v/%v %s",
			r["old_within_target"], r["old_decided"], r["new_within_target"], r["new_decided"], strings.Join(changes, " "))
	}
	return got
}

func checkRestated(t *testing.T, got, want map[string]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d restated rows, want %d: %v", len(got), len(want), got)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %q, want %q", k, got[k], w)
		}
	}
}

// TestIncrementalFiles: a nightly run lands only files it has not landed before (by path and
// sha256); a changed file makes it land the source again, and the newest record of a case wins.
func TestIncrementalFiles(t *testing.T) {
	body := "plans: [2024]\nsources:\n  - {name: export, kind: csv, path: 'daily/*.csv'}\n"
	f := newFixture(t, body, nil)
	write := func(name, rows string) {
		if err := os.MkdirAll(filepath.Join(f.dir, "daily"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(f.dir, "daily", name), []byte(caseHeader+dedent(rows)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("2024-03-01.csv", "A,eu_ophold,ja,,,2024-03-01,2024-03-01,2024-03-01T12:00:00Z\n")
	write("2024-03-02.csv", "B,eu_ophold,ja,,,2024-03-02,,2024-03-02T12:00:00Z\n")
	first := f.run("2024-03-31")
	if first.Sources[0].FilesLanded != 2 || first.Sources[0].RowsRead != 2 {
		t.Fatalf("first run: %+v", first.Sources[0])
	}
	// The files are hashed while they land: the state holds each one's sha256.
	state := f.query("SELECT path, sha256 FROM read_parquet(getvariable('lake') || '/state/landed_files/*.parquet') ORDER BY path")
	if len(state) != 2 {
		t.Fatalf("landed files state: %v", state)
	}
	for _, row := range state {
		sum, err := lake.FileSHA256(row["path"].(string))
		if err != nil || sum != row["sha256"] {
			t.Errorf("%s: state sha256 %v, file %s (%v)", row["path"], row["sha256"], sum, err)
		}
	}
	// (nothing new, as of the same date: the run keeps the published figures, quiet.go)
	nothing := f.run("2024-03-31")
	if nothing.Sources[0].FilesLanded != 0 || nothing.Sources[0].RowsRead != 0 || nothing.KeptRunID == "" {
		t.Errorf("run without new files: %+v, kept %q", nothing.Sources[0], nothing.KeptRunID)
	}
	// A file touched but not changed is not landed again, and its new time is remembered.
	touchedPath := filepath.Join(f.dir, "daily", "2024-03-02.csv")
	later := time.Now().Add(time.Hour).Truncate(time.Second)
	if err := os.Chtimes(touchedPath, later, later); err != nil {
		t.Fatal(err)
	}
	touched := f.run("2024-03-31")
	if touched.Sources[0].FilesLanded != 0 || touched.Cases != 2 {
		t.Errorf("run after a touch: %+v, cases %d", touched.Sources[0], touched.Cases)
	}
	mtime := f.query("SELECT mtime FROM read_parquet(getvariable('lake') || '/state/landed_files/*.parquet') WHERE path = " + engine.Quote(touchedPath))
	if len(mtime) != 1 || !later.Equal(mtime[0]["mtime"].(time.Time)) {
		t.Errorf("state mtime of the touched file: %v, want %v", mtime, later)
	}
	write("2024-03-03.csv", "B,eu_ophold,ja,,,2024-03-02,2024-03-05,2024-03-05T12:00:00Z\nC,eu_ophold,ja,,,2024-03-03,2024-03-03,\n")
	write("2024-03-01.csv", "A,eu_ophold,ja,,,2024-03-01,2024-03-02,2024-03-06T12:00:00Z\n") // changed
	third := f.run("2024-03-31")
	if third.Sources[0].FilesLanded != 2 || third.Sources[0].RowsRead != 3 {
		t.Errorf("third run landed %+v, want the new file and the changed one", third.Sources[0])
	}
	got := f.query("SELECT case_id, CAST(decided_date AS VARCHAR) AS d FROM cases ORDER BY case_id")
	if fmt.Sprint(got) != "[map[case_id:A d:2024-03-02] map[case_id:B d:2024-03-05] map[case_id:C d:2024-03-03]]" {
		t.Errorf("cases after the third run: %v", got)
	}
	if row := counts(f.scorecardRow("2024", "eu.1", "2024-03")); row != "decided=3 within=2 excluded=0 pending=0 breached=0 met=false points=0" {
		t.Errorf("eu.1 March: %s", row)
	}
}

// TestQuarantineLimit: above max_quarantine_pct the run fails, names the reasons and publishes
// nothing.
func TestQuarantineLimit(t *testing.T) {
	rows := caseRows("G", "eu_ophold", "ja", "2024-03-01", []int{0, 0, 0, 0, 0, 0, 0, 0, 0}) +
		"X1,eu_ophold,maybe,,,2024-03-01,2024-03-01,\n"
	body := "max_quarantine_pct: 10\nplans: [2024]\nsources:\n  - {name: export, kind: csv, path: cases.csv}\n"
	f := newFixture(t, body, map[string]string{"cases.csv": caseHeader + rows})
	f.run("2024-12-31") // 1 of 10 is exactly 10%: allowed
	before := lakeHashes(t, f.cfg.LakeDir())
	f.writeCases(rows + "X2,eu_ophold,,,,2024-03-01,2024-03-01,\n")
	_, err := f.tryRun("2024-12-31")
	if err == nil || !strings.Contains(err.Error(), "max_quarantine_pct 10") || !strings.Contains(err.Error(), "bad_boolean 2") {
		t.Fatalf("err = %v", err)
	}
	for path, h := range lakeHashes(t, f.cfg.LakeDir()) {
		if !strings.HasPrefix(path, "runs/") && before[path] != h {
			t.Errorf("%s changed by a failed run", path)
		}
	}
}

// TestReproducibleAcrossThreads: the same inputs and as-of give the same scorecard and
// case_results content with one thread or four.
func TestReproducibleAcrossThreads(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "golden", "cases.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var contents []string
	for _, threads := range []int{1, 4} {
		f := newFixture(t, goldenConfig, map[string]string{"cases.csv": string(data)})
		f.cfg.DuckDB.Threads = threads
		f.run("2024-12-31")
		contents = append(contents, scorecardContent(t, f)+resultsContent(t, f))
	}
	if contents[0] != contents[1] {
		t.Error("one thread and four threads gave different results")
	}
}

// TestManifestChecksums: every file a run lists in runs.outputs is in the lake with that hash,
// in the order of the paths, and a first run lists every file it wrote but its own record.
func TestManifestChecksums(t *testing.T) {
	f := goldenFixture(t)
	cur, _ := lake.Lake{Dir: f.cfg.LakeDir()}.Current()
	outputs := f.query("SELECT unnest(outputs, recursive := true) FROM runs")
	if len(outputs) < 10 {
		t.Fatalf("only %d outputs in the manifest", len(outputs))
	}
	var listed []string
	for _, o := range outputs {
		listed = append(listed, o["path"].(string))
		sum, err := lake.FileSHA256(filepath.Join(cur, o["path"].(string)))
		if err != nil || sum != o["sha256"] {
			t.Errorf("%s: sha256 %s, manifest %s (%v)", o["path"], sum, o["sha256"], err)
		}
	}
	var written []string
	for _, rel := range versionFiles(t, cur) {
		if strings.HasSuffix(rel, ".parquet") && !strings.HasPrefix(rel, lake.TableRuns+"/") {
			written = append(written, rel)
		}
	}
	if !slices.Equal(listed, written) {
		t.Errorf("manifest lists\n%s\nthe version holds\n%s", strings.Join(listed, "\n"), strings.Join(written, "\n"))
	}
}

// TestRawRetention: raw landings older than raw_retention_days leave the lake.
func TestRawRetention(t *testing.T) {
	body := "raw_retention_days: 2\nplans: [2024]\nsources:\n  - {name: export, kind: csv, path: 'in/*.csv'}\n"
	f := newFixture(t, body, nil)
	if err := os.MkdirAll(filepath.Join(f.dir, "in"), 0o755); err != nil {
		t.Fatal(err)
	}
	day := func(i int) {
		name := filepath.Join(f.dir, "in", fmt.Sprintf("%d.csv", i))
		row := fmt.Sprintf("C%d,eu_ophold,ja,,,2024-03-01,2024-03-02,\n", i)
		if err := os.WriteFile(name, []byte(caseHeader+row), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var ids []string
	for i := 0; i < 4; i++ {
		day(i)
		now := testNow.AddDate(0, 0, i)
		f.now = func() time.Time { return now }
		ids = append(ids, f.run("2024-12-31").RunID)
	}
	raws, _ := filepath.Glob(filepath.Join(f.cfg.LakeDir(), lake.TableRaw, "*", "*"))
	var kept []string
	for _, r := range raws {
		kept = append(kept, strings.TrimPrefix(filepath.Base(r), "run_id="))
	}
	sort.Strings(kept)
	if want := ids[1:]; fmt.Sprint(kept) != fmt.Sprint(want) {
		t.Errorf("raw landings kept %v, want the last three %v", kept, want)
	}
	if n := len(f.query("SELECT * FROM cases")); n != 4 {
		t.Errorf("%d cases, want 4: retention drops raw files, never cases", n)
	}
	// The previous version still links the first landing; a fifth run drops the second from the
	// lake, and the first from the parts, which no version links to any more.
	if got := storedParts(t, f.cfg.LakeDir()); fmt.Sprint(got) != fmt.Sprint(ids) {
		t.Errorf("parts %v after four runs, want %v", got, ids)
	}
	now := testNow.AddDate(0, 0, 4)
	f.now = func() time.Time { return now }
	f.run("2024-12-31")
	if got := storedParts(t, f.cfg.LakeDir()); fmt.Sprint(got) != fmt.Sprint(ids[1:]) {
		t.Errorf("parts %v after five runs, want %v", got, ids[1:])
	}
	checkPartsShared(t, f.cfg.LakeDir())
}

// storedParts lists the run ids of the raw landings in the lake's parts.
func storedParts(t *testing.T, lakeDir string) []string {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join(lakeDir, lake.PartsDir, lake.TableRaw, "*", "run_id=*"))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range dirs {
		ids = append(ids, strings.TrimPrefix(filepath.Base(d), "run_id="))
	}
	sort.Strings(ids)
	return ids
}

// checkPartsShared checks that every run partition of every version is a link into the lake's
// parts, and that a partition two versions hold is one link, hard-linked: no version makes
// the partition's folder, or a link of its own, again.
func checkPartsShared(t *testing.T, lakeDir string) {
	t.Helper()
	links, err := filepath.Glob(filepath.Join(lakeDir, lake.VersionsDir, "*", "*", "*", "run_id=*"))
	if err != nil || len(links) == 0 {
		t.Fatalf("no run partitions in the versions (%v)", err)
	}
	seen := map[string]os.FileInfo{}
	for _, l := range links {
		info, err := os.Lstat(l)
		if err != nil || info.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s: not a link (%v)", l, err)
			continue
		}
		target, err := filepath.EvalSymlinks(l)
		rel, _ := filepath.Rel(filepath.Join(lakeDir, lake.VersionsDir), l)
		part := filepath.Join(strings.Split(rel, string(filepath.Separator))[1:]...)
		if want, _ := filepath.EvalSymlinks(filepath.Join(lakeDir, lake.PartsDir, part)); err != nil || target != want {
			t.Errorf("%s leads to %s, want %s (%v)", l, target, want, err)
		}
		if other, ok := seen[part]; ok && !os.SameFile(other, info) {
			t.Errorf("%s: two versions hold links of their own", part)
		}
		seen[part] = info
	}
}

// scorecardContent is the scorecard without the columns that name the run.
func scorecardContent(t *testing.T, f *fixture) string {
	return queryText(t, f, "SELECT * EXCLUDE (run_id, computed_at) FROM scorecard ORDER BY ALL")
}

func resultsContent(t *testing.T, f *fixture) string {
	return queryText(t, f, "SELECT * EXCLUDE (run_id) FROM case_results ORDER BY ALL")
}

func queryText(t *testing.T, f *fixture, sql string) string {
	t.Helper()
	res, err := Query(context.Background(), lake.Lake{Dir: f.cfg.LakeDir()}, f.cfg.DuckDB, sql)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(res.Rows)
}

// TestNightlyRecomputesWhatItMust: a nightly run recomputes only the periods its new rows or
// the moving as-of date can change, and ends with the same scorecard and case results as a
// lake built from scratch over the same files; periods nothing touched keep their files.
func TestNightlyRecomputesWhatItMust(t *testing.T) {
	day1 := caseHeader + dedent(backfillCases)
	day2 := caseHeader + dedent(`
		Q2A,fasttrack,ja,,,2024-04-02,2024-05-20,2024-09-01T00:00:00Z
		N1,eu_ophold,ja,,,2024-06-28,2024-07-02,
		N2,fasttrack,ja,,,2024-07-10,,
	`)
	body := "plans: [2020, 2024]\nsources:\n  - {name: export, kind: csv, path: 'day*.csv'}\n"
	nightly := newFixture(t, body, map[string]string{"day1.csv": day1})
	nightly.run("2024-07-20")
	before := lakeHashes(t, nightly.cfg.LakeDir())
	if err := os.WriteFile(filepath.Join(nightly.dir, "day2.csv"), []byte(day2), 0o644); err != nil {
		t.Fatal(err)
	}
	nightly.run("2024-07-31")
	after := lakeHashes(t, nightly.cfg.LakeDir())
	for _, kept := range []string{
		"scorecard/plan=2020/period_group=2020-Q3/data.parquet", // plan 2020: nothing changed
		"scorecard/plan=2024/period_group=2024-Q1/data.parquet", // Q1: no changed case was open or decided in it
	} {
		if before[kept] == "" || after[kept] != before[kept] {
			t.Errorf("%s was rewritten, though nothing could change it", kept)
		}
	}
	if after["scorecard/plan=2024/period_group=2024-Q2/data.parquet"] == before["scorecard/plan=2024/period_group=2024-Q2/data.parquet"] {
		t.Error("Q2 holds a changed case but was not recomputed")
	}

	scratch := newFixture(t, body, map[string]string{"day1.csv": day1, "day2.csv": day2})
	scratch.run("2024-07-31")
	if scorecardContent(t, nightly) != scorecardContent(t, scratch) || resultsContent(t, nightly) != resultsContent(t, scratch) {
		t.Error("the nightly lake differs from a lake built from scratch over the same files")
	}
	// The as-of date moving back recomputes everything: July has not begun by 2024-06-30.
	nightly.run("2024-06-30")
	if n := len(nightly.query("SELECT * FROM scorecard WHERE period = '2024-07'")); n != 0 {
		t.Errorf("%d July rows remain after a run as of 2024-06-30", n)
	}
}

// TestChangedFileRebuildsItsSource: when a landed file of a snapshot source changes or
// disappears, the source is landed again whole and its cases are what its files hold now: a
// row deleted from a file, or a file removed, leaves the lake (allowed past max_shrink_pct);
// the scorecard equals one built from scratch.
func TestChangedFileRebuildsItsSource(t *testing.T) {
	body := "plans: [2024]\nsources:\n  - {name: export, kind: csv, path: 'in-*.csv', mode: snapshot}\n"
	a := caseHeader + dedent(`
		A,eu_ophold,ja,,,2024-03-01,2024-03-01,
		B,eu_ophold,ja,,,2024-03-01,2024-03-05,
		C,eu_ophold,ja,,,2024-03-01,2024-03-02,
	`)
	b := caseHeader + "D,eu_ophold,ja,,,2024-04-01,2024-04-01,\n"
	f := newFixture(t, body, map[string]string{"in-a.csv": a, "in-b.csv": b})
	f.run("2024-12-31")
	f.shrink = true // a quarter of the cases leave at each step
	aChanged := caseHeader + dedent(`
		A,eu_ophold,ja,,,2024-03-01,2024-03-01,
		B,eu_ophold,ja,,,2024-03-01,2024-03-02,
	`)
	if err := os.WriteFile(filepath.Join(f.dir, "in-a.csv"), []byte(aChanged), 0o644); err != nil {
		t.Fatal(err)
	}
	sum := f.run("2024-12-31")
	if sum.Sources[0].FilesLanded != 2 {
		t.Errorf("a changed file landed %d files, want both files of the source again", sum.Sources[0].FilesLanded)
	}
	if sum.Cases != 3 { // counted from the merge's parts (merge.sql), not read from the lake
		t.Errorf("the run counted %d cases, want 3", sum.Cases)
	}
	if got := fmt.Sprint(f.query("SELECT case_id FROM cases ORDER BY case_id")); got != "[map[case_id:A] map[case_id:B] map[case_id:D]]" {
		t.Errorf("cases after C was deleted from in-a.csv: %s", got)
	}
	if err := os.Remove(filepath.Join(f.dir, "in-b.csv")); err != nil {
		t.Fatal(err)
	}
	f.run("2024-12-31")
	scratch := newFixture(t, body, map[string]string{"in-a.csv": aChanged})
	scratch.run("2024-12-31")
	if scorecardContent(t, f) != scorecardContent(t, scratch) || resultsContent(t, f) != resultsContent(t, scratch) {
		t.Error("after a file changed and another was removed, the lake differs from one built from scratch")
	}
}

// TestTimezoneChangeRebuilds: changing the configured time zone re-dates every case, as a lake
// built from scratch in the new zone would.
func TestTimezoneChangeRebuilds(t *testing.T) {
	rows := "Z1,eu_ophold,ja,,,2024-03-05T23:30:00Z,2024-03-06T22:30:00Z,\n"
	f := csvFixture(t, rows, "2024")
	f.run("2024-12-31")
	// In Copenhagen both instants fall on 6 March (00:30 and 23:30): 0 days. In UTC, 5 and 6 March.
	if got := f.query("SELECT elapsed_days FROM case_results")[0]["elapsed_days"]; got != int64(0) {
		t.Fatalf("in Copenhagen: elapsed %v, want 0", got)
	}
	f.cfg.Timezone, f.cfg.Location = "UTC", time.UTC
	f.run("2024-12-31")
	if got := f.query("SELECT elapsed_days FROM case_results")[0]["elapsed_days"]; got != int64(1) {
		t.Errorf("in UTC: elapsed %v, want 1", got)
	}
	if got := fmt.Sprint(f.query("SELECT CAST(submitted_date AS VARCHAR) AS d FROM cases")[0]["d"]); got != "2024-03-05" {
		t.Errorf("in UTC the case was submitted %s, want 2024-03-05", got)
	}
}

// TestTimezoneChangeBehindFailedRuns: the published figures' time zone is the last run's that
// succeeded, also when the newest run files, which readPublishedRun reads first, hold only
// failed runs: then it reads them all.
func TestTimezoneChangeBehindFailedRuns(t *testing.T) {
	defer func(n int) { newestRuns = n }(newestRuns)
	newestRuns = 1
	f := csvFixture(t, "Z1,eu_ophold,ja,,,2024-03-05T23:30:00Z,2024-03-06T22:30:00Z,\n", "2024")
	f.run("2024-12-31")
	// A failed run an hour later, recorded with another zone, as the newest run file.
	cur, err := lake.Lake{Dir: f.cfg.LakeDir()}.Current()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	e, err := engine.Open(ctx, 1, "1GB", "")
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	failedID := testNow.Add(time.Hour).Format(lake.RunIDTime) + "-ffffff"
	if err := e.Exec(ctx, fmt.Sprintf(`COPY (SELECT * REPLACE ('failed' AS status, 'UTC' AS timezone,
			%s AS run_id, started_at + INTERVAL 1 HOUR AS started_at) FROM read_parquet(%s))
		TO %s (FORMAT parquet)`, engine.Quote(failedID), engine.Quote(filepath.Join(cur, lake.TableRuns, "*.parquet")),
		engine.Quote(filepath.Join(cur, lake.TableRuns, failedID+".parquet")))); err != nil {
		t.Fatal(err)
	}
	f.cfg.Timezone, f.cfg.Location = "UTC", time.UTC
	f.run("2024-12-31")
	if got := f.query("SELECT elapsed_days FROM case_results")[0]["elapsed_days"]; got != int64(1) {
		t.Errorf("in UTC: elapsed %v, want 1 (the zone change behind the failed run went unseen)", got)
	}
}

// TestPlanSelectionChangeRecomputes: a plan file whose target keeps its id, days, min_pct and
// points but selects other cases (or changes its ladder) changes figures of periods no new case
// touches: the next run recomputes them, as a lake built from scratch with the new plan would,
// also when the change first came with a backfill of another quarter.
func TestPlanSelectionChangeRecomputes(t *testing.T) {
	plan := func(selectLine, ladder string) string {
		return `version: 1
id: p-2024
year: 2024
title: Prøveplan
requirements:
  - id: "1"
    title: Udvalgte
    weight: 10
    targets:
      - id: t1
        label: Udvalgte sager
        select: ` + selectLine + `
        target_days: 10
        min_pct: 80
        points: 10
` + ladder
	}
	rows := caseHeader + dedent(`
		A,fasttrack,ja,,,2024-01-02,2024-01-05,
		B,fasttrack,ja,,,2024-01-02,2024-01-30,
		C,eu_ophold,ja,,,2024-01-03,2024-01-04,
		D,eu_ophold,ja,,,2024-01-03,2024-01-06,
	`)
	body := "plans: [plans/p.yaml]\nsources:\n  - {name: export, kind: csv, path: 'day*.csv'}\n"
	f := newFixture(t, body, map[string]string{"day1.csv": rows})
	f.writeFile("plans/p.yaml", plan("{case_types: [fasttrack]}", ""))
	f.run("2024-12-31")
	if got := counts(f.scorecardRow("p-2024", "t1", "2024-01")); got != "decided=2 within=1 excluded=0 pending=0 breached=0 met=false points=0" {
		t.Fatalf("fasttrack only: %s", got)
	}
	files := map[string]string{"day1.csv": rows}
	ladder := func(share string) string {
		return "        ladder:\n          - {min_pct: 70, share: " + share + "}\n"
	}
	for i, tt := range []struct {
		plan     string
		backfill bool // the plan changes in a backfill of 2024Q3, then a nightly run follows
		january  string
	}{
		{plan("{case_types: [fasttrack, eu_ophold]}", ""), false,
			"decided=4 within=3 excluded=0 pending=0 breached=0 met=false points=0"},
		{plan("{case_types: [fasttrack, eu_ophold]}", ladder("0.5")), false,
			"decided=4 within=3 excluded=0 pending=0 breached=0 met=false points=5"},
		{plan("{case_types: [fasttrack, eu_ophold]}", ladder("0.25")), true,
			"decided=4 within=3 excluded=0 pending=0 breached=0 met=false points=2.5"},
	} {
		f.writeFile("plans/p.yaml", tt.plan)
		// Each run lands a day's file with a case of another year: no 2024 period is touched
		// by a changed case.
		day := fmt.Sprintf("day%d.csv", i+2)
		files[day] = caseHeader + fmt.Sprintf("X%d,fasttrack,ja,,,2023-01-02,2023-01-03,\n", i)
		f.writeFile(day, files[day])
		if tt.backfill {
			before := counts(f.scorecardRow("p-2024", "t1", "2024-01"))
			f.backfill("2024Q3", "2024-12-31")
			if got := counts(f.scorecardRow("p-2024", "t1", "2024-01")); got != before {
				t.Errorf("a backfill of 2024Q3 changed January: %s, was %s", got, before)
			}
		}
		f.run("2024-12-31")
		if got := counts(f.scorecardRow("p-2024", "t1", "2024-01")); got != tt.january {
			t.Errorf("after the plan changed to\n%s\nJanuary: %s, want %s", tt.plan, got, tt.january)
		}
		scratch := newFixture(t, body, files)
		scratch.writeFile("plans/p.yaml", tt.plan)
		scratch.run("2024-12-31")
		if scorecardContent(t, f) != scorecardContent(t, scratch) || resultsContent(t, f) != resultsContent(t, scratch) {
			t.Errorf("after the plan changed to\n%s\nthe lake differs from one built from scratch", tt.plan)
		}
	}
}

// TestOpenCasesByYear: open cases lie in a partition per year of submission, so that a day's
// new cases rewrite their own year's; a lake written before, with every open case in one
// partition `undecided`, has it rewritten into those of their years by its next run, and
// holds each case once, as a lake built from scratch does.
func TestOpenCasesByYear(t *testing.T) {
	body := "plans: [2024]\nsources:\n  - {name: export, kind: csv, path: 'day*.csv'}\n"
	day1 := caseHeader + dedent(`
		A,eu_ophold,ja,,,2023-05-01,,
		B,eu_ophold,ja,,,2024-03-01,,
		C,eu_ophold,ja,,,2024-03-01,2024-03-02,
	`)
	day2 := caseHeader + "A,eu_ophold,ja,,,2023-05-01,2024-06-01,2024-06-02T00:00:00Z\n"
	f := newFixture(t, body, map[string]string{"day1.csv": day1})
	f.run("2024-12-31")
	partitions := func() []string {
		var parts []string
		for path := range lakeHashes(t, f.cfg.LakeDir()) {
			if strings.HasPrefix(path, "cases/") {
				parts = append(parts, strings.TrimPrefix(filepath.Dir(path), "cases/decided_quarter="))
			}
		}
		sort.Strings(parts)
		return parts
	}
	if got := fmt.Sprint(partitions()); got != "[2024-Q1 undecided-2023 undecided-2024]" {
		t.Fatalf("cases partitions %s", got)
	}

	// The layout of before: the open cases in one partition.
	cur, err := lake.Lake{Dir: f.cfg.LakeDir()}.Current()
	if err != nil {
		t.Fatal(err)
	}
	cases := filepath.Join(cur, lake.TableCases)
	eng, err := openEngine(context.Background(), f.cfg.DuckDB, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(cases, "decided_quarter=undecided"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := eng.Exec(context.Background(), fmt.Sprintf(`COPY (SELECT * EXCLUDE (decided_quarter)
		FROM read_parquet(%s, hive_partitioning = true)) TO %s (FORMAT parquet)`,
		engine.Quote(filepath.Join(cases, "decided_quarter=undecided-*", "*.parquet")),
		engine.Quote(filepath.Join(cases, "decided_quarter=undecided", "data.parquet")))); err != nil {
		t.Fatal(err)
	}
	eng.Close()
	for _, y := range []string{"2023", "2024"} {
		if err := os.RemoveAll(filepath.Join(cases, "decided_quarter=undecided-"+y)); err != nil {
			t.Fatal(err)
		}
	}

	f.writeFile("day2.csv", day2)
	f.run("2024-12-31")
	if got := fmt.Sprint(partitions()); got != "[2024-Q1 2024-Q2 undecided-2024]" {
		t.Errorf("cases partitions after the next run %s, want the old undecided rewritten", got)
	}
	scratch := newFixture(t, body, map[string]string{"day1.csv": day1, "day2.csv": day2})
	scratch.run("2024-12-31")
	all := "SELECT case_id, decided_date FROM cases ORDER BY case_id"
	if got, want := fmt.Sprint(f.query(all)), fmt.Sprint(scratch.query(all)); got != want {
		t.Errorf("cases %s, from scratch %s", got, want)
	}
	if scorecardContent(t, f) != scorecardContent(t, scratch) {
		t.Error("the scorecard differs from one built from scratch")
	}
}

// TestPartitionFoldersMoveToParts: in a lake written before the tables' and the run
// partitions' folders, every version holds its tables and their run partitions as folders. The
// next run links their files into folders of its own, once, and its version holds links to
// them; the lake reads as it did.
func TestPartitionFoldersMoveToParts(t *testing.T) {
	f := csvFixture(t, `
		A1,eu_ophold,ja,,,2024-01-01,2024-01-02,
		A2,eu_ophold,ja,,,2024-13-01,2024-01-02,
	`)
	f.run("2024-12-31")
	lakeDir := f.cfg.LakeDir()
	const read = "SELECT 'raw' AS t, run_id, count(*) AS n FROM read_parquet(getvariable('lake') || " +
		"'/raw/*/*/*.parquet', hive_partitioning = true) GROUP BY ALL UNION ALL " +
		"SELECT 'quarantine', run_id, count(*) FROM quarantine GROUP BY ALL ORDER BY ALL"
	before, files := queryText(t, f, read), lakeHashes(t, lakeDir)
	if !strings.Contains(before, "quarantine") {
		t.Fatalf("no quarantined row to keep: %s", before)
	}
	for _, v := range versionNames(t, lakeDir) { // the layout before: folders in each version
		copyFolders(t, filepath.Join(lakeDir, lake.VersionsDir, v))
	}
	for _, dir := range []string{lake.TablesDir, lake.PartsDir} {
		if err := os.RemoveAll(filepath.Join(lakeDir, dir)); err != nil {
			t.Fatal(err)
		}
	}
	if got := queryText(t, f, read); got != before {
		t.Fatalf("the folders read %s, the links %s", got, before)
	}

	f.run("2024-12-31") // nothing new: it keeps every file
	if got := queryText(t, f, read); got != before {
		t.Errorf("after the move: %s, want %s", got, before)
	}
	after := lakeHashes(t, lakeDir)
	for path, sum := range files {
		if after[path] != sum {
			t.Errorf("%s: not kept as it was", path)
		}
	}
	cur, _ := lake.Lake{Dir: lakeDir}.Current()
	moved, _ := filepath.Glob(filepath.Join(cur, "*", "*", "run_id=*"))
	if len(moved) != 2 {
		t.Fatalf("run partitions of the new version: %v, want the raw landing and the quarantine", moved)
	}
	for _, l := range append(moved, filepath.Join(cur, lake.TableCases), filepath.Join(cur, lake.TableRaw)) {
		if info, err := os.Lstat(l); err != nil || info.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s: not a link (%v)", l, err)
		}
	}
	f.run("2024-12-31") // and the run after it keeps the links
	checkPartsShared(t, lakeDir)
	checkTablesShared(t, lakeDir)
}

// copyFolders replaces every link to a folder under dir by a copy of that folder, recursively.
func copyFolders(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		if info, err := os.Stat(path); err != nil || !info.IsDir() {
			continue
		}
		if e.Type()&os.ModeSymlink != 0 {
			target, err := filepath.EvalSymlinks(path)
			if err != nil {
				t.Fatal(err)
			}
			copyLake(t, target, path+".copy")
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(path+".copy", path); err != nil {
				t.Fatal(err)
			}
		}
		copyFolders(t, path)
	}
}

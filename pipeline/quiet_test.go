package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"scorecard/pipeline/engine"
	"scorecard/pipeline/lake"
)

// quietFixture: plan 2024, decided fast-track cases and open ones, two of them near their
// deadline in mid-October 2024, so that the scorecard, forecast and at-risk list all hold rows
// that depend on the as-of date.
func quietFixture(t *testing.T) *fixture {
	t.Helper()
	rows := caseRows("F", "fasttrack", "ja", "2024-06-20", []int{3, 10, 20, 40, 5, 31, 32, 8}) +
		"OPEN1,fasttrack,ja,,,2024-09-12,,\n" + // deadline 2024-10-13
		"OPEN2,fasttrack,ja,,,2024-09-20,,\n" + // deadline 2024-10-21
		"OPEN3,fasttrack,ja,,,2024-10-05,,\n" // deadline 2024-11-05
	return csvFixture(t, rows)
}

// fastTrackRisk lists the at-risk cases of the fast-track target.
const fastTrackRisk = "SELECT case_id, days_left, age_days, run_id FROM at_risk WHERE target_id = 'erhverv.fasttrack' ORDER BY case_id"

// lakeContent is every figure a run publishes, run ids and times included: a quiet run must
// leave them all as they were, the id of the run that computed them too.
func lakeContent(t *testing.T, f *fixture) string {
	t.Helper()
	var out string
	for _, q := range []string{
		"SELECT * FROM scorecard ORDER BY ALL",
		"SELECT * FROM case_results ORDER BY ALL",
		"SELECT * FROM cases ORDER BY ALL",
		"SELECT * FROM forecast ORDER BY ALL",
		"SELECT * FROM at_risk ORDER BY ALL",
		"SELECT * FROM requirements ORDER BY ALL",
		"SELECT * FROM quarantine ORDER BY ALL",
	} {
		out += queryText(t, f, q) + "\n"
	}
	return out
}

// TestQuietRunKeepsFigures: a run with no new file, as of the same date and with the same
// rules and config, keeps every published figure (the forecast and at-risk list as well) and
// records itself in runs, naming the run whose figures it kept. A run as of a later date then
// recomputes what depends on it: the at-risk list's days left, the forecast's as-of.
func TestQuietRunKeepsFigures(t *testing.T) {
	f := quietFixture(t)
	first := f.run("2024-10-10")
	if first.KeptRunID != "" {
		t.Fatalf("first run kept %q", first.KeptRunID)
	}
	before := lakeContent(t, f)
	risk := queryText(t, f, fastTrackRisk)
	if want := fmt.Sprintf("[[OPEN1 3 28 %s]]", first.RunID); risk != want {
		t.Fatalf("at_risk as of 2024-10-10:\n%s\nwant\n%s", risk, want)
	}
	forecast := queryText(t, f, "SELECT target_id, as_of, decided, within_target, backlog FROM forecast WHERE target_id = 'erhverv.fasttrack'")
	if forecast != "[[erhverv.fasttrack 2024-10-10 00:00:00 +0000 UTC 8 6 3]]" {
		t.Fatalf("forecast as of 2024-10-10: %s", forecast)
	}

	quiet := f.run("2024-10-10")
	if quiet.KeptRunID != first.RunID {
		t.Fatalf("second run kept %q, want the first run %s", quiet.KeptRunID, first.RunID)
	}
	if after := lakeContent(t, f); after != before {
		t.Errorf("a quiet run changed the lake:\n%s\nwant\n%s", after, before)
	}
	runRow := "SELECT status, kept_run_id, as_of, len(outputs) > 0 FROM runs WHERE run_id = "
	if got := queryText(t, f, runRow+engine.Quote(first.RunID)); got != "[[succeeded <nil> 2024-10-10 00:00:00 +0000 UTC true]]" {
		t.Errorf("the first run's row: %s", got)
	}
	if got, want := queryText(t, f, runRow+engine.Quote(quiet.RunID)), fmt.Sprintf("[[succeeded %s 2024-10-10 00:00:00 +0000 UTC false]]", first.RunID); got != want {
		t.Errorf("the quiet run's row: %s, want %s", got, want)
	}
	// A quiet run after a quiet run keeps the same figures, of the run that computed them.
	if again := f.run("2024-10-10"); again.KeptRunID != first.RunID {
		t.Errorf("third run kept %q, want %s", again.KeptRunID, first.RunID)
	}
	checkTablesShared(t, f.cfg.LakeDir())

	later := f.run("2024-10-15")
	if later.KeptRunID != "" {
		t.Fatalf("a run as of a later date kept the figures of %s", later.KeptRunID)
	}
	risk = queryText(t, f, fastTrackRisk)
	if want := fmt.Sprintf("[[OPEN1 -2 33 %[1]s] [OPEN2 6 25 %[1]s]]", later.RunID); risk != want {
		t.Errorf("at_risk as of 2024-10-15:\n%s\nwant\n%s", risk, want)
	}
	forecast = queryText(t, f, "SELECT as_of FROM forecast WHERE target_id = 'erhverv.fasttrack'")
	if forecast != "[[2024-10-15 00:00:00 +0000 UTC]]" {
		t.Errorf("forecast as of 2024-10-15: %s", forecast)
	}
	checkTablesLinked(t, f.cfg.LakeDir())
	// The same figures as a first run as of that date computes.
	fresh := quietFixture(t)
	fresh.run("2024-10-15")
	noIDs := []string{
		"SELECT * EXCLUDE (run_id, computed_at) FROM scorecard ORDER BY ALL",
		"SELECT * EXCLUDE (run_id) FROM forecast ORDER BY ALL",
		"SELECT * EXCLUDE (run_id) FROM at_risk ORDER BY ALL",
	}
	for _, q := range noIDs {
		if got, want := queryText(t, f, q), queryText(t, fresh, q); got != want {
			t.Errorf("%s:\n%s\nwant (a first run)\n%s", q, got, want)
		}
	}
}

// TestQuietRunNeedsNothingNew: a new file, a changed config (at_risk_days) or --full each
// make the run compute.
func TestQuietRunNeedsNothingNew(t *testing.T) {
	f := quietFixture(t)
	f.run("2024-10-10")
	f.writeFile("more.csv", caseHeader+"NEW1,fasttrack,ja,,,2024-10-01,2024-10-09,\n")
	f.cfg.Sources[0].Path = f.dir + "/*.csv"
	if s := f.run("2024-10-10"); s.KeptRunID != "" {
		t.Errorf("a run with a new file kept the figures of %s", s.KeptRunID)
	}
	if got := queryText(t, f, "SELECT count(*) FROM cases"); got != "[[12]]" {
		t.Errorf("cases after the new file: %s", got)
	}
	days := 30
	f.cfg.AtRiskDays = &days
	if s := f.run("2024-10-10"); s.KeptRunID != "" {
		t.Errorf("a run with another at_risk_days kept the figures of %s", s.KeptRunID)
	}
	if got := queryText(t, f, "SELECT count(*) FROM at_risk WHERE target_id = 'erhverv.fasttrack'"); got != "[[3]]" {
		t.Errorf("at_risk within 30 days: %s", got)
	}
	f.full = true
	if s := f.run("2024-10-10"); s.KeptRunID != "" {
		t.Errorf("run --full kept the figures of %s", s.KeptRunID)
	}
	f.full = false
	if s := f.run("2024-10-10"); s.KeptRunID == "" {
		t.Errorf("nothing new after --full, yet the run computed")
	}
}

// checkTablesShared checks that the newest version, a quiet run's, holds every table of the one
// before it as that version's link (hard-linked: no folder of its own), but its own runs.
func checkTablesShared(t *testing.T, lakeDir string) {
	t.Helper()
	names := versionNames(t, lakeDir)
	if len(names) != 2 {
		t.Fatalf("versions %v, want the quiet run's and the one before", names)
	}
	prev, cur := filepath.Join(lakeDir, lake.VersionsDir, names[0]), filepath.Join(lakeDir, lake.VersionsDir, names[1])
	for _, table := range lake.Tables {
		was, errWas := os.Lstat(filepath.Join(prev, table))
		now, errNow := os.Lstat(filepath.Join(cur, table))
		if os.IsNotExist(errWas) && os.IsNotExist(errNow) {
			continue // never written (no rejected row, no restatement)
		}
		if errWas != nil || errNow != nil || now.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s: not a link in both versions (%v, %v)", table, errWas, errNow)
			continue
		}
		if shared := os.SameFile(was, now); shared != (table != lake.TableRuns) {
			t.Errorf("%s: shared %v, want %v", table, shared, table != lake.TableRuns)
		}
	}
}

// checkTablesLinked checks that every table folder of the lake is linked from a version left.
func checkTablesLinked(t *testing.T, lakeDir string) {
	t.Helper()
	folders, err := filepath.Glob(filepath.Join(lakeDir, lake.TablesDir, "*", "*"))
	if err != nil || len(folders) == 0 {
		t.Fatalf("no table folders (%v)", err)
	}
	for _, f := range folders {
		table, name := filepath.Base(filepath.Dir(f)), filepath.Base(f)
		linked := false
		for _, v := range versionNames(t, lakeDir) {
			target, err := os.Readlink(filepath.Join(lakeDir, lake.VersionsDir, v, table))
			linked = linked || err == nil && filepath.Base(target) == name
		}
		if !linked {
			t.Errorf("%s/%s is left, linked from no version", table, name)
		}
	}
}

package pipeline

import (
	"testing"
)

// TestBackfillLeavesNewFilesToTheNightly: a file that appears before a backfill holds cases
// outside its window; the backfill merges only those in the window, so it must not record the
// file as landed. The next nightly lands it whole: every case and every bad row of the file
// reach the lake, as in a lake built from scratch. Before the fix, the nightly said "no new
// files" and the file's cases outside the window, and its bad row, never arrived.
func TestBackfillLeavesNewFilesToTheNightly(t *testing.T) {
	for _, mode := range []string{"delta", "snapshot"} {
		t.Run(mode, func(t *testing.T) {
			f := dropFixture(t, ", mode: "+mode)
			f.run("2024-12-31")
			late := caseHeader +
				caseRows("MAR-", "eu_ophold", "ja", "2024-03-20", []int{0, 1}) + // in the window
				caseRows("JUL-", "eu_ophold", "ja", "2024-07-10", []int{0, 1, 2}) + // outside it
				"BAD-1,eu_ophold,ja,,,not a date,2024-07-11,\n"
			f.writeFile("drop/2024-07.csv", late)
			f.backfill("2024Q1", "2024-12-31")
			if got := f.query("SELECT count(*) AS n FROM cases WHERE case_id LIKE 'JUL-%'")[0]["n"]; got != int64(0) {
				t.Errorf("the backfill merged %v cases outside its window", got)
			}
			sum := f.run("2024-12-31")
			if got := sum.Sources[0].FilesLanded; got != 1 {
				t.Errorf("the nightly after the backfill landed %d files, want the new one", got)
			}
			got := f.caseIDs()

			fresh := dropFixture(t, ", mode: "+mode)
			fresh.writeFile("drop/2024-07.csv", late)
			fresh.run("2024-12-31")
			if want := fresh.caseIDs(); got != want {
				t.Errorf("cases after backfill and nightly:\n%s\nwant (built from scratch):\n%s", got, want)
			}
			quarantined := f.query("SELECT reason, source_file, source_row FROM quarantine WHERE case_id = 'BAD-1'")
			if len(quarantined) != 1 || quarantined[0]["reason"] != "bad_date" || quarantined[0]["source_row"] != int64(7) {
				t.Errorf("the new file's bad row in the quarantine: %v, want once, bad_date, row 7", quarantined)
			}
			if a, b := counts(f.scorecardRow("2024", "eu.1", "2024-07")), counts(fresh.scorecardRow("2024", "eu.1", "2024-07")); a != b {
				t.Errorf("July after backfill and nightly: %s, from scratch: %s", a, b)
			}
		})
	}
}

package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const statusHeader = "plan,requirement_id,item_id,done_on,value,points,recorded_at,note\n"

// statusRegister holds 2024 1.4's two milestones, the communication plan first entered as done
// late and corrected by a newer record to done on time, the advice package done late, an
// agreed score with a decimal comma, and a bad row of each reason (none of which may replace a
// good record, the future one least of all).
const statusRegister = `2024,1.4,kommunikationsplan,2024-04-15,,,2024-04-16 10:00:00,first entry
2024,1.4,raadgivningspakke,2024-10-07,,,2024-10-08T12:00:00Z,launched
2024,1.4,kommunikationsplan,2024-03-28,,,2024-04-20 08:00:00,corrected: approved 28 March
2024,1.3,aftale,,,"4,5",2024-12-01,allonge
,1.4,kommunikationsplan,2024-03-01,,,2024-04-01,
2024,,kommunikationsplan,2024-03-01,,,2024-04-01,
2024,1.4,,2024-03-01,,,2024-04-01,
2024,1.4,kommunikationsplan,2024-03-01,,,,
2024,1.4,kommunikationsplan,31/03/2024,,,2024-05-01,
2024,1.4,kommunikationsplan,,abc,,2024-05-01,
2024,9.9,kommunikationsplan,2024-03-01,,,2024-05-01,
2024,1.4,raadgivningspakke,2025-07-01,,,2025-07-02,
`

// statusFixture is a cases source and, unless without, a status source beside it.
func statusFixture(t *testing.T, without bool) *fixture {
	body := "plans: [2024]\nsources:\n  - {name: export, kind: csv, path: cases.csv}\n"
	if !without {
		body += "  - {name: register, kind: csv, path: register.csv, dataset: status}\n"
	}
	return newFixture(t, body, map[string]string{
		"cases.csv": caseHeader + dedent(`
			C1,fasttrack,true,false,true,2024-01-02,2024-01-20,
			C2,fasttrack,true,false,true,2024-02-01,2024-04-01,
			C3,eu_ophold,false,false,true,2024-03-01,2024-03-01,
			C4,loenarbejde,true,true,true,2024-09-01,,
		`),
		"register.csv": statusHeader + statusRegister,
	})
}

// milestonesOf lists the milestones view as item:status:done_on, in plan order.
func milestonesOf(f *fixture, requirement string) string {
	rows := f.query("SELECT item_id, status, done_on::VARCHAR AS done_on FROM milestones WHERE plan = '2024' AND requirement_id = '" +
		requirement + "' ORDER BY due, item_id")
	var out []string
	for _, r := range rows {
		out = append(out, fmt.Sprintf("%v:%v:%s", r["item_id"], r["status"], fmtNull(r["done_on"])))
	}
	return strings.Join(out, " ")
}

// TestStatusMilestones: the register keeps the newest record per item, the bad rows are
// quarantined with their reasons, and each milestone's status follows the as-of date: open on
// its due date, overdue the day after, done_late once the late day is known.
func TestStatusMilestones(t *testing.T) {
	f := statusFixture(t, false)
	for _, tt := range []struct{ asOf, want14, want22 string }{
		{"2024-09-30", "kommunikationsplan:done:2024-03-28 raadgivningspakke:open:NULL",
			"oversigt_q2:overdue:NULL oversigt_q4:open:NULL"},
		{"2024-10-01", "kommunikationsplan:done:2024-03-28 raadgivningspakke:overdue:NULL",
			"oversigt_q2:overdue:NULL oversigt_q4:open:NULL"},
		{"2024-10-07", "kommunikationsplan:done:2024-03-28 raadgivningspakke:done_late:2024-10-07",
			"oversigt_q2:overdue:NULL oversigt_q4:open:NULL"},
		{"2024-03-31", "kommunikationsplan:done:2024-03-28 raadgivningspakke:open:NULL",
			"oversigt_q2:open:NULL oversigt_q4:open:NULL"},
	} {
		f.run(tt.asOf)
		if got := milestonesOf(f, "1.4"); got != tt.want14 {
			t.Errorf("as of %s: 1.4 %s, want %s", tt.asOf, got, tt.want14)
		}
		if got := milestonesOf(f, "2.2"); got != tt.want22 {
			t.Errorf("as of %s: 2.2 %s, want %s", tt.asOf, got, tt.want22)
		}
	}
	if got := f.query("SELECT count(*) AS n, count(DISTINCT requirement_id) AS reqs FROM milestones"); fmt.Sprint(got) != "[map[n:10 reqs:5]]" {
		t.Errorf("milestones of 2024: %v, want 10 of 5 requirements", got)
	}
	register := f.query("SELECT item_id, done_on::VARCHAR AS done_on, points, note, source_row FROM status ORDER BY requirement_id, item_id")
	want := "[map[done_on:<nil> item_id:aftale note:allonge points:4.5 source_row:5] " +
		"map[done_on:2024-03-28 item_id:kommunikationsplan note:corrected: approved 28 March points:<nil> source_row:4] " +
		"map[done_on:2024-10-07 item_id:raadgivningspakke note:launched points:<nil> source_row:3]]"
	if got := fmt.Sprint(register); got != want {
		t.Errorf("status register\n got %s\nwant %s", got, want)
	}
	quarantined := f.query("SELECT source_row, reason, plan, requirement_id, item_id, done_on, value, recorded_at " +
		"FROM quarantine WHERE source = 'register' ORDER BY source_row")
	// The register's rows fill its own columns only, and say which dataset they are of.
	if got := f.query("SELECT dataset, count(*) AS n, count(case_id) AS case_ids, count(site) AS sites " +
		"FROM quarantine WHERE source = 'register' GROUP BY dataset"); fmt.Sprint(got) != "[map[case_ids:0 dataset:status n:8 sites:0]]" {
		t.Errorf("status quarantine columns %v", got)
	}
	var got []string
	for _, q := range quarantined {
		got = append(got, fmt.Sprintf("%v %v [%s|%s|%s|%s|%s|%s]", q["source_row"], q["reason"], fmtNull(q["plan"]),
			fmtNull(q["requirement_id"]), fmtNull(q["item_id"]), fmtNull(q["done_on"]), fmtNull(q["value"]), fmtNull(q["recorded_at"])))
	}
	// (the source_row is the file's line; an empty cell is kept as the empty text it was)
	wantQ := []string{
		"6 missing_plan [|1.4|kommunikationsplan|2024-03-01||2024-04-01]",
		"7 missing_requirement_id [2024||kommunikationsplan|2024-03-01||2024-04-01]",
		"8 missing_item_id [2024|1.4||2024-03-01||2024-04-01]",
		"9 missing_recorded_at [2024|1.4|kommunikationsplan|2024-03-01||]",
		"10 bad_date [2024|1.4|kommunikationsplan|31/03/2024||2024-05-01]",
		"11 bad_number [2024|1.4|kommunikationsplan||abc|2024-05-01]",
		"12 unknown_requirement [2024|9.9|kommunikationsplan|2024-03-01||2024-05-01]",
		"13 future_date [2024|1.4|raadgivningspakke|2025-07-01||2025-07-02]",
	}
	if strings.Join(got, "\n") != strings.Join(wantQ, "\n") {
		t.Errorf("quarantine\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(wantQ, "\n     "))
	}
}

// TestStatusSourceLeavesScorecard: a status source beside the cases source changes no
// scorecard row and no case.
func TestStatusSourceLeavesScorecard(t *testing.T) {
	const scorecard = "SELECT * EXCLUDE (run_id, computed_at) FROM scorecard ORDER BY ALL"
	const cases = "SELECT * EXCLUDE (run_id, extracted_at, source_file) FROM cases ORDER BY ALL"
	with, without := statusFixture(t, false), statusFixture(t, true)
	sumWith, sumWithout := with.run("2024-10-07"), without.run("2024-10-07")
	if a, b := fmt.Sprint(with.query(scorecard)), fmt.Sprint(without.query(scorecard)); a != b || a == "[]" {
		t.Errorf("scorecard with a status source\n%s\nwithout\n%s", a, b)
	}
	if a, b := fmt.Sprint(with.query(cases)), fmt.Sprint(without.query(cases)); a != b {
		t.Errorf("cases with a status source\n%s\nwithout\n%s", a, b)
	}
	if sumWith.Cases != 4 || sumWithout.Cases != 4 {
		t.Errorf("cases %d and %d, want 4", sumWith.Cases, sumWithout.Cases)
	}
	if got := without.query("SELECT count(*) AS n FROM status"); fmt.Sprint(got) != "[map[n:0]]" {
		t.Errorf("status without a status source: %v", got)
	}
}

// TestStatusRegisterMerges: a later file of a delta status source merges into the published
// register: its newer record replaces the published one, its older one does not, and the items
// it does not name stay.
func TestStatusRegisterMerges(t *testing.T) {
	f := newFixture(t, "plans: [2024]\nsources:\n  - {name: export, kind: csv, path: cases.csv}\n"+
		"  - {name: register, kind: csv, path: 'status/*.csv', dataset: status}\n",
		map[string]string{"cases.csv": caseHeader + "C1,fasttrack,true,false,true,2024-01-02,2024-01-20,\n"})
	writeFile(t, f.dir, "status/a.csv", statusHeader+statusRegister)
	f.run("2024-12-31")
	writeFile(t, f.dir, "status/b.csv", statusHeader+
		"2024,1.4,raadgivningspakke,2024-09-27,,,2024-12-02,launch date corrected\n"+
		"2024,1.4,kommunikationsplan,2024-05-01,,,2024-04-01,an older record\n"+
		"2024,2.2,oversigt_q2,2024-07-05,,,2024-07-06,\n")
	sum := f.run("2024-12-31")
	want := "kommunikationsplan:done:2024-03-28 raadgivningspakke:done:2024-09-27"
	if got := milestonesOf(f, "1.4"); got != want {
		t.Errorf("1.4 %s, want %s", got, want)
	}
	if got, want := milestonesOf(f, "2.2"), "oversigt_q2:done_late:2024-07-05 oversigt_q4:open:NULL"; got != want {
		t.Errorf("2.2 %s, want %s", got, want)
	}
	if got := f.query("SELECT count(*) AS n FROM status"); fmt.Sprint(got) != "[map[n:4]]" {
		t.Errorf("register rows %v, want 4", got)
	}
	for _, s := range sum.Sources {
		if s.Source == "register" && (s.RowsRead != 3 || s.RowsWritten != 3 || s.RowsQuarantined != 0) {
			t.Errorf("register counts %+v, want 3 read, 3 written, none quarantined", s)
		}
	}
}

// writeFile writes a file under dir, its folder made.
func writeFile(t *testing.T, dir, name, body string) {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestRegistersWithoutRowsKeepTheirColumns: a run that lands no rows of a register makes its
// empty fresh rows from <name>_fresh_none.sql rather than from the curation; the register it
// publishes has the columns and types of one curated from rows.
func TestRegistersWithoutRowsKeepTheirColumns(t *testing.T) {
	columns := func(f *fixture, table string) string {
		return fmt.Sprint(f.query("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(getvariable('lake') || '/" + table + "/data.parquet'))"))
	}
	without, with := statusFixture(t, true), statusFixture(t, false)
	without.run("2024-12-31")
	with.run("2024-12-31")
	if a, b := columns(without, "status"), columns(with, "status"); a != b {
		t.Errorf("status without rows:\n%s\nwith rows:\n%s", a, b)
	}
	if n := len(with.query("SELECT * FROM status")); n == 0 {
		t.Fatal("the status register is empty: nothing to compare")
	}
	booking := appointmentsFixture(t)
	booking.run("2024-12-31")
	if a, b := columns(without, "appointments"), columns(booking, "appointments"); a != b {
		t.Errorf("appointments without snapshots:\n%s\nwith snapshots:\n%s", a, b)
	}
	if n := len(booking.query("SELECT * FROM appointments")); n == 0 {
		t.Fatal("no appointment snapshots: nothing to compare")
	}
}

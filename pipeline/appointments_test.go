package pipeline

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"scorecard/pipeline/period"
)

const appointmentsHeader = "snapshot_at,site,next_free_at\n"

// waitsPlan measures October 2024's weekdays twice: requirement 1 the next free time anywhere
// (90 % within 4 days), requirement 2 every site (50 %).
const waitsPlan = `version: 1
id: waits
year: 2024
title: Ventetider
requirements:
  - id: "1"
    kind: appointment_wait
    title: Biometri, nærmeste sted
    weight: 10
    max_wait_days: 4
    min_pct: 90
    points: 10
  - id: "2"
    kind: appointment_wait
    title: Biometri, hvert sted
    weight: 5
    max_wait_days: 4
    min_pct: 50
    points: 5
    sites: each
`

// octoberSnapshots are three sites' snapshots of October 2024, every day, weekends too:
// a waits 2 days in its first snapshot (08:00 wall time) and 9 in a later one that does not
// count; b 5 days on odd days and 3 on even ones (09:00 with an offset); c 4 days. No site
// reports on Tuesday 15 October. On Thursday 24 October b's first snapshot is written in UTC
// the evening before (00:30 local) with a wait of 0; on Friday 25 October only a reports,
// next free on Monday after the night the clocks go back.
func octoberSnapshots() string {
	var b strings.Builder
	day := func(d time.Time, n int) string { return d.AddDate(0, 0, n).Format(period.DateLayout) }
	for d := period.Date(2024, time.October, 1); d.Month() == time.October; d = d.AddDate(0, 0, 1) {
		offset := "+02:00"
		if d.Day() > 27 {
			offset = "+01:00"
		}
		ds := d.Format(period.DateLayout)
		switch d.Day() {
		case 15:
			continue
		case 25:
			b.WriteString("2024-10-25T09:00:00+02:00,a,2024-10-28T09:00:00+01:00\n")
			continue
		case 24:
			b.WriteString("2024-10-23T22:30:00Z,b,2024-10-24T15:00:00Z\n")
		}
		bWait := 3
		if d.Day()%2 == 1 {
			bWait = 5
		}
		fmt.Fprintf(&b, "%sT08:00:00,a,%s\n%sT14:00:00,a,%s\n", ds, day(d, 2), ds, day(d, 9))
		fmt.Fprintf(&b, "%sT09:00:00%s,b,%s\n", ds, offset, day(d, bWait))
		fmt.Fprintf(&b, "%sT10:00,c,%s\n", ds, day(d, 4))
	}
	return b.String()
}

// appointmentsFixture: plan waits, a cases source, and a booking system's snapshots in two
// files, the second repeating one snapshot of the first, with a bad row of each reason and a
// wait measured across the spring's DST night. 16 October is a closed day.
func appointmentsFixture(t *testing.T) *fixture {
	f := newFixture(t, "plans: [./waits.yaml]\nclosed_days: [2024-10-16]\nsources:\n"+
		"  - {name: export, kind: csv, path: cases.csv}\n"+
		"  - {name: booking, kind: csv, path: 'booking/*.csv', dataset: appointments}\n",
		map[string]string{
			"waits.yaml": waitsPlan,
			"cases.csv":  caseHeader + "C1,fasttrack,true,false,true,2024-01-02,2024-01-20,\n",
		})
	writeFile(t, f.dir, "booking/a.csv", appointmentsHeader+octoberSnapshots()+dedent(`
		2024-03-27T08:00:00+01:00,a,2024-04-02T08:00:00+02:00
		,a,2024-10-10
		2024-10-10T08:30:00,a,snart
		2024-10-11T08:30:00,a,2024-10-10
		2024-10-11T12:00:00+02:00,c,2024-10-11T09:00:00+02:00
		2025-07-01T08:00:00,a,2025-07-02
	`))
	writeFile(t, f.dir, "booking/b.csv", appointmentsHeader+"2024-10-01T08:00:00,a,2024-10-03\n")
	return f
}

// TestAppointmentDays: a weekday's wait from each site's first snapshot, earliest against
// each, a missing weekday, a closed day, a wait across a DST night, and the requirement rows of
// October against their thresholds.
func TestAppointmentDays(t *testing.T) {
	f := appointmentsFixture(t)
	sum := f.run("2024-10-31")
	// The summary's contract: the plan's year rows (its id is not its year).
	if got := fmt.Sprintf("%+v", sum.Contract); got !=
		"[{Plan:waits Period:2024 Complete:false Points:0 MaxPoints:15 Requirements:2 Met:0 Unknown:0}]" {
		t.Errorf("contract totals %s", got)
	}

	daysOf := func(req string, days ...string) string {
		var out []string
		for _, r := range f.query("SELECT day::VARCHAR AS day, site, wait_days, met FROM appointment_days " +
			"WHERE requirement_id = '" + req + "' AND day::VARCHAR IN ('" + strings.Join(days, "', '") + "') ORDER BY day") {
			out = append(out, fmt.Sprintf("%v:%s:%s:%v", r["day"], fmtNull(r["site"]), fmtNull(r["wait_days"]), r["met"]))
		}
		return strings.Join(out, " ")
	}
	days := []string{"2024-03-27", "2024-10-01", "2024-10-02", "2024-10-05", "2024-10-15", "2024-10-16", "2024-10-24", "2024-10-25", "2024-10-28"}
	// The spring's wait is 6 calendar days, not the 143 hours' 5; 5 October is a Saturday and
	// 16 October closed: no rows.
	if got, want := daysOf("1", days...),
		"2024-03-27:a:6:false 2024-10-01:a:2:true 2024-10-02:a:2:true 2024-10-15:NULL:NULL:false "+
			"2024-10-24:b:0:true 2024-10-25:a:3:true 2024-10-28:a:2:true"; got != want {
		t.Errorf("earliest\n got %s\nwant %s", got, want)
	}
	if got, want := daysOf("2", days...),
		"2024-03-27:a:6:false 2024-10-01:b:5:false 2024-10-02:c:4:true 2024-10-15:NULL:NULL:false "+
			"2024-10-24:c:4:true 2024-10-25:a:3:true 2024-10-28:c:4:true"; got != want {
		t.Errorf("each\n got %s\nwant %s", got, want)
	}
	// Every weekday of the year to the as-of date has a row: 2024 has 254 weekdays in the
	// Danish calendar, 213 of them from January to October, less 16 October.
	if got := f.query("SELECT count(*) AS n FROM appointment_days WHERE requirement_id = '1'"); fmt.Sprint(got[0]["n"]) != "212" {
		t.Errorf("appointment_days rows %v, want 212", got[0]["n"])
	}

	// October: 22 weekdays, 21 measured. Earliest: all 21 within 4 days, 95.45 % >= 90.
	// Each: the even days and 25 October, 11 of 22 = exactly 50 %, met.
	got := f.query("SELECT requirement_id, period, round(measure, 2) AS m, threshold, met, points, status, detail " +
		"FROM requirements WHERE period IN ('2024-10', '2024-Q4') ORDER BY requirement_id, period")
	want := []string{
		"1 2024-10 95.45 90 true 10 met 21 af 22 hverdage med højst 4 dages ventetid (95,5 pct.); kravet er 90 pct.; 1 uden måling",
		"1 2024-Q4 95.45 90 true 10 met 21 af 22 hverdage med højst 4 dages ventetid (95,5 pct.); kravet er 90 pct.; 1 uden måling",
		"2 2024-10 50 50 true 5 met 11 af 22 hverdage med højst 4 dages ventetid (50 pct.); kravet er 50 pct.; 1 uden måling",
		"2 2024-Q4 50 50 true 5 met 11 af 22 hverdage med højst 4 dages ventetid (50 pct.); kravet er 50 pct.; 1 uden måling",
	}
	var rows []string
	for _, r := range got {
		rows = append(rows, fmt.Sprintf("%v %v %v %v %v %v %v %v", r["requirement_id"], r["period"], r["m"],
			r["threshold"], r["met"], r["points"], r["status"], r["detail"]))
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("requirements\n got %s\nwant %s", strings.Join(rows, "\n     "), strings.Join(want, "\n     "))
	}
	// The year: the weekdays before October have no snapshots but for one; not met, 0 points.
	year := f.query("SELECT requirement_id, status, points FROM requirements WHERE period = '2024' ORDER BY requirement_id")
	if fmt.Sprint(year) != "[map[points:0 requirement_id:1 status:not_met] map[points:0 requirement_id:2 status:not_met]]" {
		t.Errorf("year rows %v", year)
	}
	// September has no snapshot at all: missing data, no points.
	sep := f.query("SELECT status, points, detail FROM requirements WHERE period = '2024-09' AND requirement_id = '1'")
	if fmt.Sprint(sep) != "[map[detail:Ingen målinger af ventetiden på 21 hverdage points:<nil> status:missing_data]]" {
		t.Errorf("September %v", sep)
	}

	// The bad rows, quarantined with their reasons and raw cells; the repeated snapshot once.
	q := f.query("SELECT reason, count(*) AS n FROM quarantine WHERE source = 'booking' GROUP BY reason ORDER BY reason")
	if fmt.Sprint(q) != "[map[n:1 reason:bad_date] map[n:1 reason:future_date] map[n:1 reason:missing_snapshot_at] map[n:2 reason:next_free_before_snapshot]]" {
		t.Errorf("quarantine %v", q)
	}
	if got := f.query("SELECT dataset, snapshot_at, site, next_free_at, case_id, plan FROM quarantine " +
		"WHERE reason = 'bad_date' AND source = 'booking'"); fmt.Sprint(got) !=
		"[map[case_id:<nil> dataset:appointments next_free_at:snart plan:<nil> site:a snapshot_at:2024-10-10T08:30:00]]" {
		t.Errorf("bad_date row %v", got)
	}
	// The snapshot both files hold is kept once, from the later file.
	if got := f.query("SELECT strftime(snapshot_at AT TIME ZONE 'Europe/Copenhagen', '%H:%M') AS at, " +
		"parse_filename(source_file) AS file FROM appointments " +
		"WHERE site = 'a' AND snapshot_date = DATE '2024-10-01' ORDER BY snapshot_at"); fmt.Sprint(got) !=
		"[map[at:08:00 file:b.csv] map[at:14:00 file:a.csv]]" {
		t.Errorf("1 October's snapshots of a: %v", got)
	}
}

// TestAppointmentsMerge: a nightly run with no new file keeps the published snapshots; a new
// file adds to them.
func TestAppointmentsMerge(t *testing.T) {
	f := appointmentsFixture(t)
	f.run("2024-10-31")
	before := f.query("SELECT count(*) AS n FROM appointments")
	f.run("2024-10-31")
	if after := f.query("SELECT count(*) AS n FROM appointments"); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("a run without new files: %v snapshots, want %v", after, before)
	}
	writeFile(t, f.dir, "booking/c.csv", appointmentsHeader+"2024-10-15T08:00:00,a,2024-10-16\n")
	f.run("2024-10-31")
	if got := f.query("SELECT site, wait_days, met FROM appointment_days WHERE requirement_id = '1' AND day = DATE '2024-10-15'"); fmt.Sprint(got) !=
		"[map[met:true site:a wait_days:1]]" {
		t.Errorf("15 October after the new file: %v", got)
	}
}

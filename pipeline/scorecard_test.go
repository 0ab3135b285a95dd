package pipeline

import (
	"fmt"
	"strings"
	"testing"
)

// caseRows builds n rows of one case type decided on decided after the given elapsed days
// (one entry per case), ids prefixed with prefix.
func caseRows(prefix, caseType, firstTime, decided string, elapsed []int) string {
	var b strings.Builder
	d, _ := ParseDate(decided)
	for i, e := range elapsed {
		sub := d.AddDate(0, 0, -e).Format(DateLayout)
		fmt.Fprintf(&b, "%s%02d,%s,%s,,,%s,%s,\n", prefix, i, caseType, firstTime, sub, decided)
	}
	return b.String()
}

// TestThresholds checks the <= at target_days and min_pct met exactly at the threshold, in
// integer arithmetic: 7 of 10 is 70% (met), 6 of 10 is not; 17 of 20 is 85% (met).
func TestThresholds(t *testing.T) {
	rows := caseRows("JAN", "eu_ophold", "nej", "2024-01-20", []int{0, 0, 1, 1, 1, 0, 1, 2, 2, 5}) +
		caseRows("FEB", "eu_ophold", "ja", "2024-02-20", []int{0, 0, 1, 1, 1, 0, 2, 2, 2, 2}) +
		caseRows("FT", "fasttrack", "ja", "2024-03-20", []int{31, 31, 31, 30, 1, 5, 10, 20, 25, 29, 31, 0, 3, 7, 14, 28, 31, 32, 32, 40})
	f := csvFixture(t, rows, "2024")
	f.run("2024-12-31")
	tests := []struct{ target, period, want string }{
		{"eu.1", "2024-01", "decided=10 within=7 excluded=0 pending=0 breached=0 met=true points=20"},
		{"eu.1", "2024-02", "decided=10 within=6 excluded=0 pending=0 breached=0 met=false points=0"},
		{"eu.1", "2024-03", "decided=0 within=0 excluded=0 pending=0 breached=0 met=NULL points=NULL"},
		{"eu.1", "2024-Q1", "decided=20 within=13 excluded=0 pending=0 breached=0 met=false points=0"},
		{"erhverv.fasttrack", "2024-03", "decided=20 within=17 excluded=0 pending=0 breached=0 met=true points=20"},
		{"erhverv.alle", "2024-03", "decided=20 within=17 excluded=0 pending=0 breached=0 met=true points=20"},
		{"erhverv.fasttrack", "2024", "decided=20 within=17 excluded=0 pending=0 breached=0 met=true points=20"},
	}
	for _, tt := range tests {
		if got := counts(f.scorecardRow("2024", tt.target, tt.period)); got != tt.want {
			t.Errorf("%s %s: %s, want %s", tt.target, tt.period, got, tt.want)
		}
	}
	row := f.scorecardRow("2024", "erhverv.fasttrack", "2024-03")
	if row["pct_within_target"] != 85.0 || row["min_pct"] != 85.0 || row["max_points"] != 20.0 || row["target_days"] != int32(31) {
		t.Errorf("fasttrack 2024-03: pct %v min_pct %v max_points %v target_days %T %v", row["pct_within_target"], row["min_pct"], row["max_points"], row["target_days"], row["target_days"])
	}
}

// TestSelection checks first_time, complex and has_service_target against both plans.
func TestSelection(t *testing.T) {
	rows := `
		L1,landbrug,ja,nej,,2020-03-01,2020-03-10,
		L2,landbrug,ja,ja,,2020-03-01,2020-03-10,
		L3,landbrug,nej,nej,,2020-03-01,2020-03-10,
		L4,landbrug,ja,,,2020-03-01,2020-05-10,
		B1,beloebsordning,true,true,,2020-03-01,2020-03-10,
		B2,beloebsordning,true,false,false,2020-03-01,2020-03-10,
		E1,eu_ophold,false,,,2020-03-01,2020-03-02,
		E2,eu_familie,TRUE,,,2020-03-01,2020-03-03,
		E3,eu_ophold,yes,,NO,2020-03-01,2020-03-01,
		M1,medfoelgende_familie_erhverv,1,1,,2024-03-01,2024-03-10,
		S1,studie,1,0,,2024-03-01,2024-03-10,
		F1,fasttrack,1,1,,2024-03-01,2024-05-10,
		F2,fasttrack,0,0,,2024-03-01,2024-03-10,
	`
	f := csvFixture(t, rows, "2020", "2024")
	f.run("2024-12-31")
	tests := []struct{ plan, target, period, want string }{
		// L2 complex and L3 extension are not selected; L4 (complex empty = false) is: pending
		// at the end of Q1, decided in Q2 after 70 days.
		{"2020", "erhverv.landbrug", "2020-Q1", "decided=1 within=1 excluded=0 pending=1 breached=0 met=true points=5"},
		{"2020", "erhverv.landbrug", "2020", "decided=2 within=1 excluded=0 pending=0 breached=0 met=false points=0"},
		// Beløbsordningen does not exclude complex cases; B2 has no service target.
		{"2020", "erhverv.beloebsordning", "2020-03", "decided=1 within=1 excluded=1 pending=0 breached=0 met=true points=8"},
		// EU counts every case, first time or not; E3 has no service target.
		{"2020", "eu.1", "2020-03", "decided=2 within=1 excluded=1 pending=0 breached=0 met=false points=0"},
		{"2020", "eu.31", "2020-03", "decided=2 within=2 excluded=1 pending=0 breached=0 met=true points=5"},
		// The whole business area in 2024: first-time cases, complex included, studie not.
		{"2024", "erhverv.alle", "2024", "decided=2 within=1 excluded=0 pending=0 breached=0 met=false points=0"},
		{"2024", "erhverv.fasttrack", "2024-Q1", "decided=0 within=0 excluded=0 pending=1 breached=0 met=NULL points=NULL"},
		{"2024", "erhverv.fasttrack", "2024-Q2", "decided=1 within=0 excluded=0 pending=0 breached=0 met=false points=0"},
	}
	for _, tt := range tests {
		if got := counts(f.scorecardRow(tt.plan, tt.target, tt.period)); got != tt.want {
			t.Errorf("%s %s %s: %s, want %s", tt.plan, tt.target, tt.period, got, tt.want)
		}
	}
	// A 2020 case never counts in the 2024 plan and the other way round.
	if n := len(f.query("SELECT * FROM case_results WHERE plan = '2024' AND decided_date < DATE '2024-01-01'")); n != 0 {
		t.Errorf("plan 2024 has %d case results decided before 2024", n)
	}
}

// TestPending checks the backlog at each period end and its breached part.
func TestPending(t *testing.T) {
	rows := `
		P1,eu_ophold,ja,,,2024-01-10,,
		P2,eu_ophold,ja,,,2024-01-31,2024-02-01,
		P3,eu_ophold,ja,,,2024-03-01,2024-03-20,
		P4,eu_ophold,nej,,,2023-12-01,,
		P5,eu_ophold,ja,,nej,2024-01-10,,
		P6,eu_ophold,ja,,,2024-03-16,,
	`
	f := csvFixture(t, rows, "2024")
	f.run("2024-03-15")
	tests := []struct{ period, want string }{
		{"2024-01", "decided=0 within=0 excluded=0 pending=3 breached=2 met=NULL points=NULL"},
		{"2024-02", "decided=1 within=1 excluded=0 pending=2 breached=2 met=true points=20"},
		{"2024-03", "decided=0 within=0 excluded=0 pending=3 breached=3 met=NULL points=NULL"},
		{"2024-Q1", "decided=1 within=1 excluded=0 pending=3 breached=3 met=true points=20"},
		{"2024", "decided=1 within=1 excluded=0 pending=3 breached=3 met=true points=20"},
	}
	for _, tt := range tests {
		if got := counts(f.scorecardRow("2024", "eu.1", tt.period)); got != tt.want {
			t.Errorf("eu.1 %s: %s, want %s", tt.period, got, tt.want)
		}
	}
	q1 := f.scorecardRow("2024", "eu.1", "2024-Q1")
	if q1["period_complete"] != false || fmt.Sprint(q1["period_end"])[:10] != "2024-03-15" {
		t.Errorf("Q1 as of 2024-03-15: complete %v end %v", q1["period_complete"], q1["period_end"])
	}
	if n := len(f.scorecardRow("2024", "eu.1", "2024-02")); n == 0 || len(f.query("SELECT * FROM scorecard WHERE period = '2024-04'")) != 0 {
		t.Error("April has not begun by the as-of date and must have no rows")
	}
	// P3 was decided after the as-of date: pending, and in no case result.
	if n := len(f.query("SELECT * FROM case_results WHERE case_id = 'P3'")); n != 0 {
		t.Errorf("P3 decided after as-of has %d case results", n)
	}
}

// TestPlanFileWithLadder runs a plan from a file next to the config, with a decimal min_pct
// and a partial-credit ladder: 7 of 8 is exactly 87.5% (full points), 6 of 8 reaches the 75%
// step (half), 5 of 8 nothing.
func TestPlanFileWithLadder(t *testing.T) {
	plan := `version: 1
id: eu-2025
year: 2025
title: Prøveplan
requirements:
  - id: "1"
    title: EU
    weight: 10
    targets:
      - id: eu.fast
        label: EU hurtigt
        select: {area: eu}
        target_days: 1
        min_pct: 87.5
        points: 10
        ladder:
          - {min_pct: 75, share: 0.5}
`
	rows := caseRows("J", "eu_ophold", "ja", "2025-01-15", []int{0, 1, 1, 0, 0, 1, 1, 2}) +
		caseRows("F", "eu_ophold", "ja", "2025-02-15", []int{0, 1, 1, 0, 0, 1, 2, 2}) +
		caseRows("M", "eu_ophold", "ja", "2025-03-15", []int{0, 1, 1, 0, 0, 2, 2, 2})
	body := "plans: [plans/eu.yaml]\nsources:\n  - {name: export, kind: csv, path: cases.csv}\n"
	f := newFixture(t, body, map[string]string{"cases.csv": caseHeader + rows})
	f.writeFile("plans/eu.yaml", plan)
	f.run("2025-03-31")
	for period, want := range map[string]string{
		"2025-01": "decided=8 within=7 excluded=0 pending=0 breached=0 met=true points=10",
		"2025-02": "decided=8 within=6 excluded=0 pending=0 breached=0 met=false points=5",
		"2025-03": "decided=8 within=5 excluded=0 pending=0 breached=0 met=false points=0",
		"2025-Q1": "decided=24 within=18 excluded=0 pending=0 breached=0 met=false points=5",
	} {
		if got := counts(f.scorecardRow("eu-2025", "eu.fast", period)); got != want {
			t.Errorf("%s: %s, want %s", period, got, want)
		}
	}
}

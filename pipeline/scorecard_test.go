package pipeline

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"scorecard/pipeline/period"
)

// caseRows builds n rows of one case type decided on decided after the given elapsed days
// (one entry per case), ids prefixed with prefix.
func caseRows(prefix, caseType, firstTime, decided string, elapsed []int) string {
	var b strings.Builder
	d, _ := period.ParseDate(decided)
	for i, e := range elapsed {
		sub := d.AddDate(0, 0, -e).Format(period.DateLayout)
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

// wilsonBounds is the 95 % Wilson score interval of k of n in percent, written here apart from
// scorecard.sql in another of its algebraic forms:
// (2k + z² ∓ z·sqrt(z² + 4k(n−k)/n)) / (2(n + z²)).
func wilsonBounds(k, n int64) (low, high float64) {
	const z = 1.959964
	kf, nf := float64(k), float64(n)
	root := z * math.Sqrt(z*z+4*kf*(nf-kf)/nf)
	return 100 * (2*kf + z*z - root) / (2 * (nf + z*z)), 100 * (2*kf + z*z + root) / (2 * (nf + z*z))
}

// TestScorecardIntervals checks pct_low and pct_high (SPEC §8: the 95 % Wilson score interval
// of within_target / decided, z = 1.959964) against published values, and excluded_pct (100 ×
// excluded / (excluded + decided)) against shares computed by hand. The bounds of 0/5 and 5/5
// computed with 40 digits (mpmath): 0/5 [0, 43.448246865939286], 5/5 [56.551753134060714, 100],
// 20/24 [64.146929178709960, 93.321323717868179], 2/3 [20.765959880782429, 93.850805597906916].
func TestScorecardIntervals(t *testing.T) {
	rows := caseRows("JAN", "eu_ophold", "ja", "2024-01-20", []int{5, 5, 5, 5, 5}) + // 0 of 5 within 1 day
		caseRows("FEB", "eu_ophold", "ja", "2024-02-20", []int{0, 0, 1, 1, 0}) + // 5 of 5
		caseRows("MAR", "eu_ophold", "ja", "2024-03-20", []int{
			0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 2, 3, 4, 9}) + // 20 of 24
		// April: nothing decided, nothing excluded. May: two cases without a service target.
		"MAYX1,eu_ophold,ja,,nej,2024-05-01,2024-05-10,\n" +
		"MAYX2,eu_ophold,nej,,nej,2024-04-28,2024-05-02,\n" +
		// June: 2 of 3 within, one excluded.
		caseRows("JUN", "eu_ophold", "ja", "2024-06-12", []int{0, 1, 3}) +
		"JUNX1,eu_ophold,ja,,nej,2024-06-01,2024-06-10,\n"
	f := csvFixture(t, rows, "2024")
	f.run("2024-06-30")
	const tol = 1e-9
	for _, tt := range []struct {
		period            string
		low, high         any // float64, or nil for NULL
		excludedPct       any
		decided, excluded int64
	}{
		{"2024-01", 0.0, 43.448246865939286, 0.0, 5, 0},
		{"2024-02", 56.551753134060714, 100.0, 0.0, 5, 0},
		{"2024-03", 64.146929178709960, 93.321323717868179, 0.0, 24, 0},
		{"2024-04", nil, nil, nil, 0, 0},
		{"2024-05", nil, nil, 100.0, 0, 2},
		{"2024-06", 20.765959880782429, 93.850805597906916, 25.0, 3, 1},
		{"2024-Q2", 20.765959880782429, 93.850805597906916, 50.0, 3, 3}, // 3 of 3 + 3
		{"2024", nil, nil, 7.5, 37, 3},                                  // 3 of 37 + 3; bounds below
	} {
		row := f.scorecardRow("2024", "eu.1", tt.period)
		if row["decided"] != tt.decided || row["excluded"] != tt.excluded {
			t.Fatalf("%s: decided %v excluded %v, want %d and %d", tt.period, row["decided"], row["excluded"], tt.decided, tt.excluded)
		}
		if tt.period != "2024" {
			checkShare(t, tt.period+" pct_low", row["pct_low"], tt.low, tol)
			checkShare(t, tt.period+" pct_high", row["pct_high"], tt.high, tol)
		}
		checkShare(t, tt.period+" excluded_pct", row["excluded_pct"], tt.excludedPct, 0)
	}
	// The ends are exact, not 99.99999...: nothing was within in January, everything in February.
	if jan, feb := f.scorecardRow("2024", "eu.1", "2024-01"), f.scorecardRow("2024", "eu.1", "2024-02"); jan["pct_low"] != 0.0 || feb["pct_high"] != 100.0 {
		t.Errorf("0/5 low %v, 5/5 high %v: want exactly 0 and 100", jan["pct_low"], feb["pct_high"])
	}
	// Every row of every target against the independent computation.
	all := f.query("SELECT target_id, period, decided, within_target, pct_within_target, pct_low, pct_high, excluded, excluded_pct FROM scorecard")
	if len(all) == 0 {
		t.Fatal("no scorecard rows")
	}
	for _, row := range all {
		what := fmt.Sprint(row["target_id"], " ", row["period"])
		k, n, x := row["within_target"].(int64), row["decided"].(int64), row["excluded"].(int64)
		var low, high, excl any
		if n > 0 {
			l, h := wilsonBounds(k, n)
			low, high = max(l, 0), min(h, 100)
			if pct := row["pct_within_target"].(float64); row["pct_low"].(float64) > pct || row["pct_high"].(float64) < pct {
				t.Errorf("%s: %v%% outside its interval [%v, %v]", what, pct, row["pct_low"], row["pct_high"])
			}
		}
		if n+x > 0 {
			excl = 100 * float64(x) / float64(n+x)
		}
		checkShare(t, what+" pct_low", row["pct_low"], low, tol)
		checkShare(t, what+" pct_high", row["pct_high"], high, tol)
		checkShare(t, what+" excluded_pct", row["excluded_pct"], excl, 1e-12)
	}
}

// checkShare compares a nullable DOUBLE with a float64 (or nil for NULL) within tol.
func checkShare(t *testing.T, what string, got, want any, tol float64) {
	t.Helper()
	if want == nil || got == nil {
		if got != want {
			t.Errorf("%s = %v, want %v", what, fmtNull(got), fmtNull(want))
		}
		return
	}
	g, ok := got.(float64)
	if !ok || math.Abs(g-want.(float64)) > tol {
		t.Errorf("%s = %v (%T), want %v", what, got, got, want)
	}
}

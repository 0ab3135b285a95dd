package pipeline

import (
	"fmt"
	"strings"
	"testing"
)

// forecastRowsOf lists the forecast rows of a plan's requirements as
// id:target_days:min_pct:decided/within:backlog/late:best/worst:expected_decided:needed:
// expected[low,high]:p_met:points/max_points, figures rounded to 4 decimals.
func forecastRowsOf(f *fixture, plan string, ids ...string) string {
	rows := f.query("SELECT target_id, target_days, min_pct, decided, within_target, backlog, backlog_late, " +
		"backlog_in_time, round(best_case_pct, 4) AS best, round(worst_case_pct, 4) AS worst, expected_decided, " +
		"round(needed_pct, 4) AS needed, round(expected_pct, 4) AS e, round(expected_pct_low, 4) AS lo, " +
		"round(expected_pct_high, 4) AS hi, round(p_met, 4) AS p, round(expected_points, 4) AS pts, max_points, " +
		"as_of::VARCHAR AS as_of, year_end::VARCHAR AS year_end FROM forecast WHERE plan = '" + plan +
		"' AND target_id IN ('" + strings.Join(ids, "', '") + "') ORDER BY target_id")
	var out []string
	for _, r := range rows {
		out = append(out, fmt.Sprintf("%v:%s:%v:%v/%v:%v/%v:%s/%s:%v:%s:%s[%s,%s]:%s:%s/%v",
			r["target_id"], fmtNull(r["target_days"]), fmtNull(r["min_pct"]), r["decided"], r["within_target"],
			r["backlog"], r["backlog_late"], fmtNull(r["best"]), fmtNull(r["worst"]), r["expected_decided"],
			fmtNull(r["needed"]), fmtNull(r["e"]), fmtNull(r["lo"]), fmtNull(r["hi"]), fmtNull(r["p"]),
			fmtNull(r["pts"]), r["max_points"]))
	}
	return strings.Join(out, "\n")
}

// TestForecastKindsWait: the forecast of the appointment_wait requirements as of 31 October
// 2024, the weekdays being their decisions. Up to the as-of date 2024 has 212 weekdays (213
// less the closed 16 October); 41 are left (November 21, December 22 less Juledag and 2.
// Juledag). Requirement 1 (earliest, 4 days, 90 %) met 21 (October's measured days; 27 March
// waited 6), requirement 2 (each, 50 %) 11. Needed: 100 × (0.9 × 253 − 21) / 41 = 504.1463
// and 100 × (0.5 × 253 − 11) / 41 = 281.7073, out of reach: p_met 0. Expected: the year to
// date's share, 21/212 and 11/212; the interval the binomial(41, p) 10 % and 90 % quantiles
// over the year's 253 weekdays: 2 and 7 more met days for requirement 1 (23/253, 28/253), 0
// and 4 for requirement 2 (11/253, 15/253: none at all has a chance of 0.95^41 = 11 %).
func TestForecastKindsWait(t *testing.T) {
	f := appointmentsFixture(t)
	f.run("2024-10-31")
	want := strings.Join([]string{
		"1:NULL:90:212/21:0/0:9.9057/9.9057:41:504.1463:9.9057[9.0909,11.0672]:0:0/10",
		"2:NULL:50:212/11:0/0:5.1887/5.1887:41:281.7073:5.1887[4.3478,5.9289]:0:0/5",
	}, "\n")
	if got := forecastRowsOf(f, "waits", "1", "2"); got != want {
		t.Errorf("waits\n got %s\nwant %s", got, want)
	}
	// The year over: the actual figures, nothing expected any more.
	f.run("2024-12-31")
	got := f.query("SELECT target_id, decided, within_target, expected_decided, needed_pct, round(expected_pct, 4) AS e, " +
		"expected_pct_low = expected_pct AND expected_pct_high = expected_pct AS same, p_met " +
		"FROM forecast WHERE plan = 'waits' ORDER BY target_id")
	if fmt.Sprint(got) != "[map[decided:253 e:8.3004 expected_decided:0 needed_pct:<nil> p_met:0 same:true target_id:1 within_target:21] "+
		"map[decided:253 e:4.3478 expected_decided:0 needed_pct:<nil> p_met:0 same:true target_id:2 within_target:11]]" {
		t.Errorf("waits, the year over: %v", got)
	}
}

// TestForecastKindsRequirements: milestones and the KPI of both plans as of 7 October 2024 (the
// same register as TestRequirements).
func TestForecastKindsRequirements(t *testing.T) {
	f := requirementsFixture(t)
	f.run("2024-10-07")
	// 2024: 1.2 no snapshot at all, every weekday so far not met (195; 59 left, needed
	// 100 × 0.8 × 254 / 59); 1.4 the advice package done late: 50 %, p_met 0; 2.1 both items
	// open, none late: p_met 1, all its points; 2.2 one of two overdue: 0 %, p_met 0; 2.3 done
	// on time; 2.4 all three overdue. 1.3 (manual) has no forecast.
	want2024 := strings.Join([]string{
		"1.2:NULL:80:195/0:0/0:0/0:59:344.4068:0[0,0]:0:0/10",
		"1.4:NULL:100:2/1:0/0:50/50:0:NULL:50[50,50]:0:0/10",
		"2.1:NULL:100:0/0:2/0:100/0:2:100:100[100,100]:1:2.5/2.5",
		"2.2:NULL:100:0/0:2/1:50/0:2:100:0[0,0]:0:0/2.5",
		"2.3:NULL:100:1/1:0/0:100/100:0:NULL:100[100,100]:1:5/5",
		"2.4:NULL:100:0/0:3/3:0/0:3:100:0[0,0]:0:0/5",
	}, "\n")
	if got := forecastRowsOf(f, "2024", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4"); got != want2024 {
		t.Errorf("2024\n got %s\nwant %s", got, want2024)
	}
	// 2020, over: 1.1 both on time; 1.2 one late; 2.2 none done; 2.3 the year's 7.0 (it wins
	// over 2020-Q1's 1.5) is not below 7: p_met 0, no shares; min_pct holds the threshold.
	// 1.3 (manual) and 2.1 (assessment) have none.
	want2020 := strings.Join([]string{
		"1.1:NULL:100:2/2:0/0:100/100:0:NULL:100[100,100]:1:5/5",
		"1.2:NULL:100:2/1:0/0:50/50:0:NULL:50[50,50]:0:0/5",
		"2.2:NULL:100:0/0:4/4:0/0:0:NULL:0[0,0]:0:0/5",
		"2.3:NULL:7:0/0:0/0:NULL/NULL:0:NULL:NULL[NULL,NULL]:0:0/5",
	}, "\n")
	if got := forecastRowsOf(f, "2020", "1.1", "1.2", "1.3", "2.1", "2.2", "2.3"); got != want2020 {
		t.Errorf("2020\n got %s\nwant %s", got, want2020)
	}
	// The targets' rows stay: 12 of 2020, 3 of 2024, beside 4 and 6 requirement rows.
	if got := fmt.Sprint(f.query("SELECT plan, count(*) AS n FROM forecast GROUP BY plan ORDER BY plan")); got !=
		"[map[n:16 plan:2020] map[n:9 plan:2024]]" {
		t.Errorf("forecast rows per plan %s", got)
	}
	// The forecast's points of a year that is over are the points the contract awards.
	if got := fmt.Sprint(f.query("SELECT f.target_id, f.expected_points, r.points FROM forecast f JOIN requirements r " +
		"ON r.plan = f.plan AND r.requirement_id = f.target_id AND r.period = f.plan " +
		"WHERE f.plan = '2020' AND f.expected_points IS DISTINCT FROM r.points")); got != "[]" {
		t.Errorf("2020 points differ from the requirements': %s", got)
	}
}

package pipeline

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"scorecard/pipeline/period"
)

// TestAtRisk: the at-risk list of SPEC §8, with the deadline counted from local dates like
// elapsed_days. Copenhagen's DST night (31 March 2024) and a year end, at at_risk_days 7.
func TestAtRisk(t *testing.T) {
	rows := `
		DST-CET,fasttrack,ja,,,2024-03-30T23:30:00Z,,
		DST-CEST,fasttrack,ja,,,2024-03-31T22:30:00Z,,
		LATE,fasttrack,ja,,,2024-03-01,,
		DONE,fasttrack,ja,,,2024-03-29,2024-04-20,
		LATER,fasttrack,ja,,,2024-03-29,2024-04-30,
		FAR,fasttrack,ja,,,2024-04-20,,
		NEW,fasttrack,ja,,,2024-04-26,,
		NOTARGET,fasttrack,ja,,nej,2024-03-01,,
		RENEWAL,fasttrack,nej,,,2024-03-01,,
		EDGE-IN,fasttrack,ja,,,2024-12-04,,
		EDGE-OUT,fasttrack,ja,,,2024-12-05,,
		OLD,fasttrack,ja,,,2023-11-20,,`
	f := csvFixture(t, rows, "2024")
	list := func() string {
		var out []string
		for _, r := range f.query("SELECT case_id, submitted_date, deadline, days_left, age_days FROM at_risk WHERE target_id = 'erhverv.fasttrack' ORDER BY deadline, case_id") {
			out = append(out, fmt.Sprintf("%v %s %s %v %v", r["case_id"], day(r["submitted_date"]), day(r["deadline"]), r["days_left"], r["age_days"]))
		}
		return strings.Join(out, "\n")
	}
	sum := f.run("2024-04-25")
	// DST-CET is a 31 March case (00:30 CET), DST-CEST a 1 April one (00:30 CEST): deadlines
	// 1 and 2 May, 6 and 7 days after the as-of date. LATER is decided after the as-of date,
	// so still open then; the others are decided, not yet submitted, too far off, without a
	// service target or not selected.
	want := strings.Join([]string{
		"OLD 2023-11-20 2023-12-21 -126 157",
		"LATE 2024-03-01 2024-04-01 -24 55",
		"LATER 2024-03-29 2024-04-29 4 27",
		"DST-CET 2024-03-31 2024-05-01 6 25",
		"DST-CEST 2024-04-01 2024-05-02 7 24",
	}, "\n")
	if got := list(); got != want {
		t.Errorf("at risk as of 2024-04-25:\n%s\nwant:\n%s", got, want)
	}
	if got := fmt.Sprint(sum.AtRisk); got != "[{2024 erhverv.alle 5 2} {2024 erhverv.fasttrack 5 2}]" {
		t.Errorf("summary: %s", got)
	}

	f.run("2024-12-28")
	want = strings.Join([]string{
		"OLD 2023-11-20 2023-12-21 -373 404",
		"LATE 2024-03-01 2024-04-01 -271 302",
		"DST-CET 2024-03-31 2024-05-01 -241 272",
		"DST-CEST 2024-04-01 2024-05-02 -240 271",
		"FAR 2024-04-20 2024-05-21 -221 252",
		"NEW 2024-04-26 2024-05-27 -215 246",
		"EDGE-IN 2024-12-04 2025-01-04 7 24",
	}, "\n")
	if got := list(); got != want {
		t.Errorf("at risk as of 2024-12-28 (deadline in the next year):\n%s\nwant:\n%s", got, want)
	}
	// A year that is over has no cases at risk.
	f.run("2025-01-02")
	if got := f.query("SELECT count(*) AS n FROM at_risk")[0]["n"]; got != int64(0) {
		t.Errorf("at risk after the plan year: %v rows, want 0", got)
	}
}

// day formats a DATE value of a query.
func day(v any) string {
	if d, ok := v.(time.Time); ok {
		return d.Format(period.DateLayout)
	}
	return fmt.Sprint(v)
}

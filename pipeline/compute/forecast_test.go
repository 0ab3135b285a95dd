package compute

import (
	"fmt"
	"math"
	"testing"
	"time"

	"scorecard/pipeline/period"
)

// TestForecastExactColumns: the columns SPEC §8 gives by formula, on hand-computed cases. With
// no earlier year in the lake, the volume to come is the year's run rate carried to its end:
// decided × days left / days gone.
func TestForecastExactColumns(t *testing.T) {
	year := func(y int, asOf string) forecastInput {
		return forecastInput{Plan: "p", TargetID: "t", YearStart: time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC),
			YearEnd: time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC), Date: mustDate(asOf), TargetDays: 31, MinPct: 90, MaxPoints: 10}
	}
	tests := []struct {
		name                      string
		in                        forecastInput
		asOf                      string
		best, worst, needed       string
		expectedDecided           float64
		expected, low, high, pMet string
	}{
		{
			// 20 December 2024: 355 days gone, 11 left; 1000 decided, 990 within: secured.
			name: "secured", asOf: "2024-12-20",
			in:   with(year(2024, "2024-12-20"), 1000, 990, 4, 1),
			best: fmt.Sprintf("%.4f", 100*993.0/1004), worst: fmt.Sprintf("%.4f", 100*990.0/1004),
			expectedDecided: 1000 * 11.0 / 355,
			needed:          fmt.Sprintf("%.4f", 100*(0.9*(1000+1000*11.0/355)-990)/(1000*11.0/355)),
		},
		{
			name: "out of reach", asOf: "2024-12-20",
			in:   with(year(2024, "2024-12-20"), 100, 10, 0, 0),
			best: "10.0000", worst: "10.0000",
			expectedDecided: 100 * 11.0 / 355,
			needed:          fmt.Sprintf("%.4f", 100*(0.9*(100+100*11.0/355)-10)/(100*11.0/355)),
		},
		{
			// 1 March of a leap year: 61 days gone, 305 left, so five times the decisions so far.
			name: "leap year", asOf: "2024-03-01",
			in:   with(year(2024, "2024-03-01"), 61, 55, 10, 3),
			best: fmt.Sprintf("%.4f", 100*62.0/71), worst: fmt.Sprintf("%.4f", 100*55.0/71),
			expectedDecided: 305,
			needed:          fmt.Sprintf("%.4f", 100*(0.9*(61+305)-55)/305),
		},
		{
			// and of a common one: 60 days gone, 305 left.
			name: "common year", asOf: "2023-03-01",
			in:   with(year(2023, "2023-03-01"), 60, 55, 0, 0),
			best: fmt.Sprintf("%.4f", 100*55.0/60), worst: fmt.Sprintf("%.4f", 100*55.0/60),
			expectedDecided: 305,
			needed:          fmt.Sprintf("%.4f", 100*(0.9*(60+305)-55)/305),
		},
		{
			// Nothing decided, nothing open: nothing to forecast.
			name: "empty", asOf: "2024-06-30",
			in:   with(year(2024, "2024-06-30"), 0, 0, 0, 0),
			best: "NULL", worst: "NULL", needed: "NULL", expected: "NULL", low: "NULL", high: "NULL", pMet: "NULL",
		},
		{
			// The year is over (an as-of date on 31 December, or later): the forecast is the
			// year's figure, certain; an open case stays in the backlog columns.
			name: "31 December", asOf: "2024-12-31",
			in:   with(year(2024, "2024-12-31"), 200, 179, 1, 1),
			best: fmt.Sprintf("%.4f", 100*179.0/201), worst: fmt.Sprintf("%.4f", 100*179.0/201), needed: "NULL",
			expected: "89.5000", low: "89.5000", high: "89.5000", pMet: "0.0000",
		},
		{
			name: "after the year", asOf: "2025-02-01",
			in:   with(year(2024, "2024-12-31"), 200, 180, 0, 0),
			best: "90.0000", worst: "90.0000", needed: "NULL",
			expected: "90.0000", low: "90.0000", high: "90.0000", pMet: "1.0000",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := forecastTarget(tt.in, mustDate(tt.asOf))
			check := func(col, got, want string) {
				if want != "" && got != want {
					t.Errorf("%s = %s, want %s", col, got, want)
				}
			}
			check("best_case_pct", fmtPct(got.BestCase), tt.best)
			check("worst_case_pct", fmtPct(got.WorstCase), tt.worst)
			check("needed_pct", fmtPct(got.Needed), tt.needed)
			check("expected_pct", fmtPct(got.Expected), tt.expected)
			check("expected_pct_low", fmtPct(got.ExpectedLow), tt.low)
			check("expected_pct_high", fmtPct(got.ExpectedHigh), tt.high)
			check("p_met", fmtPct(got.PMet), tt.pMet)
			if math.Abs(got.ExpectedDecided-tt.expectedDecided) > 1e-9 {
				t.Errorf("expected_decided = %v, want %v", got.ExpectedDecided, tt.expectedDecided)
			}
			if got.Backlog-got.BacklogLate != tt.in.Backlog-tt.in.BacklogLate {
				t.Errorf("backlog in time = %d", got.Backlog-got.BacklogLate)
			}
		})
	}
}

// TestForecastSecuredAndLost: a secured target is all but certain to be met, one out of reach
// all but certain to be missed, with the interval around the expected share and inside the
// best and worst cases' reach.
func TestForecastSecuredAndLost(t *testing.T) {
	in := forecastInput{Plan: "p", TargetID: "t", YearStart: mustDate("2024-01-01"), YearEnd: mustDate("2024-12-31"),
		Date: mustDate("2024-12-20"), TargetDays: 31, MinPct: 90, MaxPoints: 10}
	secured := forecastTarget(with(in, 1000, 990, 4, 1), mustDate("2024-12-20"))
	lost := forecastTarget(with(in, 100, 10, 0, 0), mustDate("2024-12-20"))
	if *secured.PMet < 0.999 || *secured.ExpectedPoints < 9.99 {
		t.Errorf("secured: p_met %v, points %v", *secured.PMet, *secured.ExpectedPoints)
	}
	if *lost.PMet > 0.001 || *lost.ExpectedPoints > 0.01 {
		t.Errorf("lost: p_met %v, points %v", *lost.PMet, *lost.ExpectedPoints)
	}
	for _, f := range []ForecastRow{secured, lost} {
		if !(*f.ExpectedLow <= *f.Expected && *f.Expected <= *f.ExpectedHigh) {
			t.Errorf("%s: interval %v..%v does not hold %v", f.TargetID, *f.ExpectedLow, *f.ExpectedHigh, *f.Expected)
		}
	}
}

func mustDate(s string) time.Time {
	d, err := period.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// with sets the year-to-date counts of a forecast input.
func with(in forecastInput, decided, within, backlog, late int64) forecastInput {
	in.Decided, in.Within, in.Backlog, in.BacklogLate = decided, within, backlog, late
	return in
}

func fmtPct(p *float64) string {
	if p == nil {
		return "NULL"
	}
	return fmt.Sprintf("%.4f", *p)
}

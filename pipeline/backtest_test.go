package pipeline

import (
	"context"
	"errors"
	"math"
	"reflect"
	"testing"
	"time"

	"scorecard/pipeline/config"
	"scorecard/pipeline/period"
	"scorecard/rules"
)

// backtestRows are first-time fast-track cases of two years (the 2024 plan's erhverv.fasttrack,
// min 85, and erhverv.alle, min 75, select them both; eu.1 selects none):
//   - 2023, decided: 5, 10, 31, 32, 40 days on 10 May and 1, 2, 3 on 1 September: 6 of 8
//     within 31 days, 75 %;
//   - 2024: 3, 20, 45 days on 10 February; 10, 35 on 15 April; 1, 2, 3, 4 on 1 July; 50 on
//     20 November; one submitted 20 March and decided 10 June (82 days); and one submitted
//     20 December and decided 10 January 2025, which 2024 never counts: 11 decided, 7 within.
func backtestRows() string {
	return caseRows("L23A", "fasttrack", "ja", "2023-05-10", []int{5, 10, 31, 32, 40}) +
		caseRows("L23B", "fasttrack", "ja", "2023-09-01", []int{1, 2, 3}) +
		caseRows("Y24A", "fasttrack", "ja", "2024-02-10", []int{3, 20, 45}) +
		caseRows("Y24B", "fasttrack", "ja", "2024-04-15", []int{10, 35}) +
		caseRows("Y24C", "fasttrack", "ja", "2024-07-01", []int{1, 2, 3, 4}) +
		caseRows("Y24D", "fasttrack", "ja", "2024-11-20", []int{50}) +
		"LATE,fasttrack,ja,,,2024-03-20,2024-06-10,\n" +
		"NEXT,fasttrack,ja,,,2024-12-20,2025-01-10,\n"
}

func backtestFixture(t *testing.T) *fixture {
	t.Helper()
	f := csvFixture(t, backtestRows(), "2024")
	f.run("2025-01-31")
	return f
}

func runBacktest(t *testing.T, f *fixture, year int) (*BacktestResult, error) {
	t.Helper()
	cat := rules.BuiltinCatalogue()
	plans, err := config.LoadPlans(f.cfg, cat)
	if err != nil {
		t.Fatal(err)
	}
	return Backtest(context.Background(), f.cfg, plans, cat, year)
}

// TestBacktestNaive holds the naive forecasts and the actual against shares computed by hand:
// as of 30 April 2024 the year to date is 3 of 5 (60 %), last year's final share 6 of 8
// (75 %), and the year ends at 7 of 11.
func TestBacktestNaive(t *testing.T) {
	f := backtestFixture(t)
	res, err := runBacktest(t, f, 2024)
	if err != nil {
		t.Fatal(err)
	}
	if res.Targets != 2 || !reflect.DeepEqual(res.Skipped, []string{"2024/eu.1"}) || len(res.Months) != 22 {
		t.Fatalf("targets %d, left out %v, months %d", res.Targets, res.Skipped, len(res.Months))
	}
	ytd := map[string]float64{ // the year to date by month end, within of decided
		"01": math.NaN(), "02": 2.0 / 3, "03": 2.0 / 3, "04": 3.0 / 5, "05": 3.0 / 5, "06": 3.0 / 6,
		"07": 7.0 / 10, "08": 7.0 / 10, "09": 7.0 / 10, "10": 7.0 / 10, "11": 7.0 / 11,
	}
	for _, m := range res.Months {
		want := ytd[m.AsOf.Format("01")]
		if math.IsNaN(want) != (m.YearToDate == nil) || (m.YearToDate != nil && !near(*m.YearToDate, 100*want)) {
			t.Errorf("%s %s: year to date %v, want %v %%", m.TargetID, m.AsOf.Format(period.DateLayout), fmtPct(m.YearToDate), 100*want)
		}
		if m.LastYear == nil || !near(*m.LastYear, 75) || m.Actual == nil || !near(*m.Actual, 700.0/11) || m.Met {
			t.Errorf("%s %s: last year %s, actual %s (met %v); want 75, 63.6364, false", m.TargetID,
				m.AsOf.Format(period.DateLayout), fmtPct(m.LastYear), fmtPct(m.Actual), m.Met)
		}
		// 75 % reaches erhverv.alle's 75 exactly (p = 1), not fast-track's 85; no year to
		// date reaches either.
		if m.LastYearMet != (m.TargetID == "erhverv.alle") || m.YearToDateMet {
			t.Errorf("%s %s: naive met: last year %v, year to date %v", m.TargetID, m.AsOf.Format(period.DateLayout), m.LastYearMet, m.YearToDateMet)
		}
	}
	// From the end of Q1: the year to date is off by |ytd - 7/11| at each of March to
	// November, last year's share by 75 - 700/11 every month; erhverv.alle's naive (b) says
	// met and is wrong (Brier 1), fast-track's says missed and is right (0).
	var sum float64
	for _, mon := range []string{"03", "04", "05", "06", "07", "08", "09", "10", "11"} {
		sum += math.Abs(100*ytd[mon] - 700.0/11)
	}
	s := res.Scores[0] // plan 2024, Mar-Nov
	if s.Plan != "2024" || s.From != time.March {
		t.Fatalf("first score %s from %v", s.Plan, s.From)
	}
	checks := []struct {
		what      string
		got, want float64
	}{
		{"n", float64(s.YearToDate.N), 18}, {"MAE ytd", s.YearToDate.MAE, sum / 9},
		{"MAE last year", s.LastYear.MAE, 75 - 700.0/11}, {"Brier ytd", s.YearToDate.Brier, 0},
		{"Brier last year", s.LastYear.Brier, 0.5}, {"n last year", float64(s.LastYear.N), 18},
	}
	for _, c := range checks {
		if !near(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
		}
	}
	if s.YearToDate.Coverage != nil || s.LastYear.Coverage != nil || s.Forecast.Coverage == nil {
		t.Error("coverage: only the forecast has an interval")
	}
	if all := res.Scores[len(res.Scores)-1]; all.Plan != "" || all.From != time.January || all.YearToDate.N != 20 {
		t.Errorf("last score: plan %q from %v, %d months with a year to date", all.Plan, all.From, all.YearToDate.N)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// TestBacktestDeterministic: two backtests of the same lake give the same figures.
func TestBacktestDeterministic(t *testing.T) {
	f := backtestFixture(t)
	a, err := runBacktest(t, f, 2024)
	if err != nil {
		t.Fatal(err)
	}
	b, err := runBacktest(t, f, 2024)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("two backtests differ:\n%+v\n%+v", a, b)
	}
}

// TestBacktestRefused: a year not over at the lake's newest as-of date, a year without a
// decided case, and a lake without a run.
func TestBacktestRefused(t *testing.T) {
	f := backtestFixture(t)
	for _, year := range []int{2025, 2021} {
		if _, err := runBacktest(t, f, year); !errors.Is(err, ErrBacktestYear) {
			t.Errorf("%d: err = %v, want ErrBacktestYear", year, err)
		}
	}
	empty := csvFixture(t, backtestRows(), "2024")
	if _, err := runBacktest(t, empty, 2024); !errors.Is(err, ErrNoLake) {
		t.Errorf("no run: err = %v, want ErrNoLake", err)
	}
}

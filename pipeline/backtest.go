package pipeline

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"scorecard/pipeline/compute"
	"scorecard/pipeline/config"
	"scorecard/pipeline/engine"
	"scorecard/pipeline/lake"
	"scorecard/pipeline/period"
	"scorecard/pipeline/ruleset"

	"scorecard/rules"
)

// The backtest holds the forecast (forecast.go) to account: it replays it as of each month end
// of a past year over the published lake, with what was known on that day, and scores it
// against the year's final figures beside two naive forecasts.

// ErrBacktestYear marks a year that cannot be backtested (not over at the lake's newest as-of
// date, or without a decided case): bad usage. (Here, not in errors.go, which this change
// leaves alone.)
var ErrBacktestYear = errors.New("year cannot be backtested")

// BacktestMonth is one target's forecast as of one month end, beside the naive forecasts and
// what happened. Shares are in percent; a nil share has nothing to be computed from.
type BacktestMonth struct {
	Plan, TargetID string
	AsOf           time.Time
	MinPct         float64
	// The forecast as the run computes it on AsOf.
	Expected, Low, High, PMet *float64
	// YearToDate is naive forecast (a): the share within target of the year's decisions so
	// far; LastYear is (b): the previous year's final share of the same selection.
	YearToDate, LastYear *float64
	// YearToDateMet and LastYearMet: the naive share reaches min_pct (their p_met, 0 or 1).
	YearToDateMet, LastYearMet bool
	// Actual is the year's final share (nil: no case decided in the year), Met whether it
	// reached min_pct.
	Actual *float64
	Met    bool
}

// BacktestScore scores the forecasts of a plan (Plan "" for every plan) from the month end
// From on: each method over the months it gives a figure for.
type BacktestScore struct {
	Plan                           string
	From                           time.Month
	Forecast, YearToDate, LastYear Score
}

// Score is how close one method came. MAE is in percentage points; Coverage (the share of
// actuals inside the 80 % interval) is nil for a method without an interval; a naive
// forecast's Brier score takes p = 1 when its share reaches min_pct, else 0.
type Score struct {
	N        int
	MAE      float64
	Coverage *float64
	Brier    float64
}

// BacktestResult is the backtest of one year.
type BacktestResult struct {
	Year    int
	Months  []BacktestMonth // by plan, target and month end
	Scores  []BacktestScore // per plan, then all plans; from the end of Q1, then all months
	Targets int             // targets scored: those with a decided case in the year
	Skipped []string        // plan/target without a decided case in the year: not scored
}

// Backtest replays the forecast of every target of the plans, applied to year (each plan's
// targets with its year moved there), as of each month end from January to November, over the
// published lake's cases, each time with only the cases submitted by then and the decisions
// made by then. The actual is the year's final figure; naive forecast (b) is the previous
// year's, the same targets applied to it.
func Backtest(ctx context.Context, cfg *config.Config, plans []*rules.Plan, cat *rules.Catalogue, year int) (*BacktestResult, error) {
	lk := lake.Lake{Dir: cfg.LakeDir()}
	if err := checkPublished(lk); err != nil {
		return nil, err
	}
	eng, closeEng, err := openQueryEngine(ctx, lk, cfg.DuckDB, ruleset.SQL, compute.SQL)
	if err != nil {
		return nil, err
	}
	defer closeEng()
	if err := checkBacktestYear(ctx, eng, year); err != nil {
		return nil, err
	}
	last, err := backtestFinal(ctx, eng, cat, plans, year-1)
	if err != nil {
		return nil, err
	}
	res := &BacktestResult{Year: year}
	if err := backtestYear(ctx, eng, cat, plans, year, last, res); err != nil {
		return nil, err
	}
	res.Scores = scoreBacktest(res.Months)
	return res, nil
}

// checkBacktestYear refuses a year that is not over at the lake's newest as-of date, or in
// which no case with a service target was decided.
func checkBacktestYear(ctx context.Context, e *engine.Engine, year int) error {
	var newest *time.Time
	var decided int64
	rows, err := engine.QueryFile(ctx, e, "backtest_year.sql", func(scan func(...any) error) (struct{}, error) {
		return struct{}{}, scan(&newest, &decided)
	}, year)
	switch {
	case err != nil:
		return err
	case len(rows) != 1 || newest == nil:
		return fmt.Errorf("%w: %d: the lake records no successful run", ErrBacktestYear, year)
	case newest.Before(period.Date(year, time.December, 31)):
		return fmt.Errorf("%w: %d is not over at the lake's newest as-of date %s", ErrBacktestYear,
			year, newest.Format(period.DateLayout))
	case decided == 0:
		return fmt.Errorf("%w: the lake has no case with a service target decided in %d", ErrBacktestYear, year)
	}
	return nil
}

// loadBacktestRules loads the plans applied to year, and the targets' selection.
func loadBacktestRules(ctx context.Context, e *engine.Engine, cat *rules.Catalogue, plans []*rules.Plan, year int) error {
	moved := make([]*rules.Plan, len(plans))
	for i, p := range plans {
		q := *p
		q.Year = year
		moved[i] = &q
	}
	if _, err := ruleset.Load(ctx, e, cat, moved, period.Date(year, time.December, 31), nil); err != nil {
		return err
	}
	return e.RunFile(ctx, "target_selection.sql")
}

// forecastAsOf forecasts every loaded target as known on asOf.
func forecastAsOf(ctx context.Context, e *engine.Engine, asOf time.Time) ([]compute.ForecastRow, error) {
	if err := e.SetVariable(ctx, "as_of", "DATE "+engine.Quote(asOf.Format(period.DateLayout))); err != nil {
		return nil, err
	}
	return compute.Forecast(ctx, e, asOf)
}

// backtestFinal is each target's final figure of year (the forecast of a year that is over),
// by plan and target.
func backtestFinal(ctx context.Context, e *engine.Engine, cat *rules.Catalogue, plans []*rules.Plan, year int) (map[[2]string]compute.ForecastRow, error) {
	if err := loadBacktestRules(ctx, e, cat, plans, year); err != nil {
		return nil, err
	}
	rows, err := forecastAsOf(ctx, e, period.Date(year, time.December, 31))
	if err != nil {
		return nil, err
	}
	out := make(map[[2]string]compute.ForecastRow, len(rows))
	for _, r := range rows {
		out[[2]string{r.Plan, r.TargetID}] = r
	}
	return out, nil
}

// backtestYear forecasts year as of each month end and sets each beside the naive forecasts
// and the year's final figure.
func backtestYear(ctx context.Context, e *engine.Engine, cat *rules.Catalogue, plans []*rules.Plan, year int,
	last map[[2]string]compute.ForecastRow, res *BacktestResult) error {
	final, err := backtestFinal(ctx, e, cat, plans, year)
	if err != nil {
		return err
	}
	byTarget := map[[2]string][]BacktestMonth{}
	var order [][2]string
	for m := time.January; m <= time.November; m++ {
		asOf := period.Date(year, m+1, 1).AddDate(0, 0, -1)
		rows, err := forecastAsOf(ctx, e, asOf)
		if err != nil {
			return err
		}
		for _, f := range rows {
			key := [2]string{f.Plan, f.TargetID}
			if m == time.January {
				order = append(order, key)
			}
			byTarget[key] = append(byTarget[key], backtestMonth(f, last[key], final[key]))
		}
	}
	for _, key := range order {
		if final[key].Decided == 0 {
			res.Skipped = append(res.Skipped, key[0]+"/"+key[1])
			continue
		}
		res.Targets++
		res.Months = append(res.Months, byTarget[key]...)
	}
	return nil
}

// backtestMonth sets a month end's forecast beside the naive ones and the final figure.
func backtestMonth(f, last, final compute.ForecastRow) BacktestMonth {
	m := BacktestMonth{Plan: f.Plan, TargetID: f.TargetID, AsOf: f.AsOf, MinPct: f.MinPct,
		Expected: f.Expected, Low: f.ExpectedLow, High: f.ExpectedHigh, PMet: f.PMet}
	m.YearToDate, m.YearToDateMet = shareOf(f.Within, f.Decided, f.MinPct)
	m.LastYear, m.LastYearMet = shareOf(last.Within, last.Decided, f.MinPct)
	m.Actual, m.Met = shareOf(final.Within, final.Decided, f.MinPct)
	return m
}

// shareOf is within/decided in percent (nil when nothing was decided) and whether it reaches
// minPct, in the scorecard's integer arithmetic.
func shareOf(within, decided int64, minPct float64) (*float64, bool) {
	if decided <= 0 {
		return nil, false
	}
	return new(100 * float64(within) / float64(decided)), within*10000 >= int64(math.Round(minPct*100))*decided
}

// scoreBacktest scores per plan, then over every plan, from the end of Q1 and over all months.
func scoreBacktest(months []BacktestMonth) []BacktestScore {
	var plans []string
	seen := map[string]bool{}
	for _, m := range months {
		if !seen[m.Plan] {
			seen[m.Plan] = true
			plans = append(plans, m.Plan)
		}
	}
	var out []BacktestScore
	for _, plan := range append(plans, "") {
		for _, from := range []time.Month{time.March, time.January} {
			out = append(out, scoreMonths(months, plan, from))
		}
	}
	return out
}

// scoreMonths scores the months of a plan ("" every plan) from the month end from on.
func scoreMonths(months []BacktestMonth, plan string, from time.Month) BacktestScore {
	s := BacktestScore{Plan: plan, From: from}
	var fc, ytd, ly scoring
	for _, m := range months {
		if (plan != "" && m.Plan != plan) || m.AsOf.Month() < from || m.Actual == nil {
			continue
		}
		if m.Expected != nil && m.PMet != nil {
			fc.add(*m.Expected, *m.PMet, *m.Actual, m.Met)
			fc.cover(*m.Low <= *m.Actual+1e-9 && *m.Actual <= *m.High+1e-9)
		}
		if m.YearToDate != nil {
			ytd.add(*m.YearToDate, b2f(m.YearToDateMet), *m.Actual, m.Met)
		}
		if m.LastYear != nil {
			ly.add(*m.LastYear, b2f(m.LastYearMet), *m.Actual, m.Met)
		}
	}
	s.Forecast, s.YearToDate, s.LastYear = fc.score(), ytd.score(), ly.score()
	return s
}

// scoring sums one method's errors.
type scoring struct {
	n, covered    int
	absErr, brier float64
	interval      bool
}

func (s *scoring) add(pct, pMet, actual float64, met bool) {
	s.n++
	s.absErr += math.Abs(pct - actual)
	d := pMet - b2f(met)
	s.brier += d * d
}

func (s *scoring) cover(in bool) {
	s.interval = true
	if in {
		s.covered++
	}
}

func (s *scoring) score() Score {
	if s.n == 0 {
		return Score{}
	}
	out := Score{N: s.n, MAE: s.absErr / float64(s.n), Brier: s.brier / float64(s.n)}
	if s.interval {
		out.Coverage = new(float64(s.covered) / float64(s.n))
	}
	return out
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

package outputs

import (
	"time"

	"scorecard/rules"
)

// Forecast is one target's expected year-end fulfilment as of the run's as-of date: a row of
// the forecast view (SPEC §8). Nullable figures are pointers; shares are 0–100, PMet 0–1.
type Forecast struct {
	Plan, TargetID                               string
	AsOf, YearStart, YearEnd                     time.Time // dates (UTC midnight)
	MinPct                                       float64
	Decided, WithinTarget, Backlog, BacklogLate  int64
	BestCasePct, WorstCasePct                    *float64
	ExpectedDecided                              float64 // decisions expected after AsOf this year
	NeededPct                                    *float64
	ExpectedPct, ExpectedPctLow, ExpectedPctHigh *float64 // the year-end share and its 80 % interval
	PMet, ExpectedPoints                         *float64
	MaxPoints                                    float64
}

// Finished says the forecast's year is over: its figures are the year's final ones.
func (f *Forecast) Finished() bool { return !f.AsOf.Before(f.YearEnd) }

// AtRiskCase is one open case that decides the rest of the year: a row of the at_risk view
// (SPEC §8). A case a plan's targets share is listed once for each of them.
type AtRiskCase struct {
	Plan, TargetID, CaseID, Source string
	SubmittedDate, Deadline        time.Time // dates (UTC midnight)
	DaysLeft, AgeDays              int64     // DaysLeft < 0: the deadline has passed
	AsOf                           time.Time
}

// planForecast is a plan's "Forventet målopfyldelse" part, as the workbook and the HTML
// report show it: each target's forecast and at-risk cases, in the plan's table order, and
// the points the plan can expect.
type planForecast struct {
	Finished      bool // the year is over: the figures are final
	AsOf, YearEnd time.Time
	Targets       []targetForecast
	// Expected is the sum of the targets' expected points; Low and High the sums of the points
	// each earns at the low and at the high end of its 80 % interval, widened where needed to
	// hold Expected (a target's expected points also weigh the 10 % beyond either end).
	Expected, Low, High, Max float64
}

// targetForecast is one target of the part; Forecast is nil when the lake has no forecast
// row for it.
type targetForecast struct {
	ReqID          string
	AreaLabel      string
	AreaMax        float64 // the points of the target's area
	Layout         targetLayout
	Forecast       *Forecast
	AtRisk, Late   int64 // open cases at risk, and those of them past their deadline
	LowPoints      float64
	HighPoints     float64
	ExpectedPoints float64
}

// newPlanForecast gathers a plan's part from the report; nil when no target of the plan has
// a forecast row (its year has not begun, or the lake predates forecasts).
func newPlanForecast(r *Report, pl *planLayout) *planForecast {
	rows := map[string]*Forecast{}
	for i := range r.Forecast {
		if f := &r.Forecast[i]; f.Plan == pl.Plan.ID {
			rows[f.TargetID] = f
		}
	}
	if len(rows) == 0 {
		return nil
	}
	risk, late := atRiskCounts(r.AtRisk, pl.Plan.ID)
	pf := &planForecast{}
	for _, req := range pl.Reqs {
		for _, a := range req.Areas {
			for _, t := range a.Targets {
				tf := targetForecast{ReqID: req.Req.ID, AreaLabel: a.Label, AreaMax: a.MaxPoints, Layout: t, Forecast: rows[t.Target.ID],
					AtRisk: risk[t.Target.ID], Late: late[t.Target.ID]}
				pf.add(&tf)
				pf.Targets = append(pf.Targets, tf)
			}
		}
	}
	pf.Low, pf.High = min(pf.Low, pf.Expected), max(pf.High, pf.Expected)
	return pf
}

// newArea says whether the i'th target begins an area of the table.
func (pf *planForecast) newArea(i int) bool {
	if i == 0 {
		return true
	}
	a, b := &pf.Targets[i-1], &pf.Targets[i]
	return a.ReqID != b.ReqID || a.AreaLabel != b.AreaLabel
}

// add counts a target into the plan's totals and its dates into the part's.
func (pf *planForecast) add(tf *targetForecast) {
	pf.Max += tf.Layout.Target.Points
	f := tf.Forecast
	if f == nil {
		return
	}
	pf.AsOf, pf.YearEnd, pf.Finished = f.AsOf, f.YearEnd, f.Finished()
	if f.ExpectedPoints != nil {
		tf.ExpectedPoints = *f.ExpectedPoints
	}
	tf.LowPoints, tf.HighPoints = tf.ExpectedPoints, tf.ExpectedPoints
	if !pf.Finished && f.ExpectedPctLow != nil && f.ExpectedPctHigh != nil {
		tf.LowPoints = pointsAt(tf.Layout.Target, *f.ExpectedPctLow)
		tf.HighPoints = pointsAt(tf.Layout.Target, *f.ExpectedPctHigh)
	}
	pf.Expected += tf.ExpectedPoints
	pf.Low += tf.LowPoints
	pf.High += tf.HighPoints
}

// atRiskCounts counts a plan's at-risk cases per target, and those past their deadline.
func atRiskCounts(cases []AtRiskCase, plan string) (all, late map[string]int64) {
	all, late = map[string]int64{}, map[string]int64{}
	for _, c := range cases {
		if c.Plan != plan {
			continue
		}
		all[c.TargetID]++
		if c.DaysLeft < 0 {
			late[c.TargetID]++
		}
	}
	return all, late
}

// pointsAt is what a target earns if its year ends at pct: all its points from min_pct up,
// else the share of the highest ladder step reached (scorecard.sql's rule, on a share).
func pointsAt(t *rules.Target, pct float64) float64 {
	const eps = 1e-9 // a share computed as 89.99999999 of a 90 target has reached it
	if pct+eps >= t.MinPct {
		return t.Points
	}
	best := 0.0
	for _, s := range t.Ladder {
		if pct+eps >= s.MinPct && s.Share > best {
			best = s.Share
		}
	}
	return t.Points * best
}

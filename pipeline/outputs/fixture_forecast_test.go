package outputs

import (
	"testing"
	"time"
)

// The fixture's forecast (SPEC §8) as of 2024-05-20: plan 2024's year runs, and its three
// targets are one uncertain, one secured and one out of reach; plan 2020's year is over, so
// its forecast is the year's final figure (and none for its Ph.d. target, which decided
// nothing). Today's counts are the year rows'.

// fixtureOutlook is a running target's forecast figures.
type fixtureOutlook struct {
	expected, low, high, pMet, needed, points, expectedDecided float64
}

var fixtureOutlooks = map[string]fixtureOutlook{
	"erhverv.fasttrack": {85.64, 82.17, 88.93, 0.58, 86.42, 11.6, 412.5},
	"erhverv.alle":      {83.2, 80.4, 85.9, 0.9972, -4.2, 19.944, 1210},
	"eu.1":              {61.05, 55.3, 66.8, 0.0021, 131.04, 0.042, 96.25},
}

func fixtureForecasts(r *Report) []Forecast {
	var out []Forecast
	for _, p := range r.Plans {
		for _, ref := range p.Targets() {
			year := yearRow(r, p.ID, ref.Target.ID)
			f := Forecast{
				Plan: p.ID, TargetID: ref.Target.ID, AsOf: fixtureAsOf, YearStart: day(p.Year, 1, 1),
				YearEnd: day(p.Year, 12, 31), MinPct: ref.Target.MinPct, Decided: year.Decided,
				WithinTarget: year.WithinTarget, Backlog: year.Pending, BacklogLate: year.PendingBreached,
				MaxPoints: ref.Target.Points,
			}
			if o, ok := fixtureOutlooks[ref.Target.ID]; ok && p.ID == "2024" {
				f.ExpectedPct, f.ExpectedPctLow, f.ExpectedPctHigh = &o.expected, &o.low, &o.high
				f.PMet, f.NeededPct, f.ExpectedPoints, f.ExpectedDecided = &o.pMet, &o.needed, &o.points, o.expectedDecided
			} else if f.Finished() && year.PctWithinTarget != nil {
				met := map[bool]float64{true: 1, false: 0}[*year.Met]
				f.ExpectedPct, f.ExpectedPctLow, f.ExpectedPctHigh = year.PctWithinTarget, year.PctWithinTarget, year.PctWithinTarget
				f.PMet, f.ExpectedPoints = &met, year.Points
			}
			out = append(out, f)
		}
	}
	return out
}

func yearRow(r *Report, plan, target string) *Row {
	for i := range r.Rows {
		if row := &r.Rows[i]; row.Plan == plan && row.TargetID == target && periodKind(row.Period) == "year" {
			return row
		}
	}
	panic("no year row for " + plan + " " + target)
}

// fixtureAtRisk are plan 2024's at-risk cases as of 2024-05-20, the most urgent first; a case
// id and a source begin with a character a spreadsheet would take for a formula.
func fixtureAtRisk() []AtRiskCase {
	c := func(target, id, source string, submitted time.Time, days int) AtRiskCase {
		deadline := submitted.AddDate(0, 0, days)
		return AtRiskCase{Plan: "2024", TargetID: target, CaseID: id, Source: source, SubmittedDate: submitted,
			Deadline: deadline, DaysLeft: int64(deadline.Sub(fixtureAsOf).Hours() / 24),
			AgeDays: int64(fixtureAsOf.Sub(submitted).Hours() / 24), AsOf: fixtureAsOf}
	}
	return []AtRiskCase{
		c("erhverv.alle", "=HYPERLINK(\"x\")", "export", day(2024, 4, 2), 31),
		c("erhverv.fasttrack", "=HYPERLINK(\"x\")", "export", day(2024, 4, 2), 31),
		c("eu.1", "EU-17", "legacy", day(2024, 5, 2), 1),
		c("erhverv.alle", "F-1001", "export", day(2024, 4, 18), 31),
		c("erhverv.fasttrack", "F-1001", "export", day(2024, 4, 18), 31),
		c("eu.1", "EU-18", "@legacy", day(2024, 5, 19), 1),
		c("erhverv.alle", "A-2002", "export", day(2024, 4, 24), 31),
	}
}

// runningReport is the fixture as of 30 September 2020, plan 2020 alone: its year runs, and
// its twelve targets each have a forecast, spread over the three outlooks.
func runningReport(t *testing.T) *Report {
	t.Helper()
	r := testReport(t)
	asOf := day(2020, 9, 30)
	r.Plans, r.AsOf, r.AtRisk = r.Plans[:1], asOf, nil
	r.Rows = planRows(r.Plans[0], asOf)
	r.Forecast = nil
	for i, ref := range r.Plans[0].Targets() {
		year := yearRow(r, "2020", ref.Target.ID)
		tg := ref.Target
		expected, low, high := tg.MinPct+float64(i%5)*1.5-3, tg.MinPct+float64(i%5)*1.5-7, min(100, tg.MinPct+float64(i%5)*1.5+1.5)
		pMet, needed, points := []float64{0.02, 0.31, 0.5, 0.86, 0.997}[i%5], tg.MinPct+4-float64(i%5)*2, tg.Points*[]float64{0.02, 0.31, 0.5, 0.86, 0.997}[i%5]
		f := Forecast{Plan: "2020", TargetID: tg.ID, AsOf: asOf, YearStart: day(2020, 1, 1), YearEnd: day(2020, 12, 31),
			MinPct: tg.MinPct, Decided: year.Decided, WithinTarget: year.WithinTarget, Backlog: year.Pending,
			BacklogLate: year.PendingBreached, MaxPoints: tg.Points, ExpectedDecided: 300,
			ExpectedPct: &expected, ExpectedPctLow: &low, ExpectedPctHigh: &high, PMet: &pMet, NeededPct: &needed, ExpectedPoints: &points}
		r.Forecast = append(r.Forecast, f)
		for k := 0; k < i%4; k++ {
			r.AtRisk = append(r.AtRisk, AtRiskCase{Plan: "2020", TargetID: tg.ID, CaseID: "C", DaysLeft: int64(k - 1)})
		}
	}
	return r
}

package compute

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sort"
	"time"

	"scorecard/pipeline/engine"
	"scorecard/pipeline/period"
	"scorecard/pipeline/ruleset"
)

// The forecast of a target's year-end share (SPEC §8; the method in plain words is in the
// README). forecast_inputs.sql counts, as known on the as-of date, what it is computed from;
// this file does the arithmetic, so that the backtest replays exactly what a run computes.

// z80 is the normal quantile of a central 80 % interval.
const z80 = 1.2815515655446004

// forecastInput is one row of forecast_inputs.sql.
type forecastInput struct {
	Plan, TargetID           string
	YearStart, YearEnd, Date time.Time // Date: the as-of date, or the year's end when it is over
	TargetDays               int
	MinPct, MaxPoints        float64
	Decided, Within          int64
	Backlog, BacklogLate     int64
	// SeasonBefore and SeasonAfter are, for each earlier year with data, its decisions up to
	// the same day of the year and after it.
	SeasonBefore, SeasonAfter []int64
	// RecentCases and RecentWithin: the cases submitted in the 90 days before the last date
	// whose outcome is known (more than target_days before Date); YearCases, YearWithin: in
	// the 365 days before it.
	RecentCases, RecentWithin, YearCases, YearWithin int64
	// Life and LifeRecent are the life tables of the last 365 and 91 days up to Date, by age
	// in days.
	Life, LifeRecent []lifeAge
	// Open is the open backlog on Date by age, late cases too.
	Open []openAge
	// Blocks are the cases whose outcome is known, by 91-day block of submission back from
	// the last such date (the latest first), over up to three years.
	Blocks []blockRate
	// Ladder is partial credit below min_pct, by threshold.
	Ladder []ladderStep
}

// lifeAge is one age of the life table: how many cases came under watch at it (their
// submission, or the start of the lake's coverage for a case submitted before it), were
// decided at it, or were still open at it on Date (and leave the watch).
type lifeAge struct{ Age, Entered, Decided, Left int64 }

type openAge struct{ Age, Cases int64 }

type blockRate struct{ Cases, Within int64 }

type ladderStep struct{ MinPct, Share float64 }

// ForecastRow is one row of the forecast table (views.sql).
type ForecastRow struct {
	Plan, TargetID                        string
	AsOf, YearStart, YearEnd              time.Time
	TargetDays                            int
	MinPct                                float64
	Decided, Within, Backlog, BacklogLate int64
	BestCase, WorstCase                   *float64
	ExpectedDecided                       float64
	Needed                                *float64
	Expected, ExpectedLow, ExpectedHigh   *float64
	PMet, ExpectedPoints                  *float64
	MaxPoints                             float64
	NoTargetDays                          bool // target_days NULL: a requirement's row (forecastKinds)
}

// forecastTarget forecasts one target's year-end share from what was known on in.Date.
func forecastTarget(in forecastInput, asOf time.Time) ForecastRow {
	out := ForecastRow{
		Plan: in.Plan, TargetID: in.TargetID, AsOf: asOf, YearStart: in.YearStart, YearEnd: in.YearEnd,
		TargetDays: in.TargetDays, MinPct: in.MinPct, Decided: in.Decided, Within: in.Within,
		Backlog: in.Backlog, BacklogLate: in.BacklogLate, MaxPoints: in.MaxPoints,
	}
	inTime := in.Backlog - in.BacklogLate
	if all := in.Decided + in.Backlog; all > 0 {
		out.BestCase = ptr(100 * float64(in.Within+inTime) / float64(all))
		out.WorstCase = ptr(100 * float64(in.Within) / float64(all))
	}
	if !asOf.Before(in.YearEnd) {
		// The year is over: the forecast is the year's figure.
		if in.Decided > 0 {
			pct := 100 * float64(in.Within) / float64(in.Decided)
			met := 0.0
			if in.Within*10000 >= int64(math.Round(in.MinPct*100))*in.Decided {
				met = 1
			}
			out.Expected, out.ExpectedLow, out.ExpectedHigh = ptr(pct), ptr(pct), ptr(pct)
			out.PMet = ptr(met)
			out.ExpectedPoints = ptr(in.MaxPoints * pointsShare(pct, met == 1, in.Ladder))
		}
		return out
	}
	volume, volumeSD := expectedVolume(in)
	rate, rateCases := recentRate(in)
	rest := restOfYear(in, volume, rate)
	if rest.cases > 0 {
		rateCases = rest.cases
	}
	out.ExpectedDecided = rest.decided
	if rest.decided > 0 {
		out.Needed = ptr(100 * (in.MinPct/100*(float64(in.Decided)+rest.decided) - float64(in.Within)) / rest.decided)
	}
	total := float64(in.Decided) + rest.decided
	if total <= 0 {
		return out
	}
	expected := (float64(in.Within) + rest.within) / total
	// The uncertainty: each remaining decision is in time or not by chance; the in-target rate
	// of all of them may move together, as it has moved in the target's history (and as the
	// rate it was learned from is itself uncertain); and more or fewer decisions than
	// expected move the share towards the rate of the extra ones.
	// (For its uncertainty, the rate counts as if two more cases in time and two late had
	// been seen: a rate of 100 % learned from three cases is not certain.)
	learned := (rest.newRate*rateCases + 2) / (rateCases + 4)
	level := levelVar(in.Blocks) + learned*(1-learned)/(rateCases+4)
	variance := rest.variance + level*rest.canMake*rest.canMake +
		volumeSD*volumeSD*(rest.newRate-expected)*(rest.newRate-expected)
	sd := 100 * math.Sqrt(variance) / total
	pct := 100 * expected
	out.Expected = ptr(pct)
	out.ExpectedLow = ptr(math.Max(0, pct-z80*sd))
	out.ExpectedHigh = ptr(math.Min(100, pct+z80*sd))
	out.PMet = ptr(probAtLeast(pct, sd, in.MinPct))
	out.ExpectedPoints = ptr(in.MaxPoints * expectedLadderShare(pct, sd, in.MinPct, in.Ladder))
	return out
}

// rest is what the forecast expects of the decisions from the day after Date to the year's
// end: how many, how many of them within target, how many of cases that can still make it,
// the variance of the within count case by case, and the in-target chance of a case not yet
// submitted that is decided this year.
type rest struct {
	decided, within, canMake, variance, newRate float64
	cases                                       float64 // the life table's cases (0: none)
}

// restOfYear expects the rest of the year's decisions. Each open case is decided this year,
// and within target, with the chances the life table gives a case still open at its age;
// the cases not yet submitted make up the rest of the expected volume, each within target with
// the chance that a case decided in the days left was (a case submitted late in the year is
// only decided this year when it is quick). Without a life table, the open cases are decided
// as far as the volume allows, at the recent rate, like the cases to come.
func restOfYear(in forecastInput, volume, rate float64) rest {
	days := int(math.Round(in.YearEnd.Sub(in.Date).Hours() / 24))
	life, ok := newLifeTable(in.Life, in.LifeRecent)
	r := rest{newRate: rate, cases: life.cases}
	share := 1.0
	if in.Backlog > 0 && volume < float64(in.Backlog) {
		share = volume / float64(in.Backlog)
	}
	for _, o := range in.Open {
		decided, within := share, share*rate
		if o.Age >= int64(in.TargetDays) {
			within = 0
		}
		if ok {
			decided, within = life.backlogOdds(int(o.Age), in.TargetDays, days)
		}
		n := float64(o.Cases)
		r.decided += n * decided
		r.within += n * within
		r.variance += n * within * (1 - within)
		if o.Age < int64(in.TargetDays) {
			r.canMake += n * decided
		}
	}
	if ok {
		if q, ok := life.newCaseRate(in.TargetDays, days); ok {
			r.newRate = q
		}
	}
	newCases := math.Max(volume-r.decided, 0)
	r.decided += newCases
	r.within += newCases * r.newRate
	r.variance += newCases * r.newRate * (1 - r.newRate)
	r.canMake += newCases
	return r
}

// defaultLevelVar is the variance of the in-target rate's moves when the target's history is
// too short to learn it from (fewer than three quarters of cases whose outcome is known):
// 3 points, a judgement, not learned.
const defaultLevelVar = 0.03 * 0.03

// levelVar is the variance of a quarter's in-target rate around its level, beyond what chance
// explains, from the target's blocks of cases (the latest first): half the mean square of
// the change from one quarter to the next (the change is the difference of two quarters that
// each stray), less the part chance gives it. It is how much the rate has moved in the
// target's own history; with fewer than two changes to learn from, defaultLevelVar.
func levelVar(blocks []blockRate) float64 {
	var sum, chance float64
	n := 0
	for b := 0; b+1 < len(blocks); b++ {
		this, prev := blocks[b], blocks[b+1]
		if this.Cases == 0 || prev.Cases == 0 {
			continue
		}
		p := float64(this.Within) / float64(this.Cases)
		q := float64(prev.Within) / float64(prev.Cases)
		pooled := float64(this.Within+prev.Within) / float64(this.Cases+prev.Cases)
		sum += (p - q) * (p - q)
		chance += pooled * (1 - pooled) * (1/float64(this.Cases) + 1/float64(prev.Cases))
		n++
	}
	if n < 2 {
		return defaultLevelVar
	}
	return math.Max(sum-chance, 0) / float64(n) / 2
}

// expectedLadderShare is the expected share of a target's points when its year-end share is
// normal around pct with sd: 1 from min_pct up, a ladder step's share from its threshold up to
// the next, 0 below the lowest.
func expectedLadderShare(pct, sd, minPct float64, ladder []ladderStep) float64 {
	steps := append(sortedLadder(ladder), ladderStep{MinPct: minPct, Share: 1})
	sort.SliceStable(steps, func(i, j int) bool { return steps[i].MinPct < steps[j].MinPct })
	share, prev := 0.0, 0.0
	for _, s := range steps {
		if s.Share <= prev {
			continue
		}
		share += (s.Share - prev) * probAtLeast(pct, sd, s.MinPct)
		prev = s.Share
	}
	return share
}

// pointsShare is the share of a target's points a final figure earns (scorecard.sql's rule).
func pointsShare(pct float64, met bool, ladder []ladderStep) float64 {
	if met {
		return 1
	}
	best := 0.0
	for _, s := range ladder {
		if pct >= s.MinPct && s.Share > best {
			best = s.Share
		}
	}
	return best
}

func sortedLadder(ladder []ladderStep) []ladderStep {
	out := append([]ladderStep(nil), ladder...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].MinPct < out[j].MinPct })
	return out
}

// expectedVolume is the decisions expected from the day after Date to the year's end, and its
// standard deviation. With earlier years, this year's decisions so far scaled by their season
// (the decisions after the same day over those before it); without, the run rate of the year so
// far carried to its end; with no decision yet, the open backlog.
func expectedVolume(in forecastInput) (mean, sd float64) {
	elapsed := in.Date.Sub(in.YearStart).Hours()/24 + 1
	remaining := in.YearEnd.Sub(in.Date).Hours() / 24
	var before, after float64
	var ratios []float64
	for i := range in.SeasonBefore {
		if in.SeasonBefore[i] > 0 {
			before += float64(in.SeasonBefore[i])
			after += float64(in.SeasonAfter[i])
			ratios = append(ratios, float64(in.SeasonAfter[i])/float64(in.SeasonBefore[i]))
		}
	}
	decided := float64(in.Decided)
	switch {
	case before > 0 && in.Decided > 0:
		ratio := after / before
		mean = decided * ratio
		spread := 0.25 * ratio // one year of history says little about the next
		if len(ratios) > 1 {
			spread = math.Max(stddev(ratios), 0.05*ratio)
		}
		return mean, math.Sqrt(mean + decided*decided*spread*spread)
	case in.Decided > 0:
		mean = decided * remaining / elapsed
		return mean, math.Sqrt(mean + 0.25*0.25*mean*mean)
	default:
		mean = float64(in.Backlog)
		return mean, math.Sqrt(mean)
	}
}

// recentRate is the in-target rate of cases not yet decided: that of the cases of the last 90
// days whose outcome is known, or of the last year when those are fewer than 20, or of the year
// to date, with the cases it rests on (as a weight for its uncertainty).
func recentRate(in forecastInput) (rate, cases float64) {
	switch {
	case in.RecentCases >= 20:
		return float64(in.RecentWithin) / float64(in.RecentCases), float64(in.RecentCases)
	case in.YearCases > 0:
		return float64(in.YearWithin) / float64(in.YearCases), float64(in.YearCases)
	case in.Decided > 0:
		return float64(in.Within) / float64(in.Decided), float64(in.Decided)
	}
	return in.MinPct / 100, 0
}

// probAtLeast is the chance that a normal share around pct with sd reaches threshold.
func probAtLeast(pct, sd, threshold float64) float64 {
	if sd <= 0 {
		if pct >= threshold {
			return 1
		}
		return 0
	}
	return 0.5 * math.Erfc((threshold-pct)/(sd*math.Sqrt2))
}

func stddev(xs []float64) float64 {
	var mean float64
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	var ss float64
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return math.Sqrt(ss / float64(len(xs)-1))
}

func ptr(v float64) *float64 { return &v }

// computeForecast forecasts every target whose plan year has begun by the as-of date, and every
// requirement of the other kinds that have one (forecastKinds), into the table forecast, which
// the run writes to the lake.
func (r *run) computeForecast(ctx context.Context) error {
	rows, err := Forecast(ctx, r.Eng, r.Opts.AsOf)
	if err != nil {
		return err
	}
	kinds, err := r.forecastKinds(ctx)
	if err != nil {
		return err
	}
	return storeForecast(ctx, r.Eng, append(rows, kinds...), r.ID)
}

// Forecast reads the inputs as of a date and forecasts each target.
func Forecast(ctx context.Context, e *engine.Engine, asOf time.Time) ([]ForecastRow, error) {
	inputs, err := engine.QueryFile(ctx, e, "forecast_inputs.sql", scanForecastInput)
	if err != nil {
		return nil, err
	}
	out := make([]ForecastRow, len(inputs))
	for i, in := range inputs {
		out[i] = forecastTarget(in, asOf)
	}
	return out, nil
}

func scanForecastInput(scan func(...any) error) (forecastInput, error) {
	var in forecastInput
	var before, after, life, recent, open, blocks, ladder any
	err := scan(&in.Plan, &in.TargetID, &in.YearStart, &in.YearEnd, &in.Date, &in.TargetDays, &in.MinPct,
		&in.MaxPoints, &in.Decided, &in.Within, &in.Backlog, &in.BacklogLate, &before, &after,
		&in.RecentCases, &in.RecentWithin, &in.YearCases, &in.YearWithin,
		&life, &recent, &open, &blocks, &ladder)
	if err != nil {
		return in, err
	}
	in.SeasonBefore, in.SeasonAfter = int64List(before), int64List(after)
	in.Life, in.LifeRecent = lifeAges(life), lifeAges(recent)
	for _, v := range anyList(open) {
		m, _ := v.(map[string]any)
		in.Open = append(in.Open, openAge{Age: toInt64(m["age"]), Cases: toInt64(m["cases"])})
	}
	// Blocks come as they have cases: place each at its number back from the latest.
	for _, v := range anyList(blocks) {
		m, _ := v.(map[string]any)
		b := int(toInt64(m["block"]))
		for len(in.Blocks) <= b {
			in.Blocks = append(in.Blocks, blockRate{})
		}
		in.Blocks[b] = blockRate{Cases: toInt64(m["cases"]), Within: toInt64(m["within"])}
	}
	for _, s := range anyList(ladder) {
		m, ok := s.(map[string]any)
		if !ok {
			return in, fmt.Errorf("forecast inputs: ladder of %s/%s: %T", in.Plan, in.TargetID, s)
		}
		in.Ladder = append(in.Ladder, ladderStep{MinPct: toFloat(m["min_pct"]), Share: toFloat(m["share"])})
	}
	return in, nil
}

func lifeAges(v any) []lifeAge {
	var out []lifeAge
	for _, x := range anyList(v) {
		m, _ := x.(map[string]any)
		out = append(out, lifeAge{Age: toInt64(m["age"]), Entered: toInt64(m["entered"]),
			Decided: toInt64(m["decided"]), Left: toInt64(m["left"])})
	}
	return out
}

func anyList(v any) []any {
	l, _ := v.([]any)
	return l
}

// int64List reads a DuckDB list of integers.
func int64List(v any) []int64 {
	var out []int64
	for _, x := range anyList(v) {
		out = append(out, toInt64(x))
	}
	return out
}

func toInt64(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int32:
		return int64(x)
	case float64:
		return int64(x)
	}
	return 0
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int64:
		return float64(x)
	}
	return 0
}

// storeForecast fills the temp table forecast with the rows, for out_forecast.sql.
func storeForecast(ctx context.Context, e *engine.Engine, rows []ForecastRow, runID string) error {
	if err := e.RunFile(ctx, "forecast_table.sql"); err != nil {
		return err
	}
	values := make([][]any, len(rows))
	for i, f := range rows {
		var targetDays any = f.TargetDays
		if f.NoTargetDays {
			targetDays = nil
		}
		values[i] = []any{f.Plan, f.TargetID, f.AsOf.Format(period.DateLayout), f.YearStart.Format(period.DateLayout),
			f.YearEnd.Format(period.DateLayout), targetDays, f.MinPct, f.Decided, f.Within, f.Backlog,
			f.BacklogLate, f.Backlog - f.BacklogLate, nullable(f.BestCase), nullable(f.WorstCase),
			f.ExpectedDecided, nullable(f.Needed), nullable(f.Expected), nullable(f.ExpectedLow),
			nullable(f.ExpectedHigh), nullable(f.PMet), nullable(f.ExpectedPoints), f.MaxPoints, runID}
	}
	return ruleset.InsertRows(ctx, e, "forecast", "(?, ?, ?::DATE, ?::DATE, ?::DATE, "+
		"?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values)
}

func nullable(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// The forecast of the requirements of the other kinds (SPEC §9), as rows of the same table with
// target_id the requirement's id and target_days NULL (which tells them from the targets'
// rows). forecast_kinds.sql measures them as requirements.sql does;
// forecastWait and forecastMilestones carry them to the year's end:
//   - appointment_wait: the weekdays are its decisions. decided = the year's weekdays up to the
//     as-of date (one without a snapshot counts, not met), within_target = those met, no
//     backlog; expected_decided = the plan calendar's weekdays left after the as-of date. Each
//     of them is met with the year-to-date share p, independently: the met days to come are
//     binomial(remaining, p). expected_pct is then the year-to-date share; the 80 % interval
//     the year's share at the binomial's 10 % and 90 % quantiles; p_met the binomial's chance
//     of at least the met days min_pct needs (met_days × 100 ≥ min_pct × weekdays, as
//     requirements.sql decides); expected_points = weight × p_met, as a case target without
//     a ladder expects its points. No weekday yet: no expectation (NULL).
//   - milestones: the items are its decisions: decided = those done, within_target = those
//     done on time, backlog = those not done, backlog_late = those overdue; expected_decided =
//     the items not done; min_pct 100. Met while no item is done late or overdue: expected_pct
//     100, else the share done on time; p_met 1 or 0 (low = high = expected_pct);
//     expected_points the weight when met, else the ladder's share of it, else 0.
//   - kpi: its newest value (the year's when reported) against the threshold: p_met 1 or 0,
//     NULL without a value; expected_points = weight × p_met. No counts (0) and no shares
//     (NULL); min_pct holds the threshold, in the KPI's unit.
//   - assessment and manual: no forecast row: their points come from scores or an agreement
//     entered once, with no year to date to carry forward.
// A year that is over has its actual figures: p_met 0 or 1, expected_points the points awarded.

// kindInput is one row of forecast_kinds.sql.
type kindInput struct {
	Plan, RequirementID, Kind          string
	Weekdays, MetDays                  int64
	Items, OnTime, DoneLate, Open, Due int64 // Due: the items overdue
	LadderShare                        float64
	KPIValue                           *float64
	KPIMet                             *bool
}

// forecastKinds forecasts every appointment_wait, milestones and kpi requirement whose plan's
// year has begun by the as-of date.
func (r *run) forecastKinds(ctx context.Context) ([]ForecastRow, error) {
	inputs, err := engine.QueryFile(ctx, r.Eng, "forecast_kinds.sql", func(scan func(...any) error) (kindInput, error) {
		var in kindInput
		var value sql.NullFloat64
		var met sql.NullBool
		err := scan(&in.Plan, &in.RequirementID, &in.Kind, &in.Weekdays, &in.MetDays, &in.Items, &in.OnTime,
			&in.DoneLate, &in.Open, &in.Due, &in.LadderShare, &value, &met)
		if value.Valid {
			in.KPIValue = &value.Float64
		}
		if met.Valid {
			in.KPIMet = &met.Bool
		}
		return in, err
	})
	if err != nil {
		return nil, err
	}
	byReq := make(map[[2]string]kindInput, len(inputs))
	for _, in := range inputs {
		byReq[[2]string{in.Plan, in.RequirementID}] = in
	}
	asOf := r.Opts.AsOf
	var out []ForecastRow
	for _, p := range r.Opts.Plans {
		yearStart := period.Date(p.Year, time.January, 1)
		yearEnd := period.Date(p.Year, time.December, 31)
		if asOf.Before(yearStart) {
			continue
		}
		for i := range p.Requirements {
			req := &p.Requirements[i]
			if req.Wait == nil && req.Milestones == nil && req.KPI == nil {
				continue
			}
			in := byReq[[2]string{p.ID, req.ID}]
			in.Plan, in.RequirementID = p.ID, req.ID
			row := ForecastRow{Plan: p.ID, TargetID: req.ID, AsOf: asOf, YearStart: yearStart, YearEnd: yearEnd,
				MaxPoints: req.Weight, NoTargetDays: true}
			switch {
			case req.Wait != nil:
				remaining := 0
				if asOf.Before(yearEnd) {
					cal, err := r.Opts.Config.Calendar(req.Wait.Calendar)
					if err != nil {
						return nil, fmt.Errorf("plan %s requirement %s: %w", p.ID, req.ID, err)
					}
					remaining = cal.CountWeekdays(asOf.AddDate(0, 0, 1), yearEnd)
				}
				forecastWait(&row, in, req.Wait.MinPct, req.Wait.MinPctHundredths(), remaining)
			case req.Milestones != nil:
				forecastMilestones(&row, in, !asOf.Before(yearEnd))
			default:
				row.MinPct = req.KPI.Threshold
				if in.KPIMet != nil {
					met := 0.0
					if *in.KPIMet {
						met = 1
					}
					row.PMet, row.ExpectedPoints = ptr(met), ptr(met*req.Weight)
				}
			}
			out = append(out, row)
		}
	}
	return out, nil
}

// forecastWait fills an appointment_wait requirement's row (see above): remaining is the
// weekdays after the as-of date to the year's end, 0 once it is over.
func forecastWait(row *ForecastRow, in kindInput, minPct float64, minBP int64, remaining int) {
	row.MinPct = minPct
	row.Decided, row.Within = in.Weekdays, in.MetDays
	if in.Weekdays > 0 {
		share := 100 * float64(in.MetDays) / float64(in.Weekdays)
		row.BestCase, row.WorstCase = ptr(share), ptr(share)
	}
	row.ExpectedDecided = float64(remaining)
	if remaining > 0 {
		row.Needed = ptr(100 * (minPct/100*float64(in.Weekdays+int64(remaining)) - float64(in.MetDays)) / float64(remaining))
	}
	if in.Weekdays == 0 {
		return
	}
	n := in.Weekdays + int64(remaining)
	p := float64(in.MetDays) / float64(in.Weekdays)
	pmf := binomialPMF(remaining, p)
	share := func(x int) float64 { return 100 * float64(in.MetDays+int64(x)) / float64(n) }
	row.Expected = ptr(100 * p)
	row.ExpectedLow, row.ExpectedHigh = ptr(share(quantile(pmf, 0.1))), ptr(share(quantile(pmf, 0.9)))
	// The met days to come that the year needs: the least x with
	// (met_days + x) × 10000 ≥ min_bp × weekdays.
	need := minBP*n - in.MetDays*10000
	k := int64(0)
	if need > 0 {
		k = (need + 9999) / 10000
	}
	pMet := 0.0
	for x := k; x <= int64(remaining); x++ {
		pMet += pmf[x]
	}
	pMet = math.Min(pMet, 1)
	row.PMet = ptr(pMet)
	row.ExpectedPoints = ptr(row.MaxPoints * pMet)
}

// forecastMilestones fills a milestones requirement's row (see above).
func forecastMilestones(row *ForecastRow, in kindInput, over bool) {
	row.MinPct = 100
	row.Decided, row.Within = in.OnTime+in.DoneLate, in.OnTime
	row.Backlog, row.BacklogLate = in.Open+in.Due, in.Due
	if in.Items > 0 {
		row.BestCase = ptr(100 * float64(in.OnTime+in.Open) / float64(in.Items))
		row.WorstCase = ptr(100 * float64(in.OnTime) / float64(in.Items))
	}
	if !over {
		row.ExpectedDecided = float64(row.Backlog)
	}
	if row.ExpectedDecided > 0 {
		row.Needed = ptr(100 * (float64(in.Items) - float64(in.OnTime)) / row.ExpectedDecided)
	}
	expected, met := 100.0, in.DoneLate == 0 && in.Due == 0
	if over {
		met = in.OnTime == in.Items
	}
	if !met && in.Items > 0 {
		expected = 100 * float64(in.OnTime) / float64(in.Items)
	}
	row.Expected, row.ExpectedLow, row.ExpectedHigh = ptr(expected), ptr(expected), ptr(expected)
	if met {
		row.PMet, row.ExpectedPoints = ptr(1), ptr(row.MaxPoints)
		return
	}
	row.PMet, row.ExpectedPoints = ptr(0), ptr(row.MaxPoints*in.LadderShare)
}

// binomialPMF is the binomial distribution of n trials with chance p, by successes.
func binomialPMF(n int, p float64) []float64 {
	pmf := make([]float64, n+1)
	switch {
	case p <= 0:
		pmf[0] = 1
	case p >= 1:
		pmf[n] = 1
	default:
		lgN, _ := math.Lgamma(float64(n + 1))
		for x := 0; x <= n; x++ {
			lgX, _ := math.Lgamma(float64(x + 1))
			lgR, _ := math.Lgamma(float64(n - x + 1))
			pmf[x] = math.Exp(lgN - lgX - lgR + float64(x)*math.Log(p) + float64(n-x)*math.Log1p(-p))
		}
	}
	return pmf
}

// quantile is the least x whose cumulative chance reaches q (a hair's tolerance for rounding).
func quantile(pmf []float64, q float64) int {
	cum := 0.0
	for x, v := range pmf {
		cum += v
		if cum >= q-1e-12 {
			return x
		}
	}
	return len(pmf) - 1
}

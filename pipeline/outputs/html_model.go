package outputs

import (
	"fmt"
	"strconv"
	"time"
)

// htmlDoc is what report.html renders: display strings prepared here, so the
// template only places them.
type htmlDoc struct {
	AsOf, AsOfISO, RunID, ComputedAt string
	Plans                            []htmlPlan
}

// htmlPlan is one plan's page: the headline and its targets.
type htmlPlan struct {
	ID, Title, YearLabel     string
	Earned, Max, EarnedShare string // EarnedShare is a CSS width, "66.7%"
	Met, Missed, NoData      int
	Areas                    []htmlArea
	Forecast                 *htmlForecast // nil: the plan's year has no forecast
	Contract                 htmlContract  // the whole contract, which the page opens with
}

type htmlArea struct {
	Label, Max, Earned string
	Targets            []htmlTarget
}

// htmlTarget is one target's section: status, chart, backlog and table.
type htmlTarget struct {
	ID, ReqID, Label, Goal, Rule   string // Goal "90 % inden for 31 dage", Rule with "afgjort"
	Status, StatusText, Mark       string // Status: met, missed or none (a CSS class)
	YearPct, Points, MaxPoints     string
	YearInterval                   string // "64,1–93,4": the year's share's 95 % interval, or ""
	Pending, Breached, BacklogDate string // BacklogDate: the date the backlog is counted at
	Partial                        string // the footnote for periods not yet over
	HasBreached                    bool
	Chart                          chart
	Periods                        []htmlPeriod
}

// htmlPeriod is one period's column of a target's table; the Data fields are
// the displayed figures in machine form for the data-* attributes.
type htmlPeriod struct {
	Name, Label, Short, Status, Mark  string
	Divider                           bool // the first quarter or month after another kind
	Decided, Within, Pct, Met, Points string
	Interval                          string // the share's 95 % interval, "80,1–88,0", or ""
	Pending, Breached                 string
	DataPct, DataPoints, DataMet      string
	DataLow, DataHigh, DataExcluded   string
	DataDecided, DataWithin           int64
	share                             *float64 // for the chart
}

func newHTMLDoc(r *Report) htmlDoc {
	doc := htmlDoc{
		AsOf: danishDate(r.AsOf), AsOfISO: r.AsOf.Format(DateLayout),
		RunID: r.RunID, ComputedAt: formatInstant(r.ComputedAt),
	}
	contracts := contractLayouts(r) // in the plans' order, like layoutPlans
	for i, pl := range layoutPlans(r) {
		hp := newHTMLPlan(&pl)
		hp.Forecast = newHTMLForecast(r, &pl)
		hp.Contract = newHTMLContract(r, &contracts[i])
		doc.Plans = append(doc.Plans, hp)
	}
	return doc
}

func newHTMLPlan(pl *planLayout) htmlPlan {
	year := pl.yearPeriod()
	hp := htmlPlan{ID: pl.Plan.ID, Title: pl.Plan.Title, YearLabel: yearLabel(pl, year)}
	got, most := earned(pl.targets(), year), maxPoints(pl.targets())
	hp.Earned, hp.Max = danishDecimal(got, 2), danishDecimal(most, 2)
	if most > 0 {
		hp.EarnedShare = strconv.FormatFloat(100*got/most, 'f', 1, 64) + "%"
	}
	for _, req := range pl.Reqs {
		for _, a := range req.Areas {
			ha := htmlArea{Label: a.Label, Max: danishDecimal(a.MaxPoints, 2), Earned: danishDecimal(earned(a.Targets, year), 2)}
			for _, t := range a.Targets {
				ht := newHTMLTarget(pl, req.Req.ID, t, year)
				hp.count(ht.Status)
				ha.Targets = append(ha.Targets, ht)
			}
			hp.Areas = append(hp.Areas, ha)
		}
	}
	return hp
}

func (hp *htmlPlan) count(status string) {
	switch status {
	case "met":
		hp.Met++
	case "missed":
		hp.Missed++
	default:
		hp.NoData++
	}
}

// yearLabel says which part of the year the headline covers.
func yearLabel(pl *planLayout, year string) string {
	if year == "" {
		return fmt.Sprintf("%d (ingen tal endnu)", pl.Plan.Year)
	}
	if periodComplete(pl, year) {
		return "hele " + year
	}
	return fmt.Sprintf("%s til og med %s", year, danishDate(yearEnd(pl, year)))
}

// yearEnd is the last day the year's figures cover.
func yearEnd(pl *planLayout, year string) (end time.Time) {
	for _, t := range pl.targets() {
		if row := t.Rows[year]; row != nil {
			return row.PeriodEnd
		}
	}
	return end
}

func newHTMLTarget(pl *planLayout, reqID string, t targetLayout, year string) htmlTarget {
	tg := t.Target
	ht := htmlTarget{
		ID: tg.ID, ReqID: reqID, Label: tg.Label,
		Goal:      fmt.Sprintf("%s %% inden for %d %s", danishDecimal(tg.MinPct, 2), tg.TargetDays, dayWord(tg.TargetDays)),
		Rule:      fmt.Sprintf("%s %% afgjort inden for %d %s", danishDecimal(tg.MinPct, 2), tg.TargetDays, dayWord(tg.TargetDays)),
		MaxPoints: danishDecimal(tg.Points, 2),
	}
	ht.Status, ht.StatusText, ht.Mark = status(t.Rows[year])
	ht.YearPct, ht.Points = "–", "–"
	if row := t.Rows[year]; row != nil && row.PctWithinTarget != nil {
		ht.YearPct = danishPct(*row.PctWithinTarget)
	}
	if row := t.Rows[year]; row != nil && row.PctLow != nil && row.PctHigh != nil {
		ht.YearInterval = interval(*row.PctLow, *row.PctHigh)
	}
	if row := t.Rows[year]; row != nil && row.Points != nil {
		ht.Points = danishDecimal(*row.Points, 2)
	}
	if row := latest(t.Rows, year); row != nil {
		ht.Pending, ht.Breached, ht.BacklogDate = danishInt(row.Pending), danishInt(row.PendingBreached), danishDate(row.PeriodEnd)
		ht.HasBreached = row.PendingBreached > 0
	}
	ht.Periods, ht.Partial = htmlPeriods(pl.Periods, t.Rows)
	ht.Chart = newChart(tg.MinPct, ht.Periods)
	return ht
}

// htmlPeriods are a target's table columns in period order, and the
// footnote for the periods marked as not over.
func htmlPeriods(periods []string, rows map[string]*Row) (out []htmlPeriod, partial string) {
	for _, p := range periods {
		row := rows[p]
		if row == nil {
			continue
		}
		hp := newHTMLPeriod(row)
		hp.Divider = len(out) > 0 && periodKind(out[len(out)-1].Name) != periodKind(p)
		out = append(out, hp)
		if !row.PeriodComplete {
			partial = "* til og med " + danishDate(row.PeriodEnd) + ": perioden er ikke slut"
		}
	}
	return out, partial
}

// latest is the row counted at the latest period end: the year's row, whose
// end is the as-of date while the year runs, or else the last period's.
func latest(rows map[string]*Row, year string) *Row {
	if row := rows[year]; row != nil {
		return row
	}
	var last *Row
	for _, row := range rows {
		if last == nil || row.PeriodEnd.After(last.PeriodEnd) {
			last = row
		}
	}
	return last
}

// status is a row's met state as a CSS class, a word and a mark: colour
// alone must never carry the meaning.
func status(row *Row) (class, text, mark string) {
	switch {
	case row == nil || row.Met == nil:
		return "none", "Ingen afgjorte sager", "–"
	case *row.Met:
		return "met", "Opfyldt", markMet
	default:
		return "missed", "Ikke opfyldt", markMissed
	}
}

func newHTMLPeriod(row *Row) htmlPeriod {
	hp := htmlPeriod{
		Name: row.Period, Label: periodLabel(row.Period, row.PeriodComplete),
		Short:   shortPeriodLabel(row.Period),
		Decided: danishInt(row.Decided), Within: danishInt(row.WithinTarget),
		Pending: danishInt(row.Pending), Breached: danishInt(row.PendingBreached),
		DataDecided: row.Decided, DataWithin: row.WithinTarget,
		Pct: "–", Points: "–", share: row.PctWithinTarget,
	}
	hp.Status, hp.Met, hp.Mark = status(row)
	if !row.PeriodComplete {
		hp.Short += "*"
	}
	if row.Met != nil {
		hp.DataMet = strconv.FormatBool(*row.Met)
	}
	if row.PctWithinTarget != nil {
		hp.Pct = pctNumber(*row.PctWithinTarget)
		hp.DataPct = strconv.FormatFloat(truncPct(*row.PctWithinTarget), 'f', 1, 64)
	}
	if row.Points != nil {
		hp.Points = danishDecimal(*row.Points, 2)
		hp.DataPoints = plainDecimal(*row.Points, 2)
	}
	if row.PctLow != nil && row.PctHigh != nil {
		hp.Interval = interval(*row.PctLow, *row.PctHigh)
		hp.DataLow = strconv.FormatFloat(truncPct(*row.PctLow), 'f', 1, 64)
		hp.DataHigh = strconv.FormatFloat(ceilPct(*row.PctHigh), 'f', 1, 64)
	}
	if row.ExcludedPct != nil {
		hp.DataExcluded = strconv.FormatFloat(truncPct(*row.ExcludedPct), 'f', 1, 64)
	}
	return hp
}

// interval writes a share's 95 % interval widened to one decimal, the low end
// cut and the high end raised, so that it holds the computed one: "80,1–88,0".
func interval(low, high float64) string {
	return pctNumber(low) + "–" + pctCeilNumber(high)
}

func dayWord(n int) string {
	if n == 1 {
		return "dag"
	}
	return "dage"
}

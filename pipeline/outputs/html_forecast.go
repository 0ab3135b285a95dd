package outputs

import (
	"fmt"
	"math"
	"strconv"
)

// htmlForecast is a plan's "Forventet målopfyldelse" page: the points the plan can expect at
// the year's end, and per target today's share, the expected year-end share with its 80 %
// interval, the chance of meeting the target, the share the rest of the year needs and the
// open cases at risk. For a year that is over it shows the final figures.
type htmlForecast struct {
	PlanID, Year                    string
	Finished                        bool
	AsOf, YearEnd                   string
	Expected, Low, High, Max        string // points, in Danish form
	DataExpected, DataLow, DataHigh string // the same in machine form
	// The meter: the range's band from Low to High and the expected points' mark, as CSS
	// lengths of its width.
	BandLeft, BandWidth, Mark string
	// The targets by outlook (p_met), or for a year that is over by result; NoData: none decided.
	Likely, Uncertain, Unlikely, NoData int
	AtRiskDays                          int
	Areas                               []htmlForecastArea
}

type htmlForecastArea struct {
	Label, Max, Expected string
	Targets              []htmlForecastTarget
}

// htmlForecastTarget is one target's row of the page and its chart; the Data fields are the
// displayed figures in machine form for the data-* attributes.
type htmlForecastTarget struct {
	ID, Label, Goal                    string
	Status, StatusText, Mark           string // Status: likely, uncertain, unlikely, met, missed or none
	Today, Decided, Expected, Interval string
	PMet, Needed, NeededClass          string // NeededClass: secured or out when Needed is a word
	AtRisk, Late                       string
	Points, MaxPoints                  string
	DataToday, DataExpected, DataLow   string
	DataHigh, DataPMet, DataNeeded     string
	DataPoints                         string
	DataAtRisk, DataLate               int64
	Chart                              forecastChart
}

// The chance of meeting a target from which it is called likely met, and up to which likely
// missed.
const (
	likelyPMet   = 0.8
	unlikelyPMet = 0.2
)

// newHTMLForecast is a plan's forecast page; nil when its year has no forecast.
func newHTMLForecast(r *Report, pl *planLayout) *htmlForecast {
	pf := targetsForecast(r, pl)
	if pf == nil {
		return nil
	}
	hf := &htmlForecast{
		PlanID: pl.Plan.ID, Year: strconv.Itoa(pl.Plan.Year), Finished: pf.Finished,
		AsOf: danishDate(pf.AsOf), YearEnd: danishDate(pf.YearEnd), AtRiskDays: r.AtRiskDays,
		Expected: danishDecimal(pf.Expected, 1), Low: danishDecimal(pf.Low, 1), High: danishDecimal(pf.High, 1),
		Max:          danishDecimal(pf.Max, 2),
		DataExpected: plainDecimal(pf.Expected, 1), DataLow: plainDecimal(pf.Low, 1), DataHigh: plainDecimal(pf.High, 1),
	}
	if pf.Max > 0 {
		hf.BandLeft, hf.BandWidth = cssShare(pf.Low/pf.Max), cssShare((pf.High-pf.Low)/pf.Max)
		hf.Mark = cssShare(pf.Expected / pf.Max)
	}
	hf.addTargets(pl, pf)
	return hf
}

// addTargets lays the targets out under their areas, each area with the points it can expect.
func (hf *htmlForecast) addTargets(pl *planLayout, pf *planForecast) {
	var areaExpected float64
	for i, tf := range pf.Targets {
		if pf.newArea(i) {
			hf.Areas = append(hf.Areas, htmlForecastArea{Label: tf.AreaLabel, Max: danishDecimal(tf.AreaMax, 2)})
			areaExpected = 0
		}
		ht := newHTMLForecastTarget(pl, pf, &tf)
		hf.count(ht.Status)
		a := &hf.Areas[len(hf.Areas)-1]
		a.Targets = append(a.Targets, ht)
		areaExpected += tf.ExpectedPoints
		a.Expected = danishDecimal(areaExpected, 1)
	}
}

// count counts a target under its outlook, or its result.
func (hf *htmlForecast) count(status string) {
	switch status {
	case "likely", "met":
		hf.Likely++
	case "unlikely", "missed":
		hf.Unlikely++
	case "uncertain":
		hf.Uncertain++
	default:
		hf.NoData++
	}
}

// targetsForecast is a plan's forecast part for the page and the sheet; nil when none of its
// service targets has a forecast row. The forecast view also holds a row per requirement of the
// other kinds (appointment_wait, milestones, kpi; target_id the requirement's id), which
// these pages leave to the contract's pages: such rows alone make no forecast part.
func targetsForecast(r *Report, pl *planLayout) *planForecast {
	pf := newPlanForecast(r, pl)
	if pf == nil {
		return nil
	}
	for i := range pf.Targets {
		if pf.Targets[i].Forecast != nil {
			return pf
		}
	}
	return nil
}

// newHTMLForecastTarget is a target's row and chart.
func newHTMLForecastTarget(pl *planLayout, pf *planForecast, tf *targetForecast) htmlForecastTarget {
	tg := tf.Layout.Target
	ht := htmlForecastTarget{
		ID: tg.ID, Label: tg.Label, MaxPoints: danishDecimal(tg.Points, 2),
		Goal:  fmt.Sprintf("%s %% inden for %d %s", danishDecimal(tg.MinPct, 2), tg.TargetDays, dayWord(tg.TargetDays)),
		Today: "–", Decided: "–", Expected: "–", PMet: "–", Needed: "–", Points: "–",
		AtRisk: danishInt(tf.AtRisk), DataAtRisk: tf.AtRisk, DataLate: tf.Late,
	}
	if tf.Late > 0 {
		ht.Late = danishInt(tf.Late)
	}
	ht.Status, ht.StatusText, ht.Mark = forecastStatus(tf.Forecast, pf.Finished)
	if f := tf.Forecast; f != nil {
		ht.figures(f)
	}
	if f := tf.Forecast; f != nil && f.ExpectedPoints != nil {
		ht.Points, ht.DataPoints = danishDecimal(tf.ExpectedPoints, 1), plainDecimal(tf.ExpectedPoints, 1)
	}
	if !pf.Finished {
		ht.Chart = newForecastChart(pl, tf)
	}
	return ht
}

// figures writes the forecast's shares as the page shows them.
func (ht *htmlForecastTarget) figures(f *Forecast) {
	ht.Decided = danishInt(f.Decided)
	if f.Decided > 0 {
		today := 100 * float64(f.WithinTarget) / float64(f.Decided)
		ht.Today, ht.DataToday = danishPct(today), strconv.FormatFloat(truncPct(today), 'f', 1, 64)
	}
	if f.ExpectedPct != nil {
		ht.Expected, ht.DataExpected = danishPct(*f.ExpectedPct), strconv.FormatFloat(truncPct(*f.ExpectedPct), 'f', 1, 64)
	}
	if f.ExpectedPctLow != nil && f.ExpectedPctHigh != nil {
		ht.Interval = interval(*f.ExpectedPctLow, *f.ExpectedPctHigh)
		ht.DataLow = strconv.FormatFloat(truncPct(*f.ExpectedPctLow), 'f', 1, 64)
		ht.DataHigh = strconv.FormatFloat(ceilPct(*f.ExpectedPctHigh), 'f', 1, 64)
	}
	if f.PMet != nil {
		ht.PMet, ht.DataPMet = probability(*f.PMet), strconv.FormatFloat(100**f.PMet, 'f', 1, 64)
	}
	if f.NeededPct != nil {
		ht.Needed, ht.NeededClass, ht.DataNeeded = neededShare(*f.NeededPct)
	}
}

// forecastStatus is a target's outlook as a CSS class, a word and a mark: by its chance of
// meeting the target while the year runs, met or missed once it is over.
func forecastStatus(f *Forecast, finished bool) (class, text, mark string) {
	switch {
	case f == nil || f.PMet == nil:
		return "none", "Ingen afgjorte sager", "–"
	case finished && *f.PMet >= 1:
		return "met", "Opfyldt", markMet
	case finished:
		return "missed", "Ikke opfyldt", markMissed
	case *f.PMet >= likelyPMet:
		return "likely", "Forventes opfyldt", markMet
	case *f.PMet <= unlikelyPMet:
		return "unlikely", "Forventes ikke opfyldt", markMissed
	}
	return "uncertain", "Usikkert", "?"
}

// probability writes a chance (0–1) as a whole percentage; one that is neither certain nor
// impossible never reads as 0 % or 100 %.
func probability(p float64) string {
	switch {
	case p <= 0:
		return "0 %"
	case p >= 1:
		return "100 %"
	case p < 0.005:
		return "under 1 %"
	case p >= 0.995:
		return "over 99 %"
	}
	return strconv.FormatFloat(math.Round(100*p), 'f', 0, 64) + " %"
}

// neededShare writes the share of the remaining decisions the year needs within target,
// raised to one decimal: "sikret" below 0 (met even if none is), "uden for rækkevidde" above
// 100 (missed even if all are). The machine form is the number, "secured" or "out_of_reach".
func neededShare(pct float64) (text, class, data string) {
	switch {
	case pct < 0:
		return "sikret", "secured", "secured"
	case pct > 100:
		return "uden for rækkevidde", "out", "out_of_reach"
	}
	return pctCeilNumber(pct) + " %", "", strconv.FormatFloat(ceilPct(pct), 'f', 1, 64)
}

// cssShare is a fraction as a CSS percentage, within 0–100 %.
func cssShare(f float64) string {
	return strconv.FormatFloat(100*math.Min(math.Max(f, 0), 1), 'f', 1, 64) + "%"
}

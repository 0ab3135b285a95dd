package outputs

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// forecastColumn is one column of a forecast sheet: its header, its width, a target's cell
// and, for the points, the plan's total.
type forecastColumn struct {
	header string
	width  float64
	cell   func(s *sheetWriter, col int, tf *targetForecast)
	total  func(pf *planForecast) float64 // nil: no total
}

// forecastHeaderRows are a forecast sheet's title, subtitle, the blank row and the column names.
const forecastHeaderRows = 4

// The columns both kinds of forecast sheet begin with: the target, as on the plan sheet.
var forecastTargetColumns = []forecastColumn{
	{"Krav", 7, func(s *sheetWriter, col int, tf *targetForecast) { s.cell(col, tf.ReqID, s.st.text) }, nil},
	{"Mål", 40, func(s *sheetWriter, col int, tf *targetForecast) { s.cell(col, tf.Layout.Target.Label, s.st.text) }, nil},
	{"Mål i dage", 9, func(s *sheetWriter, col int, tf *targetForecast) {
		s.cell(col, tf.Layout.Target.TargetDays, s.st.number)
	}, nil},
	{"Min. andel", 10, func(s *sheetWriter, col int, tf *targetForecast) {
		s.cell(col, tf.Layout.Target.MinPct/100, s.st.minPct)
	}, nil},
}

// runningColumns are a running year's: today's figures, the expected year-end share with its
// 80 % interval and chance, what the rest of the year needs, the cases at risk and the points
// expected, with the points at either end of the interval that make the plan's range.
var runningColumns = append(forecastTargetColumns[:len(forecastTargetColumns):len(forecastTargetColumns)],
	forecastColumn{"Udsigt", 16, outlookCell, nil},
	forecastColumn{"Afgjort i år", 10, figure(func(f *Forecast) any { return f.Decided }, countStyle), nil},
	forecastColumn{"Andel i dag", 10, figure(todayShare, pctStyle), nil},
	forecastColumn{"Forventet andel ved årets udgang", 12, figure(func(f *Forecast) any { return fraction(f.ExpectedPct) }, pctStyle), nil},
	forecastColumn{"80 %-interval, nedre grænse", 11, figure(func(f *Forecast) any { return fraction(f.ExpectedPctLow) }, pctStyle), nil},
	forecastColumn{"80 %-interval, øvre grænse", 11, figure(func(f *Forecast) any { return fraction(f.ExpectedPctHigh) }, pctStyle), nil},
	forecastColumn{"Sandsynlighed for at nå kravet", 13, figure(func(f *Forecast) any { return orNil(f.PMet) }, pctStyle), nil},
	forecastColumn{"Forventede afgørelser resten af året", 13, figure(func(f *Forecast) any { return f.ExpectedDecided }, countStyle), nil},
	forecastColumn{"Nødvendig andel af de resterende afgørelser", 15, neededCell, nil},
	forecastColumn{"Sager i risiko", 9, func(s *sheetWriter, col int, tf *targetForecast) { s.cell(col, tf.AtRisk, s.st.count) }, nil},
	forecastColumn{"heraf for sent", 9, func(s *sheetWriter, col int, tf *targetForecast) { s.cell(col, tf.Late, s.st.count) }, nil},
	forecastColumn{"Forventede point", 11, expectedPointsCell, func(pf *planForecast) float64 { return pf.Expected }},
	forecastColumn{"Point ved nedre grænse", 11, pointsCell(func(tf *targetForecast) float64 { return tf.LowPoints }), func(pf *planForecast) float64 { return pf.Low }},
	forecastColumn{"Point ved øvre grænse", 11, pointsCell(func(tf *targetForecast) float64 { return tf.HighPoints }), func(pf *planForecast) float64 { return pf.High }},
	forecastColumn{"Point i alt", 9, func(s *sheetWriter, col int, tf *targetForecast) { s.cell(col, tf.Layout.Target.Points, s.st.number) }, func(pf *planForecast) float64 { return pf.Max }},
)

// finishedColumns are a year that is over: its final figures.
var finishedColumns = append(forecastTargetColumns[:len(forecastTargetColumns):len(forecastTargetColumns)],
	forecastColumn{"Året", 16, outlookCell, nil},
	forecastColumn{"Afgjort", 10, figure(func(f *Forecast) any { return f.Decided }, countStyle), nil},
	forecastColumn{"Inden for målet", 10, figure(func(f *Forecast) any { return f.WithinTarget }, countStyle), nil},
	forecastColumn{"Endelig andel inden for målet", 12, figure(func(f *Forecast) any { return fraction(f.ExpectedPct) }, pctStyle), nil},
	forecastColumn{"Point", 9, expectedPointsCell, func(pf *planForecast) float64 { return pf.Expected }},
	forecastColumn{"Point i alt", 9, func(s *sheetWriter, col int, tf *targetForecast) { s.cell(col, tf.Layout.Target.Points, s.st.number) }, func(pf *planForecast) float64 { return pf.Max }},
)

// writeForecastSheet adds a plan's "Forventet målopfyldelse" sheet, when its year has a
// forecast: one row per target under its area, the plan's points at the bottom, and notes on
// how the figures are made.
func writeForecastSheet(f *excelize.File, st *xlsxStyles, name string, r *Report, pl *planLayout) error {
	pf := targetsForecast(r, pl)
	if pf == nil {
		return nil
	}
	first := false
	if err := addSheet(f, name, &first); err != nil {
		return err
	}
	s := &sheetWriter{f: f, name: name, st: st}
	cols := runningColumns
	if pf.Finished {
		cols = finishedColumns
	}
	writeForecastHeader(s, r, pl, pf, cols)
	for i := range pf.Targets {
		tf := &pf.Targets[i]
		if pf.newArea(i) {
			s.row++
			s.cell(2, fmt.Sprintf("%s — samlet %s point", tf.AreaLabel, danishDecimal(tf.AreaMax, 2)), s.st.area)
			s.fillRow(1, len(cols), s.st.area)
		}
		s.row++
		for c, col := range cols {
			col.cell(s, c+1, tf)
		}
	}
	writeForecastTotals(s, pl, pf, cols)
	writeForecastNotes(s, pf, r.AtRiskDays)
	for c, col := range cols {
		s.width(c+1, c+1, col.width)
	}
	s.freeze(2, forecastHeaderRows)
	s.landscape()
	return s.err
}

func writeForecastHeader(s *sheetWriter, r *Report, pl *planLayout, pf *planForecast, cols []forecastColumn) {
	s.row = 1
	s.cell(1, "Forventet målopfyldelse — "+pl.Plan.Title, s.st.title)
	s.row = 2
	sub := fmt.Sprintf("Prognose for hele %d (til %s) ud fra tallene pr. %s (%s) · kørsel %s",
		pl.Plan.Year, danishDate(pf.YearEnd), danishDate(pf.AsOf), pf.AsOf.Format(DateLayout), r.RunID)
	if pf.Finished {
		sub = fmt.Sprintf("Året er afsluttet (%s): tallene er årets endelige · opgjort pr. %s (%s) · kørsel %s",
			danishDate(pf.YearEnd), danishDate(pf.AsOf), pf.AsOf.Format(DateLayout), r.RunID)
	}
	s.cell(1, sub, s.st.subtitle)
	s.row = forecastHeaderRows
	for c, col := range cols {
		s.cell(c+1, col.header, s.st.header)
	}
	s.height(forecastHeaderRows, 60)
}

// writeForecastTotals writes the plan's points: expected, the range and the maximum.
func writeForecastTotals(s *sheetWriter, pl *planLayout, pf *planForecast, cols []forecastColumn) {
	s.row++
	label := fmt.Sprintf("Forventede point i alt, plan %s (af %s)", pl.Plan.ID, danishDecimal(pf.Max, 2))
	if pf.Finished {
		label = fmt.Sprintf("Point i alt, plan %s (af %s)", pl.Plan.ID, danishDecimal(pf.Max, 2))
	}
	s.cell(2, label, s.st.total)
	s.fillRow(1, len(cols), s.st.total)
	for c, col := range cols {
		if col.total != nil {
			s.cell(c+1, col.total(pf), s.st.totalPoints)
		}
	}
}

// writeForecastNotes explains the figures below the table, in column B.
func writeForecastNotes(s *sheetWriter, pf *planForecast, atRiskDays int) {
	notes := []string{"Året er afsluttet: andelene og pointene er årets endelige, som på planens ark."}
	if !pf.Finished {
		notes = []string{
			"Prognosen bygger på lagerets egen historik: årets afgørelser og verserende sager indtil nu, tidligere års sæsonmønster og hvor ofte sager på samme alder er blevet afgjort inden for målet. Året ender inden for 80 %-intervallet med 80 % sandsynlighed efter metoden.",
			"Udsigt: forventes opfyldt ved mindst 80 % sandsynlighed for at nå kravet, forventes ikke opfyldt ved højst 20 %, ellers usikkert.",
			"Forventede point er summen af målenes forventede point. Spændet (point ved nedre og øvre grænse) er summen af de point, hvert mål får, hvis året ender ved den nedre hhv. den øvre grænse af målets 80 %-interval, udvidet så det rummer de forventede point; det er bredere end et 80 %-interval for summen.",
			"Nødvendig andel: den andel af de forventede afgørelser resten af året, der skal være inden for målet, for at året når kravet. Sikret: kravet nås, selv om ingen af dem er; uden for rækkevidde: det nås ikke, selv om alle er.",
			fmt.Sprintf("Sager i risiko: åbne sager, hvis frist (indgivelsesdato plus målets dage) er højst %d dage efter opgørelsesdatoen eller allerede overskredet (for sent); en sag tæller under hvert mål, den hører til.", atRiskDays),
		}
	}
	s.row++
	for _, n := range notes {
		s.row++
		s.cell(2, n, s.st.subtitle)
	}
}

// Cell writers of the columns.

func outlookCell(s *sheetWriter, col int, tf *targetForecast) {
	class, text, mark := forecastStatus(tf.Forecast, tf.Forecast != nil && tf.Forecast.Finished())
	style := map[string]int{"likely": s.st.met, "met": s.st.met, "unlikely": s.st.missed,
		"missed": s.st.missed, "uncertain": s.st.uncertain}[class]
	if style == 0 {
		style = s.st.text
	}
	s.cell(col, mark+" "+text, style)
}

// pctStyle and countStyle pick a figure's number format.
func pctStyle(st *xlsxStyles) int   { return st.pct }
func countStyle(st *xlsxStyles) int { return st.count }

// figure is a column of one of the forecast's figures; the cell stays empty where the target
// has no forecast or the figure is NULL.
func figure(value func(f *Forecast) any, style func(st *xlsxStyles) int) func(s *sheetWriter, col int, tf *targetForecast) {
	return func(s *sheetWriter, col int, tf *targetForecast) {
		s.cell(col, nil, style(s.st))
		if tf.Forecast != nil {
			s.cell(col, value(tf.Forecast), style(s.st))
		}
	}
}

// todayShare is the year's share within target so far, a fraction; nil before any decision.
func todayShare(f *Forecast) any {
	if f.Decided == 0 {
		return nil
	}
	return float64(f.WithinTarget) / float64(f.Decided)
}

// fraction is a share (0–100) as the fraction a percentage cell holds; nil for NULL.
func fraction(pct *float64) any {
	if pct == nil {
		return nil
	}
	return *pct / 100
}

// neededCell writes the share the rest of the year needs as a percentage, or the word for
// one below 0 or above 100.
func neededCell(s *sheetWriter, col int, tf *targetForecast) {
	s.cell(col, nil, s.st.pct)
	if tf.Forecast == nil || tf.Forecast.NeededPct == nil {
		return
	}
	switch pct := *tf.Forecast.NeededPct; {
	case pct < 0:
		s.cell(col, "sikret", s.st.met)
	case pct > 100:
		s.cell(col, "uden for rækkevidde", s.st.missed)
	default:
		s.cell(col, pct/100, s.st.pct)
	}
}

func expectedPointsCell(s *sheetWriter, col int, tf *targetForecast) {
	s.cell(col, nil, s.st.points)
	if tf.Forecast != nil && tf.Forecast.ExpectedPoints != nil {
		s.cell(col, tf.ExpectedPoints, s.st.points)
	}
}

func pointsCell(points func(tf *targetForecast) float64) func(s *sheetWriter, col int, tf *targetForecast) {
	return func(s *sheetWriter, col int, tf *targetForecast) {
		s.cell(col, nil, s.st.points)
		if tf.Forecast != nil && tf.Forecast.ExpectedPoints != nil {
			s.cell(col, points(tf), s.st.points)
		}
	}
}

package outputs

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// The plan sheet's fixed columns; each period then takes three columns from
// firstPeriodCol: the share within target, met, points.
const (
	colRequirement = 1
	colLabel       = 2
	colDays        = 3
	colMinPct      = 4
	firstPeriodCol = 5
	planHeaderRows = 4 // title, subtitle, period names, column names
)

// Cell texts a reader sees for met and missed.
const (
	markMet    = "✓"
	markMissed = "✗"
)

func periodCol(k int) int { return firstPeriodCol + 3*k }

// writePlanSheet lays a plan out like the contract's table: a header block
// per requirement, a header row per area with its points, the targets, and
// the points earned per area and for the plan.
func writePlanSheet(s *sheetWriter, r *Report, pl *planLayout) error {
	writePlanHeader(s, r, pl)
	for _, req := range pl.Reqs {
		s.row++
		s.cell(colRequirement, req.Req.ID, s.st.requirement)
		s.cell(colLabel, fmt.Sprintf("%s — vægt %s point", req.Req.Title, danishDecimal(req.Req.Weight, 2)), s.st.requirement)
		s.fillRow(colDays, periodCol(len(pl.Periods))-1, s.st.requirement)
		for _, area := range req.Areas {
			writeArea(s, pl, req.Req.ID, &area)
		}
	}
	s.row++
	label := fmt.Sprintf("Point i alt, plan %s (af %s)", pl.Plan.ID, danishDecimal(maxPoints(pl.targets()), 2))
	writeTotals(s, pl, label, pl.targets())
	s.widths(7, 46, 9, 10)
	s.width(firstPeriodCol, periodCol(len(pl.Periods)), 11)
	s.freeze(colMinPct, planHeaderRows)
	s.landscape()
	return s.err
}

// writePlanHeader writes the title, the as-of line and the two header rows.
func writePlanHeader(s *sheetWriter, r *Report, pl *planLayout) {
	s.row = 1
	s.cell(1, pl.Plan.Title, s.st.title)
	s.row = 2
	s.cell(1, fmt.Sprintf("Opgjort pr. %s (%s) · kørsel %s · beregnet %s",
		danishDate(r.AsOf), r.AsOf.Format(DateLayout), r.RunID, formatInstant(r.ComputedAt)), s.st.subtitle)
	s.row = 3
	s.fillRow(1, colMinPct, s.st.periodHeader)
	for k, p := range pl.Periods {
		s.cell(periodCol(k), periodLabel(p, periodComplete(pl, p)), s.st.periodHeader)
		s.merge(periodCol(k), periodCol(k)+2)
	}
	s.row = 4
	for col, h := range []string{"Krav", "Mål", "Mål i dage", "Min. andel"} {
		s.cell(col+1, h, s.st.header)
	}
	for k := range pl.Periods {
		s.cell(periodCol(k), "Andel afgjort inden for målet", s.st.header)
		s.cell(periodCol(k)+1, "Opfyldt", s.st.header)
		s.cell(periodCol(k)+2, "Point", s.st.header)
	}
	s.height(4, 45)
}

// writeArea writes an area's header row, its targets and its total.
func writeArea(s *sheetWriter, pl *planLayout, reqID string, area *areaLayout) {
	s.row++
	s.cell(colLabel, fmt.Sprintf("%s — samlet %s point", area.Label, danishDecimal(area.MaxPoints, 2)), s.st.area)
	s.fillRow(colRequirement, periodCol(len(pl.Periods))-1, s.st.area)
	for _, t := range area.Targets {
		s.row++
		s.cell(colRequirement, reqID, s.st.text)
		s.cell(colLabel, t.Target.Label, s.st.text)
		s.cell(colDays, t.Target.TargetDays, s.st.number)
		s.cell(colMinPct, t.Target.MinPct/100, s.st.minPct)
		for k, p := range pl.Periods {
			writeFigures(s, periodCol(k), t.Rows[p])
		}
	}
	s.row++
	writeTotals(s, pl, fmt.Sprintf("Point i alt, %s (af %s)", area.Label, danishDecimal(area.MaxPoints, 2)), area.Targets)
}

// writeFigures writes a target's share, met mark and points for one period;
// cells stay empty where the row or its figures are NULL.
func writeFigures(s *sheetWriter, col int, row *Row) {
	s.cell(col, nil, s.st.pct)
	if row == nil {
		return
	}
	if row.PctWithinTarget != nil {
		s.cell(col, *row.PctWithinTarget/100, s.st.pct)
	}
	if row.Met != nil {
		mark, style := markMet, s.st.met
		if !*row.Met {
			mark, style = markMissed, s.st.missed
		}
		s.cell(col+1, mark, style)
	}
	if row.Points != nil {
		s.cell(col+2, *row.Points, s.st.number)
	}
}

// writeTotals writes the points the targets earned in each period.
func writeTotals(s *sheetWriter, pl *planLayout, label string, targets []targetLayout) {
	s.cell(colLabel, label, s.st.total)
	s.fillRow(colRequirement, periodCol(len(pl.Periods))-1, s.st.total)
	for k, p := range pl.Periods {
		s.cell(periodCol(k)+2, earned(targets, p), s.st.totalNumber)
	}
}

// periodComplete says whether the plan's rows call the period over.
func periodComplete(pl *planLayout, period string) bool {
	for _, t := range pl.targets() {
		if row := t.Rows[period]; row != nil {
			return row.PeriodComplete
		}
	}
	return true
}

// fillRow styles the empty cells from..to of the current row, so a header
// band runs across the table.
func (s *sheetWriter) fillRow(from, to, style int) {
	if s.err != nil || to < from {
		return
	}
	for col := from; col <= to; col++ {
		ref, _ := excelize.CoordinatesToCellName(col, s.row)
		if v, _ := s.f.GetCellValue(s.name, ref); v == "" {
			s.cell(col, nil, style)
		}
	}
}

func (s *sheetWriter) height(row int, h float64) {
	if s.err == nil {
		s.err = s.f.SetRowHeight(s.name, row, h)
	}
}

// landscape prints the sheet on A4 landscape, as wide as one page.
func (s *sheetWriter) landscape() {
	if s.err != nil {
		return
	}
	a4, orient, one, pages, fit := 9, "landscape", 1, 0, true
	s.err = s.f.SetPageLayout(s.name, &excelize.PageLayoutOptions{
		Size: &a4, Orientation: &orient, FitToWidth: &one, FitToHeight: &pages,
	})
	if s.err == nil {
		s.err = s.f.SetSheetProps(s.name, &excelize.SheetPropsOptions{FitToPage: &fit})
	}
}

package outputs

import (
	"fmt"
	"hash/fnv"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

// Number formats of the workbook: shares are fractions shown as percentages,
// so a spreadsheet can compute with them.
const (
	pctFormat    = "0.0%"
	minPctFormat = "0.0#%"
)

// writeXLSX writes a sheet per plan with its whole contract ("Kontrakt") first, then one
// sheet per plan laid out like the contract's service-target table,
// each followed by the plan's expected year-end fulfilment ("Forventet"),
// then the quarantine counts ("Karantæne"), the run's lineage ("Kørsel") and
// every scorecard row with every column ("Data").
func writeXLSX(w io.Writer, r *Report) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newXLSXStyles(f)
	if err != nil {
		return err
	}
	plans, contracts := layoutPlans(r), contractLayouts(r)
	names := planSheetNames(plans)
	forecastNames := forecastSheetNames(plans, names)
	first := true
	// The workbook opens with the whole contract, as the contract itself does.
	contractNames := contractSheetNames(contracts, append(slices.Clone(names), forecastNames...))
	if err := writeContractSheets(f, st, contractNames, r, contracts, &first); err != nil {
		return err
	}
	for i := range plans {
		if err := addSheet(f, names[i], &first); err != nil {
			return err
		}
		if err := writePlanSheet(&sheetWriter{f: f, name: names[i], st: st}, r, &plans[i]); err != nil {
			return err
		}
		if err := writeForecastSheet(f, st, forecastNames[i], r, &plans[i]); err != nil {
			return err
		}
	}
	if err := addSheet(f, quarantineSheet, &first); err != nil {
		return err
	}
	if err := writeQuarantineSheet(&sheetWriter{f: f, name: quarantineSheet, st: st}, r); err != nil {
		return err
	}
	if err := addSheet(f, runSheet, &first); err != nil {
		return err
	}
	if err := writeRunSheet(&sheetWriter{f: f, name: runSheet, st: st}, r); err != nil {
		return err
	}
	if err := addSheet(f, dataSheet, &first); err != nil {
		return err
	}
	if err := writeDataSheet(&sheetWriter{f: f, name: dataSheet, st: st}, r); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	return f.Write(w)
}

// addSheet renames the new file's default sheet the first time and adds a
// sheet after that. A name already in the workbook (in any letter case) is an
// error: excelize would hand back that sheet, and one sheet's cells would
// overwrite the other's.
func addSheet(f *excelize.File, name string, first *bool) error {
	if *first {
		*first = false
		return f.SetSheetName(f.GetSheetName(0), name)
	}
	if i, _ := f.GetSheetIndex(name); i != -1 {
		return fmt.Errorf("sheet %q twice", name)
	}
	_, err := f.NewSheet(name)
	return err
}

// maxSheetName is the length Excel allows a sheet name, in UTF-16 units.
const maxSheetName = 31

// planSheetNames names each plan's sheet, "Plan 2024", in the plans' order.
// Excel allows a sheet name 31 characters, none of []:*?/\, no apostrophe
// first or last, not "History" (its own), and no two alike in any letter case,
// the workbook's fixed sheets included.
func planSheetNames(plans []planLayout) []string {
	taken := []string{"History", quarantineSheet, runSheet, dataSheet}
	names := make([]string, len(plans))
	for i, pl := range plans {
		names[i] = uniqueSheetName("Plan "+pl.Plan.ID, taken)
		taken = append(taken, names[i])
	}
	return names
}

// forecastSheetNames names each plan's forecast sheet, "Forventet 2024", in the plans' order,
// none of them like a plan sheet's or a fixed sheet's name.
func forecastSheetNames(plans []planLayout, planNames []string) []string {
	taken := append([]string{"History", quarantineSheet, runSheet, dataSheet}, planNames...)
	names := make([]string, len(plans))
	for i, pl := range plans {
		names[i] = uniqueSheetName("Forventet "+pl.Plan.ID, taken)
		taken = append(taken, names[i])
	}
	return names
}

// uniqueSheetName makes want a valid sheet name none of taken has. A name too
// long is cut and marked "~" and four hex digits of a hash of want: two plans
// alike in their first 26 characters keep a sheet each, and a plan's sheet is
// named the same whatever other plans the workbook holds. A name still taken
// (ids that differ in letter case only) is marked "~2", "~3" and so on.
func uniqueSheetName(want string, taken []string) string {
	name := strings.Trim(strings.Map(sheetRune, want), "'")
	if name == "" {
		name = "Ark"
	}
	var tag string
	if utf16Len(name) > maxSheetName {
		h := fnv.New32a()
		h.Write([]byte(want))
		tag = fmt.Sprintf("~%04x", h.Sum32()&0xffff)
	}
	for n := 1; ; n++ {
		suffix := tag
		if n > 1 {
			suffix += "~" + strconv.Itoa(n)
		}
		candidate := cutUTF16(name, maxSheetName-len(suffix)) + suffix
		if !slices.ContainsFunc(taken, func(t string) bool { return strings.EqualFold(t, candidate) }) {
			return candidate
		}
	}
}

// sheetRune replaces a character a sheet name may not hold.
func sheetRune(r rune) rune {
	if strings.ContainsRune(`[]:*?/\`, r) {
		return '_'
	}
	return r
}

// utf16Len is the length of s as Excel counts it.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// cutUTF16 cuts s to at most limit UTF-16 units, between characters.
func cutUTF16(s string, limit int) string {
	n := 0
	for i, r := range s {
		if n += utf16.RuneLen(r); n > limit {
			return s[:i]
		}
	}
	return s
}

// xlsxStyles are the workbook's cell styles.
type xlsxStyles struct {
	title, subtitle, header, periodHeader, requirement, area int
	text, number, pct, minPct, met, missed                   int
	total, totalNumber, date                                 int
	uncertain, points, totalPoints, count                    int // the forecast sheets'
}

func newXLSXStyles(f *excelize.File) (*xlsxStyles, error) {
	var st xlsxStyles
	var err error
	style := func(dst *int, s *excelize.Style) {
		if err == nil {
			*dst, err = f.NewStyle(s)
		}
	}
	pct, minPct := pctFormat, minPctFormat
	bold := &excelize.Font{Bold: true}
	thin := []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}}
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	style(&st.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	style(&st.subtitle, &excelize.Style{Font: &excelize.Font{Color: "595959"}})
	style(&st.header, &excelize.Style{Font: bold, Fill: fill("D9E1F2"), Border: thin, Alignment: center})
	style(&st.periodHeader, &excelize.Style{Font: bold, Fill: fill("B4C6E7"), Border: thin, Alignment: center})
	style(&st.requirement, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}, Fill: fill("FCE4D6")})
	style(&st.area, &excelize.Style{Font: bold, Fill: fill("EDEDED")})
	style(&st.text, &excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	style(&st.number, &excelize.Style{})
	style(&st.pct, &excelize.Style{CustomNumFmt: &pct})
	style(&st.minPct, &excelize.Style{CustomNumFmt: &minPct})
	style(&st.met, &excelize.Style{Font: &excelize.Font{Bold: true, Color: "006100"}, Fill: fill("C6EFCE"), Alignment: center})
	style(&st.missed, &excelize.Style{Font: &excelize.Font{Bold: true, Color: "9C0006"}, Fill: fill("FFC7CE"), Alignment: center})
	totalBorder := []excelize.Border{{Type: "top", Color: "000000", Style: 1}}
	style(&st.total, &excelize.Style{Font: bold, Border: totalBorder})
	style(&st.totalNumber, &excelize.Style{Font: bold, Border: totalBorder})
	dateFmt := "yyyy-mm-dd"
	style(&st.date, &excelize.Style{CustomNumFmt: &dateFmt})
	style(&st.uncertain, &excelize.Style{Font: &excelize.Font{Bold: true, Color: "7F4F00"}, Fill: fill("FFEB9C"), Alignment: center})
	pointsFmt, countFmt := "0.0", "#,##0"
	style(&st.points, &excelize.Style{CustomNumFmt: &pointsFmt})
	style(&st.totalPoints, &excelize.Style{Font: bold, Border: totalBorder, CustomNumFmt: &pointsFmt})
	style(&st.count, &excelize.Style{CustomNumFmt: &countFmt})
	return &st, err
}

func fill(color string) excelize.Fill {
	return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}
}

// sheetWriter writes cells of one sheet, keeping the first error so the
// layout code reads as a list of cells.
type sheetWriter struct {
	f    *excelize.File
	name string
	st   *xlsxStyles
	row  int // the current row, 1-based
	err  error
}

// cell sets the value and style of column col (1-based) of the current row;
// a nil value leaves the cell empty but styled.
func (s *sheetWriter) cell(col int, value any, style int) {
	if s.err != nil {
		return
	}
	ref, err := excelize.CoordinatesToCellName(col, s.row)
	if err == nil && value != nil {
		err = s.f.SetCellValue(s.name, ref, value)
	}
	if err == nil && style != 0 {
		err = s.f.SetCellStyle(s.name, ref, ref, style)
	}
	s.err = err
}

// merge merges columns from..to of the current row.
func (s *sheetWriter) merge(from, to int) {
	if s.err != nil || from == to {
		return
	}
	a, _ := excelize.CoordinatesToCellName(from, s.row)
	b, _ := excelize.CoordinatesToCellName(to, s.row)
	s.err = s.f.MergeCell(s.name, a, b)
}

// widths sets the widths of columns 1, 2, ... in turn.
func (s *sheetWriter) widths(ws ...float64) {
	for i, w := range ws {
		s.width(i+1, i+1, w)
	}
}

func (s *sheetWriter) width(from, to int, w float64) {
	if s.err != nil {
		return
	}
	a, _ := excelize.ColumnNumberToName(from)
	b, _ := excelize.ColumnNumberToName(to)
	s.err = s.f.SetColWidth(s.name, a, b, w)
}

// freeze keeps the first rows and cols in view while scrolling.
func (s *sheetWriter) freeze(cols, rows int) {
	if s.err != nil {
		return
	}
	topLeft, _ := excelize.CoordinatesToCellName(cols+1, rows+1)
	pane := "bottomRight"
	if cols == 0 {
		pane = "bottomLeft"
	}
	s.err = s.f.SetPanes(s.name, &excelize.Panes{
		Freeze: true, XSplit: cols, YSplit: rows, TopLeftCell: topLeft, ActivePane: pane,
	})
}

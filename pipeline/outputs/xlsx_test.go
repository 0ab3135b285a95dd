package outputs

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"scorecard/rules"
)

func TestXLSX(t *testing.T) {
	r := testReport(t)
	path := filepath.Join(t.TempDir(), "scorecard.xlsx")
	loadFile(t, Config{Kind: "xlsx", Path: path}, r)
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := []string{"Kontrakt 2020", "Kontrakt 2024", "Plan 2020", "Forventet 2020", "Plan 2024", "Forventet 2024", "Karantæne", "Kørsel", "Data"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets = %v, want %v", got, want)
	}
	for _, p := range r.Plans {
		t.Run(p.ID, func(t *testing.T) { checkPlanSheet(t, f, r, p.ID) })
	}
	checkQuarantineSheet(t, f, r)
	checkRunSheet(t, f, r)
	checkDataSheet(t, f, r)
}

// checkDataSheet: the Data sheet holds every row under a header of Columns,
// each value as the CSV has it (dates as dates, NULL as an empty cell).
func checkDataSheet(t *testing.T, f *excelize.File, r *Report) {
	s := openSheet(t, f, "Data")
	if !slices.Equal(s.rows[0], Columns) {
		t.Fatalf("Data header = %v, want %v", s.rows[0], Columns)
	}
	if len(s.rows)-1 != len(r.Rows) {
		t.Fatalf("Data has %d rows, want %d", len(s.rows)-1, len(r.Rows))
	}
	for i, row := range r.Rows {
		line := i + 2
		for j, v := range row.values() {
			col, what := j+1, fmt.Sprintf("Data row %d %s", i, Columns[j])
			switch v := v.(type) {
			case date:
				if got := s.rows[line-1][j]; got != time.Time(v).Format(DateLayout) {
					t.Errorf("%s = %q, want %s", what, got, time.Time(v).Format(DateLayout))
				}
			case float64:
				checkNumber(t, s, col, line, v, what)
			default:
				want := csvField(v)
				if b, ok := v.(bool); ok {
					want = map[bool]string{true: "1", false: "0"}[b]
				}
				if got := s.raw(col, line); got != want {
					t.Errorf("%s = %q, want %q", what, got, want)
				}
			}
		}
	}
}

// xlsxSheet reads a sheet back: its cells by text and raw value.
type xlsxSheet struct {
	t    *testing.T
	f    *excelize.File
	name string
	rows [][]string // formatted text, as a reader sees it
}

func (s *xlsxSheet) raw(col, row int) string {
	ref, _ := excelize.CoordinatesToCellName(col, row)
	v, err := s.f.GetCellValue(s.name, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		s.t.Fatal(err)
	}
	return v
}

// rowOf finds the row whose column B reads label (1-based).
func (s *xlsxSheet) rowOf(label string) int {
	for i, row := range s.rows {
		if len(row) > 1 && row[1] == label {
			return i + 1
		}
	}
	s.t.Fatalf("%s: no row labelled %q", s.name, label)
	return 0
}

func (s *xlsxSheet) numFmt(col, row int) string {
	ref, _ := excelize.CoordinatesToCellName(col, row)
	id, err := s.f.GetCellStyle(s.name, ref)
	if err != nil {
		s.t.Fatal(err)
	}
	st, err := s.f.GetStyle(id)
	if err != nil || st.CustomNumFmt == nil {
		s.t.Fatalf("%s %s: style %d has no custom number format (%v)", s.name, ref, id, err)
	}
	return *st.CustomNumFmt
}

func openSheet(t *testing.T, f *excelize.File, name string) *xlsxSheet {
	rows, err := f.GetRows(name)
	if err != nil {
		t.Fatal(err)
	}
	return &xlsxSheet{t: t, f: f, name: name, rows: rows}
}

func checkPlanSheet(t *testing.T, f *excelize.File, r *Report, plan string) {
	s := openSheet(t, f, "Plan "+plan)
	p := r.Plans[slices.IndexFunc(r.Plans, func(p *rules.Plan) bool { return p.ID == plan })]
	if s.rows[0][0] != p.Title {
		t.Errorf("A1 = %q, want the plan title", s.rows[0][0])
	}
	for _, want := range []string{"20. maj 2024", "2024-05-20", fixtureRunID} {
		if !strings.Contains(s.rows[1][0], want) {
			t.Errorf("A2 = %q, want it to name %q", s.rows[1][0], want)
		}
	}
	panes, err := f.GetPanes(s.name)
	if err != nil || !panes.Freeze || panes.XSplit != 4 || panes.YSplit != 4 || panes.TopLeftCell != "E5" {
		t.Errorf("panes = %+v, %v; want the header rows and target columns frozen at E5", panes, err)
	}
	if got := s.rows[3][:5]; !slices.Equal(got, []string{"Krav", "Mål", "Mål i dage", "Min. andel", "Andel afgjort inden for målet"}) {
		t.Errorf("header row = %v", got)
	}
	yearCol := 5
	if s.rows[2][yearCol-1] != "2024 (til dato)" && s.rows[2][yearCol-1] != plan {
		t.Errorf("first period header = %q, want the year", s.rows[2][yearCol-1])
	}
	year := plan
	areaSums := map[string]float64{}
	var planSum float64
	for _, row := range rowsOf(r, plan, year) {
		line := s.rowOf(row.Label)
		checkFigures(t, s, line, yearCol, row)
		if s.raw(3, line) != strconv.Itoa(row.TargetDays) || s.raw(1, line) != row.RequirementID {
			t.Errorf("%s: days/requirement = %q/%q", row.TargetID, s.raw(3, line), s.raw(1, line))
		}
		if row.Points != nil {
			area, _, _ := strings.Cut(row.TargetID, ".") // the built-in plans name targets area.x
			areaSums[area] += *row.Points
			planSum += *row.Points
		}
	}
	checkPeriodColumns(t, s, r, plan)
	for area, label := range map[string]string{"erhverv": "Erhvervsområdet", "studie": "Studieområdet", "eu": "EU-området"} {
		max := areaMax(r, plan, area)
		if max == 0 {
			continue // 2024 has no study targets
		}
		s.rowOf(fmt.Sprintf("%s — samlet %s point", label, strconv.FormatFloat(max, 'f', -1, 64)))
		line := s.rowOf(fmt.Sprintf("Point i alt, %s (af %s)", label, strconv.FormatFloat(max, 'f', -1, 64)))
		checkNumber(t, s, yearCol+2, line, areaSums[area], "area total "+area)
	}
	max := map[string]string{"2020": "70", "2024": "60"}[plan]
	line := s.rowOf("Point i alt, plan " + plan + " (af " + max + ")")
	checkNumber(t, s, yearCol+2, line, planSum, "plan total")
}

// checkFigures compares a target's share, mark and points in one period.
func checkFigures(t *testing.T, s *xlsxSheet, line, col int, row Row) {
	t.Helper()
	what := row.TargetID + " " + row.Period
	if row.PctWithinTarget == nil {
		if v := s.raw(col, line); v != "" {
			t.Errorf("%s: share = %q, want empty", what, v)
		}
	} else {
		checkNumber(t, s, col, line, *row.PctWithinTarget/100, what+" share")
		if got := s.numFmt(col, line); got != "0.0%" {
			t.Errorf("%s: share format %q, want 0.0%%", what, got)
		}
	}
	mark := ""
	if row.Met != nil {
		mark = map[bool]string{true: "✓", false: "✗"}[*row.Met]
	}
	if got := s.raw(col+1, line); got != mark {
		t.Errorf("%s: met = %q, want %q", what, got, mark)
	}
	if row.Points == nil {
		if v := s.raw(col+2, line); v != "" {
			t.Errorf("%s: points = %q, want empty", what, v)
		}
	} else {
		checkNumber(t, s, col+2, line, *row.Points, what+" points")
	}
}

func checkNumber(t *testing.T, s *xlsxSheet, col, line int, want float64, what string) {
	t.Helper()
	got, err := strconv.ParseFloat(s.raw(col, line), 64)
	if err != nil || got != want {
		t.Errorf("%s: cell (%d,%d) = %q, want %v", what, col, line, s.raw(col, line), want)
	}
}

// checkPeriodColumns finds every period's header and checks every target's
// figures under it.
func checkPeriodColumns(t *testing.T, s *xlsxSheet, r *Report, plan string) {
	headers := s.rows[2]
	for _, row := range r.Rows {
		if row.Plan != plan {
			continue
		}
		label := periodLabel(row.Period, row.PeriodComplete)
		col := slices.Index(headers, label) + 1
		if col == 0 {
			t.Fatalf("no column for period %s (%q) in %v", row.Period, label, headers)
		}
		checkFigures(t, s, s.rowOf(row.Label), col, row)
	}
	order := []string{}
	for _, h := range headers[4:] {
		if h != "" {
			order = append(order, h)
		}
	}
	if plan == "2024" && !slices.Equal(order, []string{"2024 (til dato)", "1. kvartal 2024", "2. kvartal 2024 (til dato)",
		"januar 2024", "februar 2024", "marts 2024", "april 2024", "maj 2024 (til dato)"}) {
		t.Errorf("period order = %v", order)
	}
}

func rowsOf(r *Report, plan, period string) []Row {
	var out []Row
	for _, row := range r.Rows {
		if row.Plan == plan && row.Period == period {
			out = append(out, row)
		}
	}
	return out
}

func areaMax(r *Report, plan, area string) float64 {
	var sum float64
	for _, row := range rowsOf(r, plan, plan) {
		if strings.HasPrefix(row.TargetID, area+".") {
			sum += row.MaxPoints
		}
	}
	return sum
}

func checkQuarantineSheet(t *testing.T, f *excelize.File, r *Report) {
	s := openSheet(t, f, "Karantæne")
	want := [][]string{
		{"Kilde", "Årsag", "Forklaring", "Rækker"},
		{"export", "bad_date", "Ugyldig dato", "3"},
		{"export", "unknown_case_type", "Ukendt sagstype", "12"},
		{"legacy", "missing_case_id", "Sagsnummer mangler", "1"},
		{"I alt", "", "", "16"},
	}
	if fmt.Sprint(s.rows) != fmt.Sprint(want) {
		t.Errorf("Karantæne = %q, want %q", s.rows, want)
	}
}

func checkRunSheet(t *testing.T, f *excelize.File, r *Report) {
	s := openSheet(t, f, "Kørsel")
	text := fmt.Sprint(s.rows)
	for _, want := range []string{
		"[Kørsel " + fixtureRunID + "]", "[Opgjort pr. 2024-05-20]", "[Kommando run]", "[Version v1.2.3]",
		"[Tidszone Europe/Copenhagen]", "[Startet 2024-05-21 05:00:00 +02:00]", "[Sluttet 2024-05-21 05:04:30 +02:00]",
		"[2020 builtin:2020 " + r.Plans[0].SHA256 + "]", "[2024 builtin:2024 " + r.Plans[1].SHA256 + "]",
		"[Kilde Type Filer indlæst Rækker læst I karantæne Rækker skrevet]",
		"[export csv 2 120000 15 119985]", "[legacy postgres 1 5000 1 4999]",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("Kørsel lacks %s:\n%s", want, text)
		}
	}
}

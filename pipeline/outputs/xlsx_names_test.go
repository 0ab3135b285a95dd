package outputs

import (
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"scorecard/rules"
)

// TestXLSXLongPlanIDs: two plan ids alike in their first 26 characters ("Plan " and those 26
// fill the 31 characters Excel allows) keep a sheet each, and a forecast sheet each, each with
// its own plan's figures, under names Excel accepts, and the same names every time the
// workbook is written.
func TestXLSXLongPlanIDs(t *testing.T) {
	ids := []string{"resultatkontrakt-udlaendinge-2020", "resultatkontrakt-udlaendinge-2024"}
	r := longIDReport(t, ids)
	f := writeWorkbook(t, r)
	sheets := f.GetSheetList()
	if len(sheets) != 9 || sheets[6] != quarantineSheet || sheets[7] != runSheet || sheets[8] != dataSheet {
		t.Fatalf("sheets = %q, want a contract sheet per plan, two more per plan, %s, %s and %s", sheets, quarantineSheet, runSheet, dataSheet)
	}
	checkSheetNames(t, sheets)
	contracts, sheets := sheets[:2], sheets[2:]
	for k, p := range r.Plans {
		if !strings.HasPrefix(contracts[k], "Kontrakt "+p.ID[:10]) {
			t.Errorf("plan %s: contract sheet %q does not begin with its id", p.ID, contracts[k])
		}
		if title := openSheet(t, f, contracts[k]).rows[0][0]; title != "Resultatkontrakt "+strconv.Itoa(p.Year)+" — "+p.Title {
			t.Errorf("plan %s: contract sheet %q has the title %q", p.ID, contracts[k], title)
		}
	}
	for k, p := range r.Plans {
		if !strings.HasPrefix(sheets[2*k], "Plan "+p.ID[:20]) {
			t.Errorf("plan %s: sheet %q does not begin with its id", p.ID, sheets[2*k])
		}
		checkLongIDSheet(t, openSheet(t, f, sheets[2*k]), r, p.ID, p.Title)
		if !strings.HasPrefix(sheets[2*k+1], "Forventet "+p.ID[:15]) {
			t.Errorf("plan %s: forecast sheet %q does not begin with its id", p.ID, sheets[2*k+1])
		}
		if title := openSheet(t, f, sheets[2*k+1]).rows[0][0]; title != "Forventet målopfyldelse — "+p.Title {
			t.Errorf("plan %s: forecast sheet %q has the title %q", p.ID, sheets[2*k+1], title)
		}
	}
	if again := writeWorkbook(t, r).GetSheetList(); !slices.Equal(again, append(contracts, sheets...)) {
		t.Errorf("sheet names differ between two writes: %q, %q", append(contracts, sheets...), again)
	}
}

// TestPlanSheetNames: whatever the plan ids, the plan sheets and the fixed sheets have names
// Excel accepts, one each; a name that fits is kept, and a name cut short is the same whatever
// other plans the workbook holds.
func TestPlanSheetNames(t *testing.T) {
	long := strings.Repeat("x", 26)
	ids := []string{"2024", long + "-a", long + "-b", long + "-a-" + long, "abc", "ABC", "Abc",
		strings.Repeat("9", 26), strings.Repeat("9", 27)}
	names := planSheetNames(layoutsOf(ids...))
	checkSheetNames(t, append(slices.Clone(names), quarantineSheet, runSheet, dataSheet))
	forecasts := forecastSheetNames(layoutsOf(ids...), names)
	checkSheetNames(t, append(append(slices.Clone(names), forecasts...), quarantineSheet, runSheet, dataSheet))
	if forecasts[0] != "Forventet 2024" || forecasts[4] != "Forventet abc" || forecasts[5] != "Forventet ABC~2" {
		t.Errorf("forecast sheets %q", forecasts)
	}
	contracts := make([]contractLayout, len(ids))
	for i, id := range ids {
		contracts[i].Plan = &rules.Plan{ID: id}
	}
	contractNames := contractSheetNames(contracts, append(slices.Clone(names), forecasts...))
	checkSheetNames(t, slices.Concat(names, forecasts, contractNames, []string{quarantineSheet, runSheet, dataSheet}))
	if contractNames[0] != "Kontrakt 2024" || contractNames[4] != "Kontrakt abc" || contractNames[5] != "Kontrakt ABC~2" {
		t.Errorf("contract sheets %q", contractNames)
	}
	for i, want := range map[int]string{0: "Plan 2024", 4: "Plan abc", 5: "Plan ABC~2", 6: "Plan Abc~3", 7: "Plan " + ids[7]} {
		if names[i] != want {
			t.Errorf("plan %s: sheet %q, want %q", ids[i], names[i], want)
		}
	}
	for i, id := range ids {
		if len("Plan "+id) > 31 {
			if alone := planSheetNames(layoutsOf(id))[0]; alone != names[i] {
				t.Errorf("plan %s: sheet %q among others, %q alone", id, names[i], alone)
			}
		}
	}
}

// TestUniqueSheetName: a wanted name with characters Excel forbids, apostrophes at its ends,
// none at all, Excel's own History, or characters outside the Basic Multilingual Plane (two
// UTF-16 units each, which Excel counts) still becomes a name Excel accepts.
func TestUniqueSheetName(t *testing.T) {
	tests := []struct{ want, got string }{
		{`a[b]:c*d?e/f\g`, "a_b__c_d_e_f_g"},
		{"'quoted'", "quoted"},
		{"''", "Ark"},
		{"history", "history~2"},
		{"Karantæne", "Karantæne~2"},
		{"Plan " + strings.Repeat("\U0001F600", 13), "Plan " + strings.Repeat("\U0001F600", 13)}, // 5 + 26 units: fits
	}
	for _, tt := range tests {
		got := uniqueSheetName(tt.want, []string{"History", quarantineSheet, runSheet})
		if got != tt.got {
			t.Errorf("uniqueSheetName(%q) = %q, want %q", tt.want, got, tt.got)
		}
		checkSheetNames(t, []string{got})
	}
	emoji := uniqueSheetName("Plan "+strings.Repeat("\U0001F600", 20), nil)
	if !utf8.ValidString(emoji) || !strings.HasPrefix(emoji, "Plan \U0001F600") || !strings.Contains(emoji, "~") {
		t.Errorf("a name of emoji cut to %q", emoji)
	}
	checkSheetNames(t, []string{emoji})
}

// writeWorkbook writes the report's workbook and opens it, closed when the test ends.
func writeWorkbook(t *testing.T, r *Report) *excelize.File {
	t.Helper()
	path := filepath.Join(t.TempDir(), "scorecard.xlsx")
	loadFile(t, Config{Kind: "xlsx", Path: path}, r)
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// layoutsOf is a plan layout for each id, as planSheetNames needs them.
func layoutsOf(ids ...string) []planLayout {
	out := make([]planLayout, len(ids))
	for i, id := range ids {
		out[i].Plan = &rules.Plan{ID: id}
	}
	return out
}

// longIDReport is the fixture with its plans 2020 and 2024 renamed to ids, and retitled.
func longIDReport(t *testing.T, ids []string) *Report {
	r := testReport(t)
	rename := map[string]string{}
	for i, p := range r.Plans {
		renamed := *p
		renamed.ID, renamed.Title = ids[i], "Kontrakt "+strconv.Itoa(i+1)+": "+p.Title
		rename[p.ID] = renamed.ID
		r.Plans[i] = &renamed
		r.Run.Plans[i].Plan = renamed.ID
	}
	for i := range r.Rows {
		r.Rows[i].Plan = rename[r.Rows[i].Plan]
	}
	for i := range r.Forecast {
		r.Forecast[i].Plan = rename[r.Forecast[i].Plan]
	}
	for i := range r.AtRisk {
		r.AtRisk[i].Plan = rename[r.AtRisk[i].Plan]
	}
	for i := range r.Requirements {
		r.Requirements[i].Plan = rename[r.Requirements[i].Plan]
	}
	for i := range r.AppointmentDays {
		r.AppointmentDays[i].Plan = rename[r.AppointmentDays[i].Plan]
	}
	return r
}

// checkLongIDSheet finds the plan's own title, its total row and every target's figures for the year.
func checkLongIDSheet(t *testing.T, s *xlsxSheet, r *Report, plan, title string) {
	t.Helper()
	if s.rows[0][0] != title {
		t.Errorf("sheet %q: A1 = %q, want %q", s.name, s.rows[0][0], title)
	}
	var year string
	var max float64
	for _, row := range r.Rows {
		if row.Plan == plan && periodKind(row.Period) == "year" {
			year = row.Period
			max += row.MaxPoints
		}
	}
	s.rowOf("Point i alt, plan " + plan + " (af " + strconv.FormatFloat(max, 'f', -1, 64) + ")")
	rows := rowsOf(r, plan, year)
	if len(rows) == 0 {
		t.Fatalf("plan %s: no rows for its year", plan)
	}
	for _, row := range rows {
		checkFigures(t, s, s.rowOf(row.Label), firstPeriodCol, row)
	}
}

// checkSheetNames holds a workbook's sheet names to Excel's rules: 1 to 31 UTF-16 units, none of
// []:*?/\, no apostrophe first or last, not History, no two alike in any letter case.
func checkSheetNames(t *testing.T, names []string) {
	t.Helper()
	for i, name := range names {
		if n := len(utf16.Encode([]rune(name))); n == 0 || n > 31 {
			t.Errorf("sheet %q: %d characters", name, n)
		}
		if strings.ContainsAny(name, `[]:*?/\`) || strings.HasPrefix(name, "'") || strings.HasSuffix(name, "'") ||
			strings.EqualFold(name, "History") {
			t.Errorf("sheet %q: not a name Excel accepts", name)
		}
		for _, other := range names[:i] {
			if strings.EqualFold(name, other) {
				t.Errorf("sheets %q and %q are one name to Excel", other, name)
			}
		}
	}
}

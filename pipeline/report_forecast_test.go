package pipeline

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestAtRiskAndForecastOutputs: a run writes the at_risk_csv output from the published lake's
// at_risk view, the most urgent first (deadline, then case), with a case id a spreadsheet
// would run neutralised; and the HTML report's and the workbook's "Forventet målopfyldelse"
// part show the forecast view's figures and the at-risk counts. The cases are TestAtRisk's
// (a DST night, a case decided after the as-of date) and one whose id begins with "=".
func TestAtRiskAndForecastOutputs(t *testing.T) {
	rows := `
		DST-CET,fasttrack,ja,,,2024-03-30T23:30:00Z,,
		DST-CEST,fasttrack,ja,,,2024-03-31T22:30:00Z,,
		LATE,fasttrack,ja,,,2024-03-01,,
		DONE,fasttrack,ja,,,2024-03-29,2024-04-20,
		LATER,fasttrack,ja,,,2024-03-29,2024-04-30,
		FAR,fasttrack,ja,,,2024-04-20,,
		=1+1,fasttrack,ja,,,2024-03-27,,
		OLD,fasttrack,ja,,,2023-11-20,,`
	body := `plans: [2024]
sources:
  - {name: export, kind: csv, path: cases.csv}
outputs:
  - {kind: at_risk_csv, path: out/at_risk.csv}
  - {kind: html, path: out/scorecard.html}
  - {kind: xlsx, path: out/scorecard.xlsx}
`
	f := newFixture(t, body, map[string]string{"cases.csv": caseHeader + dedent(rows)})
	f.run("2024-04-25")
	data, err := os.ReadFile(filepath.Join(f.dir, "out", "at_risk.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, c := range []string{
		"OLD,export,2023-11-20,2023-12-21,-126,157", "LATE,export,2024-03-01,2024-04-01,-24,55",
		"'=1+1,export,2024-03-27,2024-04-27,2,29", "LATER,export,2024-03-29,2024-04-29,4,27",
		"DST-CET,export,2024-03-31,2024-05-01,6,25", "DST-CEST,export,2024-04-01,2024-05-02,7,24",
	} {
		for _, target := range []string{"erhverv.alle", "erhverv.fasttrack"} {
			want = append(want, "2024,"+target+","+c+",2024-04-25")
		}
	}
	header := "plan,target_id,case_id,source,submitted_date,deadline,days_left,age_days,as_of"
	if got := strings.TrimSpace(string(data)); got != header+"\n"+strings.Join(want, "\n") {
		t.Errorf("at_risk.csv:\n%s\nwant:\n%s\n%s", got, header, strings.Join(want, "\n"))
	}
	// The service targets' rows (the other kinds' rows have no target_days).
	forecast := f.query("SELECT * FROM forecast WHERE plan = '2024' AND target_days IS NOT NULL ORDER BY target_id")
	if len(forecast) != 3 {
		t.Fatalf("forecast: %d target rows, want 3", len(forecast))
	}
	risk := map[string][2]int64{"erhverv.alle": {6, 2}, "erhverv.fasttrack": {6, 2}, "eu.1": {0, 0}}
	checkForecastHTML(t, filepath.Join(f.dir, "out", "scorecard.html"), forecast, risk)
	checkForecastSheet(t, filepath.Join(f.dir, "out", "scorecard.xlsx"), forecast, risk)
}

// reportForecastAttrs matches a target's row of the report's forecast part.
var reportForecastAttrs = regexp.MustCompile(`data-fc-target="([^"]*)" data-today="([^"]*)" data-expected="([^"]*)" ` +
	`data-pct-low="[^"]*" data-pct-high="[^"]*" data-p-met="([^"]*)" data-needed="[^"]*" ` +
	`data-at-risk="([^"]*)" data-late="([^"]*)"`)

// checkForecastHTML: the report's forecast rows show the view's counts and shares (today's
// and the expected one cut to one decimal, the chance in percent) and the at-risk counts.
func checkForecastHTML(t *testing.T, path string, forecast []map[string]any, risk map[string][2]int64) {
	t.Helper()
	page, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(page, []byte(`data-forecast-plan="2024" data-finished="false"`)) {
		t.Fatal("the report has no forecast part for plan 2024")
	}
	got := map[string]string{}
	for _, m := range reportForecastAttrs.FindAllStringSubmatch(string(page), -1) {
		got[m[1]] = strings.Join(m[2:], " ")
	}
	for _, fc := range forecast {
		id := fc["target_id"].(string)
		today := ""
		if d := fc["decided"].(int64); d > 0 {
			tenths := fc["within_target"].(int64) * 1000 / d
			today = fmt.Sprintf("%d.%d", tenths/10, tenths%10)
		}
		expected, pMet := "", ""
		if v, ok := fc["expected_pct"].(float64); ok {
			expected = fmt.Sprintf("%.1f", math.Floor(v*10+1e-9)/10)
		}
		if v, ok := fc["p_met"].(float64); ok {
			pMet = fmt.Sprintf("%.1f", 100*v)
		}
		want := fmt.Sprintf("%s %s %s %d %d", today, expected, pMet, risk[id][0], risk[id][1])
		if got[id] != want {
			t.Errorf("report, %s: %q, want %q (forecast %v)", id, got[id], want, fc)
		}
	}
}

// checkForecastSheet: the workbook's forecast sheet holds the view's figures as numbers.
func checkForecastSheet(t *testing.T, path string, forecast []map[string]any, risk map[string][2]int64) {
	t.Helper()
	wb, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	rows, err := wb.GetRows("Forventet 2024")
	if err != nil {
		t.Fatal(err)
	}
	header := rows[3]
	labels := map[string]string{"erhverv.alle": "Hele erhvervsområdet, 1. gang", "erhverv.fasttrack": "Fast-track, 1. gang", "eu.1": "EU-området"}
	raw := func(line int, name string) string {
		ref, _ := excelize.CoordinatesToCellName(slices.Index(header, name)+1, line)
		v, _ := wb.GetCellValue("Forventet 2024", ref, excelize.Options{RawCellValue: true})
		return v
	}
	for _, fc := range forecast {
		id := fc["target_id"].(string)
		line := slices.IndexFunc(rows, func(r []string) bool { return len(r) > 1 && r[1] == labels[id] }) + 1
		if line == 0 {
			t.Fatalf("no row for %s", id)
		}
		if got, want := raw(line, "Sager i risiko")+"/"+raw(line, "heraf for sent"), fmt.Sprintf("%d/%d", risk[id][0], risk[id][1]); got != want {
			t.Errorf("workbook, %s: at risk %s, want %s", id, got, want)
		}
		if got := raw(line, "Afgjort i år"); got != fmt.Sprint(fc["decided"]) {
			t.Errorf("workbook, %s: decided %s, want %v", id, got, fc["decided"])
		}
		for col, name := range map[string]string{"expected_pct": "Forventet andel ved årets udgang",
			"expected_pct_low": "80 %-interval, nedre grænse", "expected_pct_high": "80 %-interval, øvre grænse"} {
			v, ok := fc[col].(float64)
			if !ok {
				continue
			}
			if got, err := strconv.ParseFloat(raw(line, name), 64); err != nil || math.Abs(got-v/100) > 1e-12 {
				t.Errorf("workbook, %s: %s = %q, want %v", id, name, raw(line, name), v/100)
			}
		}
	}
}

package outputs

import (
	"fmt"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"scorecard/rules"
)

// forecastAttrs matches a target's row of the forecast part, with its displayed figures.
var forecastAttrs = regexp.MustCompile(`data-fc-target="([^"]*)" data-today="([^"]*)" data-expected="([^"]*)" ` +
	`data-pct-low="([^"]*)" data-pct-high="([^"]*)" data-p-met="([^"]*)" data-needed="([^"]*)" ` +
	`data-at-risk="([^"]*)" data-late="([^"]*)" data-points="([^"]*)"`)

// TestHTMLForecast: plan 2024's year runs, and its "Forventet målopfyldelse" part shows, on a
// section of its own, the expected points with their range, and per target today's share,
// the expected year-end share with its 80 % interval, the chance of meeting the target, the
// share the rest of the year needs (secured, out of reach), the cases at risk and a chart;
// plan 2020's year is over, and its part says so and shows the final figures.
func TestHTMLForecast(t *testing.T) {
	r := testReport(t)
	page := string(loadFile(t, Config{Kind: "html", Path: filepath.Join(t.TempDir(), "report.html")}, r))
	plans := htmlPlans(page)
	_, running, ok := strings.Cut(plans["2024"], `<section class="forecast" data-forecast-plan="2024" data-finished="false">`)
	if !ok {
		t.Fatal("plan 2024 has no running forecast part")
	}
	// Expected points 11.6 + 19.944 + 0.042; the range: fast-track's interval 82.17–88.93
	// straddles its 85 (0 or 20 points), the whole area's 80.4–85.9 clears 75 (20), EU's
	// 55.3–66.8 stays under 70 (0).
	for _, want := range []string{
		`data-expected-points="31.6" data-points-low="20" data-points-high="40"><strong>31,6</strong> af 60 point`,
		"spænd 20–40 point¹", "✓ 1 forventes opfyldt", "? 1 usikkert", "✗ 1 forventes ikke opfyldt",
		"Erhvervsområdet — samlet 40 point</th><th class=\"num\">31,5 af 40",
		"<strong>85,6 %</strong> <span class=\"ci\">(82,1–89,0)</span>", ">58 %<", ">86,5 %<",
		">over 99 %<", `<td class="num secured">sikret</td>`, ">under 1 %<",
		`<td class="num out">uden for rækkevidde</td>`, "heraf 2 for sent", "højst 7 dage efter 20. maj 2024",
	} {
		if !strings.Contains(running, want) {
			t.Errorf("plan 2024's forecast part lacks %q", want)
		}
	}
	today := todayAttrs(r, "2024")
	checkForecastRows(t, running, []string{
		"erhverv.fasttrack " + today["erhverv.fasttrack"] + " 85.6 82.1 89.0 58.0 86.5 2 2 11.6",
		"erhverv.alle " + today["erhverv.alle"] + " 83.2 80.4 85.9 99.7 secured 3 2 19.9",
		"eu.1 " + today["eu.1"] + " 61.0 55.3 66.8 0.2 out_of_reach 2 1 0",
	})
	checkForecastCharts(t, running, r)

	_, finished, ok := strings.Cut(plans["2020"], `<section class="forecast finished" data-forecast-plan="2020" data-finished="true">`)
	if !ok {
		t.Fatal("plan 2020 has no forecast part for its year that is over")
	}
	var points float64
	var want []string
	for _, f := range r.Forecast {
		if f.Plan == "2020" {
			want = append(want, finalAttrs(f))
			if f.ExpectedPoints != nil {
				points += *f.ExpectedPoints
			}
		}
	}
	checkForecastRows(t, finished, want)
	for _, s := range []string{"<strong>Året er afsluttet.</strong>", fmt.Sprintf(`data-expected-points="%v"`, points),
		"Endelige point for 2020", "✓ 4 opfyldt", "✗ 7 ikke opfyldt", "– 1 uden afgjorte sager"} {
		if !strings.Contains(finished, s) {
			t.Errorf("plan 2020's forecast part lacks %q", s)
		}
	}
	if strings.Contains(finished, "fc-chart") || strings.Contains(finished, "Sandsynlighed") {
		t.Error("the part of a year that is over shows forecast figures")
	}
}

// checkForecastRows compares the rows of a forecast part, in table order, with want.
func checkForecastRows(t *testing.T, part string, want []string) {
	t.Helper()
	var got []string
	for _, m := range forecastAttrs.FindAllStringSubmatch(part, -1) {
		got = append(got, strings.Join(m[1:], " "))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("forecast rows:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// todayAttrs is each target's share so far, cut to one decimal in integers.
func todayAttrs(r *Report, plan string) map[string]string {
	out := map[string]string{}
	for _, f := range r.Forecast {
		if f.Plan == plan && f.Decided > 0 {
			tenths := f.WithinTarget * 1000 / f.Decided
			out[f.TargetID] = fmt.Sprintf("%d.%d", tenths/10, tenths%10)
		}
	}
	return out
}

// finalAttrs is the row of a target whose year is over: its final share (its interval
// collapsed on it), met or not, no need and no cases at risk.
func finalAttrs(f Forecast) string {
	if f.ExpectedPct == nil {
		return f.TargetID + strings.Repeat(" ", 7) + "0 0 " // nothing decided: no figures
	}
	tenths := f.WithinTarget * 1000 / f.Decided
	share := fmt.Sprintf("%d.%d", tenths/10, tenths%10)
	high := fmt.Sprintf("%.1f", math.Ceil(*f.ExpectedPct*10)/10)
	return fmt.Sprintf("%s %s %s %s %s %.1f  0 0 %v", f.TargetID, share, share, share, high, 100**f.PMet, *f.ExpectedPoints)
}

// checkForecastCharts: each target of the running plan has a chart whose line runs through
// the months' ends, from the first with a decision to May, to today's share, and whose
// year-end point is the forecast.
func checkForecastCharts(t *testing.T, part string, r *Report) {
	t.Helper()
	figures := strings.Split(part, `data-chart-target="`)[1:]
	if len(figures) != 3 {
		t.Fatalf("%d charts, want 3", len(figures))
	}
	for _, fig := range figures {
		id, body, _ := strings.Cut(fig, `"`)
		body, _, _ = strings.Cut(body, "</figure>")
		var f *Forecast
		for i := range r.Forecast {
			if r.Forecast[i].Plan == "2024" && r.Forecast[i].TargetID == id {
				f = &r.Forecast[i]
			}
		}
		months := 0
		for _, row := range r.Rows {
			if row.Plan == "2024" && row.TargetID == id && periodKind(row.Period) == "month" && (months > 0 || row.Decided > 0) {
				months++
			}
		}
		if n := strings.Count(body, `class="ytd-dot"`); n != months || months < 4 {
			t.Errorf("%s: %d points on the line, want %d", id, n, months)
		}
		pct := 100 * float64(f.WithinTarget) / float64(f.Decided)
		last := "<title>Året til og med 20. maj 2024: " + danishPct(pct) + "</title></circle>"
		if !strings.Contains(body, last) {
			t.Errorf("%s: the line does not end at today's share %q", id, last)
		}
		point := fmt.Sprintf("<title>Forventet 31. december 2024: %s (80 %%-interval %s)</title>", danishPct(*f.ExpectedPct),
			interval(*f.ExpectedPctLow, *f.ExpectedPctHigh))
		if !strings.Contains(body, point) {
			t.Errorf("%s: no year-end point %q", id, point)
		}
	}
}

// A plan whose year has no forecast row (not begun, or a lake from before forecasts) has no
// forecast part; the other plan keeps its own.
func TestHTMLForecastOnlyWithARow(t *testing.T) {
	r := testReport(t)
	var only2024 []Forecast
	for _, f := range r.Forecast {
		if f.Plan == "2024" {
			only2024 = append(only2024, f)
		}
	}
	r.Forecast = only2024
	plans := htmlPlans(string(loadFile(t, Config{Kind: "html", Path: filepath.Join(t.TempDir(), "report.html")}, r)))
	if strings.Contains(plans["2020"], "data-forecast-plan") || !strings.Contains(plans["2024"], `data-forecast-plan="2024"`) {
		t.Error("want a forecast part for plan 2024 only")
	}
}

// The forecast rows of requirements of the other kinds (target_id a requirement's id) leave
// the targets' forecast part as it is, and alone make none: plan 2020 has only such rows here.
func TestHTMLForecastRequirementRows(t *testing.T) {
	r := testReport(t)
	var only2024 []Forecast
	for _, f := range r.Forecast {
		if f.Plan == "2024" {
			only2024 = append(only2024, f)
		}
	}
	r.Forecast = only2024
	before := htmlPlans(string(loadFile(t, Config{Kind: "html", Path: filepath.Join(t.TempDir(), "report.html")}, r)))
	one, zero := 1.0, 0.0
	for _, kind := range []struct{ plan, id string }{{"2020", "2.3"}, {"2020", "1.1"}, {"2024", "1.2"}, {"2024", "1.4"}} {
		r.Forecast = append(r.Forecast, Forecast{Plan: kind.plan, TargetID: kind.id, AsOf: r.AsOf,
			YearStart: day(2024, 1, 1), YearEnd: day(2024, 12, 31), MinPct: 100, Decided: 2, WithinTarget: 1,
			ExpectedPct: &one, ExpectedPctLow: &one, ExpectedPctHigh: &one, PMet: &zero, ExpectedPoints: &zero, MaxPoints: 5})
	}
	after := htmlPlans(string(loadFile(t, Config{Kind: "html", Path: filepath.Join(t.TempDir(), "report.html")}, r)))
	if strings.Contains(after["2020"], "data-forecast-plan") {
		t.Error("plan 2020 has a forecast part from requirement rows alone")
	}
	if after["2024"] != before["2024"] {
		t.Error("requirement rows changed plan 2024's page")
	}
	if sheets := writeWorkbook(t, r).GetSheetList(); slices.Contains(sheets, "Forventet 2020") || !slices.Contains(sheets, "Forventet 2024") {
		t.Errorf("forecast sheets %q, want Forventet 2024 only", sheets)
	}
}

func TestProbability(t *testing.T) {
	for p, want := range map[float64]string{0: "0 %", 0.0001: "under 1 %", 0.0049: "under 1 %", 0.005: "1 %",
		0.5: "50 %", 0.584: "58 %", 0.994: "99 %", 0.995: "over 99 %", 0.9999: "over 99 %", 1: "100 %"} {
		if got := probability(p); got != want {
			t.Errorf("probability(%v) = %q, want %q", p, got, want)
		}
	}
}

func TestNeededShare(t *testing.T) {
	for _, tc := range []struct {
		pct              float64
		text, class, dat string
	}{
		{-0.01, "sikret", "secured", "secured"},
		{0, "0,0 %", "", "0.0"},
		{86.42, "86,5 %", "", "86.5"}, // raised: the rest needs at least this
		{100, "100,0 %", "", "100.0"},
		{100.01, "uden for rækkevidde", "out", "out_of_reach"},
	} {
		text, class, data := neededShare(tc.pct)
		if text != tc.text || class != tc.class || data != tc.dat {
			t.Errorf("neededShare(%v) = %q %q %q, want %q %q %q", tc.pct, text, class, data, tc.text, tc.class, tc.dat)
		}
	}
}

// TestPointsAt: a year-end share earns all the points from min_pct up, else the best ladder
// step it reaches, as scorecard.sql scores a year.
func TestPointsAt(t *testing.T) {
	tg := &rules.Target{MinPct: 90, Points: 10, Ladder: []rules.Step{{MinPct: 85, Share: 0.5}, {MinPct: 80, Share: 0.25}}}
	for pct, want := range map[float64]float64{100: 10, 90: 10, 89.99999999999: 10, 89.9: 5, 85: 5, 84.9: 2.5, 80: 2.5, 79.9: 0, 0: 0} {
		if got := pointsAt(tg, pct); got != want {
			t.Errorf("pointsAt(%v) = %v, want %v", pct, got, want)
		}
	}
}

// TestPlanForecastRange: the plan's range sums the points at each target's interval ends,
// widened to hold the expected points where a target's expectation, which also weighs the
// 10 % beyond either end, lies outside them.
func TestPlanForecastRange(t *testing.T) {
	r := testReport(t)
	pl := layoutPlans(r)[1]
	set := func(id string, expected, low, high, points float64) {
		for i := range r.Forecast {
			if f := &r.Forecast[i]; f.Plan == "2024" && f.TargetID == id {
				f.ExpectedPct, f.ExpectedPctLow, f.ExpectedPctHigh, f.ExpectedPoints = &expected, &low, &high, &points
			}
		}
	}
	// Every interval clears its target, yet each target's expected points are under its 20.
	set("erhverv.fasttrack", 90, 86, 94, 19)
	set("erhverv.alle", 80, 76, 84, 18.5)
	set("eu.1", 75, 71, 79, 17)
	pf := newPlanForecast(r, &pl)
	if pf.Expected != 54.5 || pf.Low != 54.5 || pf.High != 60 || pf.Max != 60 {
		t.Errorf("expected %v, range %v–%v of %v; want 54.5, 54.5–60 of 60", pf.Expected, pf.Low, pf.High, pf.Max)
	}
	if pf.Finished || !pf.YearEnd.Equal(day(2024, 12, 31)) {
		t.Errorf("finished %v, year end %v", pf.Finished, pf.YearEnd)
	}
}

package outputs

import (
	"fmt"
	"math"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestHTML(t *testing.T) {
	r := testReport(t)
	page := string(loadFile(t, Config{Kind: "html", Path: filepath.Join(t.TempDir(), "report.html")}, r))
	checkHTMLFigures(t, page, r)
	checkHeadlines(t, page, r)
	checkOverviewIntervals(t, page, r)
	for _, needle := range []string{"http://", "https://", "src=", "@import", "url(", "<link", "<script", "<img", "<iframe"} {
		if strings.Contains(page, needle) {
			t.Errorf("the report contains %q: it must fetch nothing", needle)
		}
	}
	for _, needle := range []string{"@page { size: A4; margin: 15mm }", "Andel afgjort inden for målet",
		"Verserende sager", "heraf over målet", "✓ Opfyldt", "✗ Ikke opfyldt", `lang="da"`} {
		if !strings.Contains(page, needle) {
			t.Errorf("the report lacks %q", needle)
		}
	}
	if strings.Contains(page, "ZgotmplZ") {
		t.Error("html/template rejected a value (ZgotmplZ)")
	}
}

// periodAttrs matches the element carrying a period's displayed figures.
var periodAttrs = regexp.MustCompile(`data-period="([^"]*)" data-pct="([^"]*)" data-decided="([^"]*)" ` +
	`data-within="([^"]*)" data-points="([^"]*)" data-met="([^"]*)" data-pct-low="([^"]*)" ` +
	`data-pct-high="([^"]*)" data-excluded-pct="([^"]*)"`)

// checkHTMLFigures finds every target of every plan, and in it every
// period's figures, and compares them with the report's rows. It serves
// both the written file and the DOM a browser built from it.
func checkHTMLFigures(t *testing.T, page string, r *Report) {
	t.Helper()
	plans := htmlPlans(page)
	for _, p := range r.Plans {
		targets := htmlTargets(plans[p.ID])
		if len(targets) != len(p.Targets()) {
			t.Errorf("plan %s: %d target sections, want %d", p.ID, len(targets), len(p.Targets()))
		}
		want := map[string][]string{}
		for _, row := range r.Rows {
			if row.Plan == p.ID {
				want[row.TargetID] = append(want[row.TargetID], expectedAttrs(row))
			}
		}
		for id, rows := range want {
			var got []string
			for _, m := range periodAttrs.FindAllStringSubmatch(targets[id], -1) {
				got = append(got, strings.Join(m[1:], " "))
			}
			if strings.Join(got, "\n") != strings.Join(rows, "\n") {
				t.Errorf("plan %s target %s figures:\n%s\nwant\n%s", p.ID, id, strings.Join(got, "\n"), strings.Join(rows, "\n"))
			}
		}
	}
}

// expectedAttrs are a row's figures as the page must show them: the share
// and the excluded share cut (not rounded) to one decimal, computed here in
// integers, and the 95 % interval widened to one decimal.
func expectedAttrs(row Row) string {
	pct, points, met, low, high, excluded := "", "", "", "", "", ""
	if row.Decided > 0 {
		tenths := row.WithinTarget * 1000 / row.Decided
		pct = fmt.Sprintf("%d.%d", tenths/10, tenths%10)
	}
	if n := row.Excluded + row.Decided; n > 0 {
		tenths := row.Excluded * 1000 / n
		excluded = fmt.Sprintf("%d.%d", tenths/10, tenths%10)
	}
	if row.PctLow != nil {
		low = fmt.Sprintf("%.1f", math.Floor(*row.PctLow*10)/10)
		high = fmt.Sprintf("%.1f", math.Ceil(*row.PctHigh*10)/10)
	}
	if row.Points != nil {
		points = strconv.FormatFloat(*row.Points, 'f', -1, 64)
	}
	if row.Met != nil {
		met = strconv.FormatBool(*row.Met)
	}
	return strings.Join([]string{row.Period, pct, strconv.FormatInt(row.Decided, 10),
		strconv.FormatInt(row.WithinTarget, 10), points, met, low, high, excluded}, " ")
}

// htmlPlans splits a page into its plan sections by plan id.
func htmlPlans(page string) map[string]string {
	return splitOn(page, `<section class="plan" data-plan="`)
}

// htmlTargets splits a plan section into its target sections by target id.
func htmlTargets(plan string) map[string]string {
	out := map[string]string{}
	re := regexp.MustCompile(`<section class="target [a-z]+" data-target-id="`)
	parts := re.Split(plan, -1)
	for _, part := range parts[1:] {
		id, rest, _ := strings.Cut(part, `"`)
		out[id] = rest
	}
	return out
}

func splitOn(page, marker string) map[string]string {
	out := map[string]string{}
	parts := strings.Split(page, marker)
	for _, part := range parts[1:] {
		id, rest, _ := strings.Cut(part, `"`)
		out[id] = rest
	}
	return out
}

// checkHeadlines: each plan's headline shows the points earned for the year
// out of the plan's maximum.
func checkHeadlines(t *testing.T, page string, r *Report) {
	t.Helper()
	plans := htmlPlans(page)
	for _, p := range r.Plans {
		var got, max float64
		for _, row := range rowsOf(r, p.ID, p.ID) {
			max += row.MaxPoints
			if row.Points != nil {
				got += *row.Points
			}
		}
		want := fmt.Sprintf(`data-earned="%v" data-max="%v"><strong>%v</strong> af %v point`, got, max, got, max)
		if !strings.Contains(plans[p.ID], want) {
			t.Errorf("plan %s: no headline %q", p.ID, want)
		}
	}
}

// checkOverviewIntervals: each plan's overview shows the year's share of
// every target with its 95 % interval beside it, in Danish form.
func checkOverviewIntervals(t *testing.T, page string, r *Report) {
	t.Helper()
	plans := htmlPlans(page)
	for _, p := range r.Plans {
		_, overview, _ := strings.Cut(plans[p.ID], `<table class="overview">`)
		overview, _, _ = strings.Cut(overview, "</table>")
		n := 0
		for _, row := range rowsOf(r, p.ID, p.ID) {
			if row.PctLow == nil {
				continue
			}
			n++
			want := strings.ReplaceAll(fmt.Sprintf("%s %% <span class=\"ci\" title=\"95 %%-konfidensinterval (Wilson)\">(%.1f–%.1f)</span>",
				fmt.Sprintf("%.1f", math.Floor(*row.PctWithinTarget*10+1e-9)/10), math.Floor(*row.PctLow*10)/10, math.Ceil(*row.PctHigh*10)/10), ".", ",")
			if !strings.Contains(overview, want) {
				t.Errorf("plan %s, %s: the overview lacks %q", p.ID, row.TargetID, want)
			}
		}
		if n == 0 {
			t.Errorf("plan %s: no interval to look for", p.ID)
		}
	}
}

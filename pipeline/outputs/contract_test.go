package outputs

import (
	"fmt"
	"html"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestStatusWords(t *testing.T) {
	tests := []struct{ code, word, class string }{
		{"met", "Opfyldt", "met"},
		{"not_met", "Ikke opfyldt", "missed"},
		{"on_track", "På vej", "likely"},
		{"overdue", "Forsinket", "uncertain"},
		{"missing_data", "Mangler data", "none"},
		{"no_ladder", "Ingen pointskala", "none"},
		{"awaiting", "Afventer", "none"},
		{"something_new", "something_new", "none"}, // shown as it is, never hidden
	}
	manual := requirementOf(testReport(t).Plans[1], "1.3")
	for _, tt := range tests {
		if got := statusWord(tt.code); got != tt.word {
			t.Errorf("statusWord(%q) = %q, want %q", tt.code, got, tt.word)
		}
		q := &Requirement{Status: tt.code, MaxPoints: 5}
		row := newHTMLContractRow(contractReq{Req: manual, Row: q})
		if row.StatusText != tt.word || row.Class != tt.class {
			t.Errorf("%s: row shows %q as %q, want %q as %q", tt.code, row.StatusText, row.Class, tt.word, tt.class)
		}
	}
}

// TestSortRequirements: whatever order the lake gives, the rows come in config order, each
// plan's requirements in its order (1.5 before 2.1 though "1.5" sorts after "1.10"), then
// year, quarters and months; a requirement the plan no longer has goes last.
func TestSortRequirements(t *testing.T) {
	r := testReport(t)
	want := slices.Clone(r.Requirements)
	stray := Requirement{Plan: "2020", RequirementID: "9.9", Period: "2020"}
	want = slices.Insert(want, 8, stray) // after 2020's own, before 2024's
	got := append(slices.Clone(r.Requirements), stray)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(got), func(i, j int) { got[i], got[j] = got[j], got[i] })
	SortRequirements(r.Plans, got)
	key := func(q Requirement) string { return q.Plan + "/" + q.RequirementID + "/" + q.Period }
	if g, w := keysOf(got, key), keysOf(want, key); !slices.Equal(g, w) {
		t.Errorf("order\n%v\nwant\n%v", g, w)
	}
}

func keysOf(qs []Requirement, key func(Requirement) string) []string {
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = key(q)
	}
	return out
}

// contractRowRE matches a requirement's row of the HTML contract table.
var contractRowRE = regexp.MustCompile(`<tr data-requirement="([^"]*)" data-status="([^"]*)" data-weight="([^"]*)" data-points="([^"]*)">\s*` +
	`<td>([^<]*)</td><td>([^<]*)</td><td class="num">([^<]*)</td>\s*<td><span class="chip [a-z]+">([^<]*)</span></td>\s*` +
	`<td class="num">([^<]*)</td><td class="detail">([^<]*)</td>`)

// TestHTMLContract: each plan's page opens with its whole contract: the two sections in the
// contract's order, each requirement's title, id, weight, status in Danish, points (blank
// when NULL, never 0) and sentence, from the year row and not a quarter's, and the total.
func TestHTMLContract(t *testing.T) {
	r := testReport(t)
	page := string(loadFile(t, Config{Kind: "html", Path: filepath.Join(t.TempDir(), "report.html")}, r))
	plans := htmlPlans(page)
	tests := []struct {
		plan, total string
		rows        []string // id | title | weight | status | points | detail
	}{
		{"2020", `data-earned="41.5" data-max="100"><th colspan="2">I alt</th><td class="num">100</td><td></td><td class="num">41,5</td>`, []string{
			"1.1|Virksomhedsrettet integrationsindsats|5|Opfyldt|5|3 af 3 milepæle nået rettidigt",
			"1.2|Nationalt Center for Forebyggelse af Ekstremisme|5|Ikke opfyldt|2,5|2 af 4 milepæle nået rettidigt; 2 forsinkede",
			"1.3|Kvalitet i SIRIs sagsbehandling og afgørelser|5|Opfyldt|4|4 point indtastet (allonge 2)",
			"1.5|Servicemål|70|Ikke opfyldt|20|4 af 12 servicemål opfyldt",
			"2.1|Effektiv understøttelse af ministerbetjening og politikudvikling|5|Ingen pointskala||Sum 81 af 108 mulige fra 36 scorer; planen har endnu ingen pointskala",
			"2.2|Informationssikkerhed|5|Opfyldt|5|5 af 5 milepæle nået rettidigt",
			"2.3|God arbejdsgiveradfærd|5|Opfyldt|5|6,2 dage pr. årsværk for 2020; kravet er < 7",
		}},
		{"2024", `data-earned="57.5" data-max="100"><th colspan="2">I alt</th><td class="num">100</td><td></td><td class="num">57,5</td>`, []string{
			"1.1|Effektiv sagsbehandling|60|Ikke opfyldt|40|2 af 3 servicemål opfyldt",
			"1.2|Borgerservice|10|Opfyldt|10|80 af 95 hverdage med højst 10 dages ventetid",
			"1.3|Kvalitet i sagsbehandlingen|5|Afventer||Afventer point aftalt i allonge",
			"1.4|Forebyggelse af negativ social kontrol|10|På vej|0|1 af 3 milepæle nået rettidigt; 2 åbne",
			"2.1|Informationssikkerhed|2,5|Opfyldt|2,5|2 af 2 milepæle nået rettidigt",
			"2.2|Leverandørstyring/databehandlerforhold|2,5|Forsinket|0|0 af 2 milepæle nået rettidigt; 1 forsinket; 1 åben",
			"2.3|Intern finansiel kontrol|5|Mangler data||Ingen værdi for 2024 i statusregistret endnu",
			"2.4|Bæredygtighed|5|Opfyldt|5|1 af 1 milepæl nået rettidigt",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.plan, func(t *testing.T) {
			contract := htmlContractOf(t, plans[tt.plan])
			if i, j := strings.Index(contract, "3.1 Faglige mål"), strings.Index(contract, "3.2 Koncernfælles mål"); i < 0 || j < i {
				t.Errorf("sections at %d and %d, want 3.1 Faglige mål before 3.2 Koncernfælles mål", i, j)
			}
			var got []string
			for _, m := range contractRowRE.FindAllStringSubmatch(contract, -1) {
				if m[1] != m[6] {
					t.Errorf("row %s shows the id %q", m[1], m[6])
				}
				got = append(got, html.UnescapeString(strings.Join([]string{m[6], m[5], m[7], m[8], m[9], m[10]}, "|")))
			}
			if strings.Join(got, "\n") != strings.Join(tt.rows, "\n") {
				t.Errorf("rows\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.rows, "\n"))
			}
			if !strings.Contains(contract, tt.total) {
				t.Errorf("no total row %q", tt.total)
			}
		})
	}
	if strings.Index(page, `<section class="contract"`) > strings.Index(page, `<div class="headline">`) {
		t.Error("the page does not open with the contract")
	}
}

// htmlContractOf cuts a plan section's contract block out.
func htmlContractOf(t *testing.T, plan string) string {
	t.Helper()
	_, rest, ok := strings.Cut(plan, `<section class="contract"`)
	if !ok {
		t.Fatal("no contract block")
	}
	block, _, _ := strings.Cut(rest, "</section>")
	return block
}

// TestHTMLWaitChart: 2024 1.2's chart has a bar per measured weekday at its wait, coloured by
// the 10-day limit; the public holidays in the range are marked with their names; the
// weekdays without a measurement are marked, and have no bar.
func TestHTMLWaitChart(t *testing.T) {
	r := testReport(t)
	// Closed days: a Friday (marked), a Saturday and a public holiday (nothing to add).
	r.ClosedDays = []time.Time{day(2024, time.May, 10), day(2024, time.May, 11), day(2024, time.May, 9)}
	page := string(loadFile(t, Config{Kind: "html", Path: filepath.Join(t.TempDir(), "report.html")}, r))
	plans := htmlPlans(page)
	if strings.Contains(htmlContractOf(t, plans["2020"]), "data-wait-requirement") {
		t.Error("plan 2020 has a wait chart without an appointment_wait requirement")
	}
	_, chart, ok := strings.Cut(htmlContractOf(t, plans["2024"]), `<figure class="wait" data-wait-requirement="1.2">`)
	if !ok {
		t.Fatal("plan 2024: no chart for 1.2")
	}
	tests := []struct{ name, want string }{
		{"a holiday", `<g data-holiday="2024-03-28"><title>28. marts 2024: Skærtorsdag (helligdag)</title>`},
		{"another holiday", `<g data-holiday="2024-05-09"><title>9. maj 2024: Kristi Himmelfartsdag (helligdag)</title>`},
		{"a closed day", `<g data-holiday="2024-05-10"><title>10. maj 2024: lukket (closed_days)</title><rect class="hol"`},
		{"its letter", `dy="-3">L</text></g>`},
		{"the as-of date, a holiday", `<g data-holiday="2024-05-20"><title>20. maj 2024: 2. Pinsedag (helligdag)</title>`},
		{"a missing day", `<g data-missing="2024-02-14"><title>14. februar 2024: ingen måling (tæller som ikke opfyldt)</title>`},
		{"another missing day", `<g data-missing="2024-04-03">`},
		{"the limit", `>højst 10 dage</text>`},
		{"the count of missing days", `hverdage uden måling (2)`},
		{"the wait of 2 January (0 days) ", `data-day="2024-01-02" data-wait="0"><title>2. januar 2024: 0 dage (København)</title>`},
		{"a day over the limit", `class="bar missed"`},
	}
	for _, tt := range tests {
		if !strings.Contains(chart, tt.want) {
			t.Errorf("%s: the chart lacks %q", tt.name, tt.want)
		}
	}
	for _, absent := range []string{`data-holiday="2024-05-11"`, `9. maj 2024: lukket`, `data-day="2024-02-14"`, `data-holiday="2024-06-05"`, `data-day="2024-03-28"`, `data-day="2024-01-06"`} {
		if strings.Contains(chart, absent) {
			t.Errorf("the chart has %s", absent)
		}
	}
	bars := regexp.MustCompile(`<rect class="bar (met|missed)" [^>]*data-day="([^"]*)" data-wait="(\d+)"`).FindAllStringSubmatch(chart, -1)
	var measured int
	for _, d := range r.AppointmentDays {
		if d.WaitDays != nil {
			measured++
		}
	}
	if len(bars) != measured || measured != 93 {
		t.Fatalf("%d bars, want one per measured weekday (%d, 95 less 2)", len(bars), measured)
	}
	for _, b := range bars {
		wait, _ := strconv.Atoi(b[3])
		if want := map[bool]string{true: "met", false: "missed"}[wait <= 10]; b[1] != want {
			t.Errorf("%s: a wait of %d drawn %s", b[2], wait, b[1])
		}
	}
}

// TestWaitChartGeometry: the limit's line sits at its wait on a scale of twice the limit, and
// a day is placed by its date from 1 January.
func TestWaitChartGeometry(t *testing.T) {
	r := testReport(t)
	cl := contractLayouts(r)[1]
	var c contractReq
	for _, cr := range cl.reqs() {
		if cr.Req.ID == "1.2" {
			c = cr
		}
	}
	wc := newWaitChart(r, &cl, c)
	if want := waitBottom - 10.0/20*(waitBottom-waitTop); wc.MaxY != want {
		t.Errorf("limit at y %v, want %v (10 of 20 days)", wc.MaxY, want)
	}
	slot := (waitW - waitPlot) / 141.0 // 1 January to 20 May 2024
	if len(wc.Holidays) == 0 || wc.Holidays[0].Date != "2024-01-01" || wc.Holidays[0].X != waitPlot {
		t.Fatalf("first holiday %+v, want Nytårsdag at the plot's start", wc.Holidays)
	}
	if got := wc.Missing[0].X; fmt.Sprintf("%.6f", got) != fmt.Sprintf("%.6f", waitPlot+44*slot) {
		t.Errorf("14 February at x %v, want %v", got, waitPlot+44*slot)
	}
}

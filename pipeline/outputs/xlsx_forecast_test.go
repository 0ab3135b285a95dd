package outputs

import (
	"slices"
	"strconv"
	"testing"
)

// TestXLSXForecast: each plan's sheet is followed by its "Forventet målopfyldelse" sheet.
// Plan 2024's year runs: per target its outlook, today's share, the expected year-end share
// with its 80 % interval and chance as fractions in percentage cells, the decisions expected,
// the share the rest of the year needs (or "sikret", "uden for rækkevidde"), the cases at risk
// and the points expected and at either end of the interval, summed at the bottom. Plan 2020's
// year is over: its sheet says so and holds the final figures.
func TestXLSXForecast(t *testing.T) {
	r := testReport(t)
	f := writeWorkbook(t, r)
	s := openSheet(t, f, "Forventet 2024")
	if s.rows[0][0] != "Forventet målopfyldelse — "+r.Plans[1].Title {
		t.Errorf("A1 = %q", s.rows[0][0])
	}
	if want := "Prognose for hele 2024 (til 31. december 2024) ud fra tallene pr. 20. maj 2024 (2024-05-20) · kørsel " + fixtureRunID; s.rows[1][0] != want {
		t.Errorf("A2 = %q, want %q", s.rows[1][0], want)
	}
	header := s.rows[forecastHeaderRows-1]
	col := func(name string) int {
		i := slices.Index(header, name)
		if i < 0 {
			t.Fatalf("no column %q in %q", name, header)
		}
		return i + 1
	}
	year := map[string]*Row{}
	for _, id := range []string{"erhverv.fasttrack", "erhverv.alle", "eu.1"} {
		year[id] = yearRow(r, "2024", id)
	}
	for _, tc := range []struct {
		label, id, outlook, needed string
		expected, low, high, pMet  float64
		decisions, risk, late      string
		points, lowPts, highPts    float64
	}{
		{"Fast-track, 1. gang", "erhverv.fasttrack", "? Usikkert", "0.8642", 0.8564, 0.8217, 0.8893, 0.58, "412.5", "2", "2", 11.6, 0, 20},
		{"Hele erhvervsområdet, 1. gang", "erhverv.alle", "✓ Forventes opfyldt", "sikret", 0.832, 0.804, 0.859, 0.9972, "1210", "3", "2", 19.944, 20, 20},
		{"EU-området", "eu.1", "✗ Forventes ikke opfyldt", "uden for rækkevidde", 0.6105, 0.553, 0.668, 0.0021, "96.25", "2", "1", 0.042, 0, 0},
	} {
		line := s.rowOf(tc.label)
		y := year[tc.id]
		for name, want := range map[string]string{
			"Udsigt": tc.outlook, "Nødvendig andel af de resterende afgørelser": tc.needed,
			"Forventede afgørelser resten af året": tc.decisions, "Sager i risiko": tc.risk, "heraf for sent": tc.late,
			"Afgjort i år": strconv.FormatInt(y.Decided, 10), "Point i alt": "20",
		} {
			if got := s.raw(col(name), line); got != want {
				t.Errorf("%s: %s = %q, want %q", tc.id, name, got, want)
			}
		}
		for name, want := range map[string]float64{
			"Andel i dag":                      float64(y.WithinTarget) / float64(y.Decided),
			"Forventet andel ved årets udgang": tc.expected, "80 %-interval, nedre grænse": tc.low,
			"80 %-interval, øvre grænse": tc.high, "Sandsynlighed for at nå kravet": tc.pMet,
			"Forventede point": tc.points, "Point ved nedre grænse": tc.lowPts, "Point ved øvre grænse": tc.highPts,
		} {
			checkClose(t, s, col(name), line, want, tc.id+" "+name)
		}
		if got := s.numFmt(col("Forventet andel ved årets udgang"), line); got != pctFormat {
			t.Errorf("%s: expected share format %q", tc.id, got)
		}
	}
	total := s.rowOf("Forventede point i alt, plan 2024 (af 60)")
	for name, want := range map[string]float64{"Forventede point": 31.586, "Point ved nedre grænse": 20,
		"Point ved øvre grænse": 40, "Point i alt": 60} {
		checkClose(t, s, col(name), total, want, "total "+name)
	}
	s.rowOf("Erhvervsområdet — samlet 40 point")
	checkFinishedSheet(t, openSheet(t, f, "Forventet 2020"), r)
}

// checkFinishedSheet: a year that is over shows each target's final counts, share and points.
func checkFinishedSheet(t *testing.T, s *xlsxSheet, r *Report) {
	t.Helper()
	if want := "Året er afsluttet (31. december 2020): tallene er årets endelige · opgjort pr. 20. maj 2024 (2024-05-20) · kørsel " + fixtureRunID; s.rows[1][0] != want {
		t.Errorf("A2 = %q, want %q", s.rows[1][0], want)
	}
	if want := []string{"Krav", "Mål", "Mål i dage", "Min. andel", "Året", "Afgjort", "Inden for målet",
		"Endelig andel inden for målet", "Point", "Point i alt"}; !slices.Equal(s.rows[forecastHeaderRows-1], want) {
		t.Errorf("header = %q, want %q", s.rows[forecastHeaderRows-1], want)
	}
	var points float64
	for _, row := range rowsOf(r, "2020", "2020") {
		line := s.rowOf(row.Label)
		mark := map[bool]string{true: "✓ Opfyldt", false: "✗ Ikke opfyldt"}
		want := []string{strconv.FormatInt(row.Decided, 10), strconv.FormatInt(row.WithinTarget, 10)}
		if got := []string{s.raw(6, line), s.raw(7, line)}; !slices.Equal(got, want) {
			t.Errorf("%s: decided, within = %q, want %q", row.TargetID, got, want)
		}
		if row.Met == nil {
			if s.raw(5, line) != "– Ingen afgjorte sager" || s.raw(8, line) != "" || s.raw(9, line) != "" {
				t.Errorf("%s: nothing decided, yet %q %q %q", row.TargetID, s.raw(5, line), s.raw(8, line), s.raw(9, line))
			}
			continue
		}
		if s.raw(5, line) != mark[*row.Met] {
			t.Errorf("%s: %q, want %q", row.TargetID, s.raw(5, line), mark[*row.Met])
		}
		checkNumber(t, s, 8, line, *row.PctWithinTarget/100, row.TargetID+" final share")
		checkNumber(t, s, 9, line, *row.Points, row.TargetID+" points")
		points += *row.Points
	}
	checkNumber(t, s, 9, s.rowOf("Point i alt, plan 2020 (af 70)"), points, "plan total")
	s.rowOf("Året er afsluttet: andelene og pointene er årets endelige, som på planens ark.")
}

// checkClose compares a number cell with want to 1e-9: a sum of the fixture's points is not
// exact in binary.
func checkClose(t *testing.T, s *xlsxSheet, col, line int, want float64, what string) {
	t.Helper()
	got, err := strconv.ParseFloat(s.raw(col, line), 64)
	if err != nil || got < want-1e-9 || got > want+1e-9 {
		t.Errorf("%s: cell (%d,%d) = %q, want %v", what, col, line, s.raw(col, line), want)
	}
}

package pipeline

import (
	"fmt"
	"math"
	"testing"
	"time"

	"scorecard/pipeline/period"
)

func fmtPct(p *float64) string {
	if p == nil {
		return "NULL"
	}
	return fmt.Sprintf("%.4f", *p)
}

// TestForecastFromTheLake: a run's forecast counts the year to date and the backlog as the
// year row of the scorecard does, and a rerun gives the same forecast.
func TestForecastFromTheLake(t *testing.T) {
	rows := caseRows("A", "fasttrack", "ja", "2024-03-15", []int{1, 5, 10, 31, 32, 40}) +
		caseRows("B", "fasttrack", "ja", "2024-05-20", []int{3, 30, 50}) +
		"OPEN-1,fasttrack,ja,,,2024-06-20,,\n" + // in time on 30 June
		"OPEN-2,fasttrack,ja,,,2024-05-01,,\n" + // late
		"LATER,fasttrack,ja,,,2024-06-25,2024-07-10,\n" // decided after the as-of date: open
	f := csvFixture(t, rows, "2024")
	f.run("2024-06-30")
	got := f.query("SELECT * FROM forecast WHERE target_id = 'erhverv.fasttrack'")
	if len(got) != 1 {
		t.Fatalf("forecast rows: %v", got)
	}
	fc := got[0]
	year := f.scorecardRow("2024", "erhverv.fasttrack", "2024")
	for col, want := range map[string]any{
		"decided": year["decided"], "within_target": year["within_target"],
		"backlog": year["pending"], "backlog_late": year["pending_breached"],
	} {
		if fc[col] != want {
			t.Errorf("forecast %s = %v, the year row says %v", col, fc[col], want)
		}
	}
	if s := fmt.Sprint(fc["decided"], fc["within_target"], fc["backlog"], fc["backlog_late"], fc["backlog_in_time"]); s != "9 6 3 1 2" {
		t.Errorf("decided within backlog late in_time: %s", s)
	}
	if got, want := fc["best_case_pct"].(float64), 100*8.0/12; math.Abs(got-want) > 1e-9 {
		t.Errorf("best_case_pct %v, want %v", got, want)
	}
	if got, want := fc["worst_case_pct"].(float64), 100*6.0/12; math.Abs(got-want) > 1e-9 {
		t.Errorf("worst_case_pct %v, want %v", got, want)
	}
	if fc["as_of"].(time.Time).Format(period.DateLayout) != "2024-06-30" {
		t.Errorf("as_of %v", fc["as_of"])
	}
	first := fmt.Sprint(f.query("SELECT * EXCLUDE (run_id) FROM forecast ORDER BY ALL"))
	f.full = true
	f.run("2024-06-30")
	if again := fmt.Sprint(f.query("SELECT * EXCLUDE (run_id) FROM forecast ORDER BY ALL")); again != first {
		t.Errorf("a rerun changed the forecast:\n%s\n%s", first, again)
	}
	// The 2020 plan's year is long over, and the forecast of a plan whose year has not begun
	// is not made.
	if n := f.query("SELECT count(*) AS n FROM forecast WHERE year_start > as_of")[0]["n"]; n != int64(0) {
		t.Errorf("%v forecasts of years not begun", n)
	}
}

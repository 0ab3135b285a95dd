package outputs

import (
	"fmt"
	"math"
	"testing"
	"time"

	"scorecard/rules"
)

// The fixture: plans 2020 (a whole year, every quarter and month) and 2024
// (year to date at 2024-05-20: two quarters, five months), with figures that
// meet some targets and miss others, and NULL figures where nothing was
// decided (2020's Ph.d. target all year, some months of others).

var (
	fixtureComputed = time.Date(2024, 5, 21, 3, 4, 5, 123456000, time.UTC)
	fixtureAsOf     = day(2024, 5, 20)
	fixtureRunID    = "20240521T030405Z-abc123"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func testReport(t *testing.T) *Report {
	t.Helper()
	r := &Report{
		RunID: fixtureRunID, AsOf: fixtureAsOf, ComputedAt: fixtureComputed,
		Catalogue: rules.BuiltinCatalogue(),
		Quarantine: []QuarantineCount{
			{Source: "export", Reason: "bad_date", Rows: 3},
			{Source: "export", Reason: "unknown_case_type", Rows: 12},
			{Source: "legacy", Reason: "missing_case_id", Rows: 1},
		},
		Run: Lineage{
			Command: "run", Version: "v1.2.3", Timezone: "Europe/Copenhagen",
			StartedAt: time.Date(2024, 5, 21, 3, 0, 0, 0, time.UTC),
			EndedAt:   time.Date(2024, 5, 21, 3, 4, 30, 0, time.UTC),
			Sources: []SourceCount{
				{Source: "export", Kind: "csv", FilesLanded: 2, RowsRead: 120000, RowsQuarantined: 15, RowsWritten: 119985},
				{Source: "legacy", Kind: "postgres", FilesLanded: 1, RowsRead: 5000, RowsQuarantined: 1, RowsWritten: 4999},
			},
		},
	}
	for _, id := range []string{"2020", "2024"} {
		p, err := rules.LoadPlan(id, "", r.Catalogue)
		if err != nil {
			t.Fatal(err)
		}
		r.Plans = append(r.Plans, p)
		r.Run.Plans = append(r.Run.Plans, PlanFile{Plan: p.ID, Source: p.Source, SHA256: p.SHA256})
	}
	r.Rows = append(r.Rows, planRows(r.Plans[0], day(2020, 12, 31))...)
	r.Rows = append(r.Rows, planRows(r.Plans[1], fixtureAsOf)...)
	r.Forecast, r.AtRisk, r.AtRiskDays = fixtureForecasts(r), fixtureAtRisk(), 7
	r.AppointmentDays = fixtureAppointmentDays(t)
	r.Requirements = fixtureRequirements(r)
	return r
}

// monthFigures are one target's cases of one month.
type monthFigures struct{ decided, within, pending, breached int64 }

// offsets move a month's share around the target's min_pct, so some months
// meet it and some miss it; one lands exactly on it.
var offsets = []float64{4, -3, 8, 0, -11, 2, 6, -1}

func fixtureMonth(p *rules.Plan, ti, m int, tg *rules.Target) monthFigures {
	if p.ID == "2020" && tg.ID == "studie.phd" || (ti+m)%7 == 3 {
		return monthFigures{pending: int64(ti + m), breached: int64(m % 2)}
	}
	decided := int64(40 + (ti*17+m*29)%90)
	pct := min(tg.MinPct+offsets[(ti+m)%len(offsets)], 100)
	within := int64(float64(decided) * pct / 100)
	if offsets[(ti+m)%len(offsets)] == 0 {
		within = int64(tg.MinPct) // decided 100 below: exactly on the threshold
		decided = 100
	}
	return monthFigures{decided, within, int64(30 + ti*3 + m), int64((ti + m) % 5)}
}

// planRows makes every target's rows: the year, the quarters and the months
// up to asOf, each period's figures summed from its months.
func planRows(p *rules.Plan, asOf time.Time) []Row {
	var rows []Row
	last := int(asOf.Month())
	for ti, ref := range p.Targets() {
		months := make([]monthFigures, last+1)
		for m := 1; m <= last; m++ {
			months[m] = fixtureMonth(p, ti, m, ref.Target)
		}
		add := func(period string, start time.Time, from, to int) {
			rows = append(rows, fixtureRow(p, ref, period, start, asOf, months[from:to+1]))
		}
		add(fmt.Sprint(p.Year), day(p.Year, 1, 1), 1, last)
		for q := 1; q <= (last+2)/3; q++ {
			add(fmt.Sprintf("%d-Q%d", p.Year, q), day(p.Year, time.Month(3*q-2), 1), 3*q-2, min(3*q, last))
		}
		for m := 1; m <= last; m++ {
			add(fmt.Sprintf("%d-%02d", p.Year, m), day(p.Year, time.Month(m), 1), m, m)
		}
	}
	return rows
}

func fixtureRow(p *rules.Plan, ref rules.TargetRef, period string, start, asOf time.Time, months []monthFigures) Row {
	tg := ref.Target
	row := Row{
		Plan: p.ID, RequirementID: ref.Requirement.ID, TargetID: tg.ID, Label: tg.Label, Period: period,
		PeriodStart: start, TargetDays: tg.TargetDays, MinPct: tg.MinPct, MaxPoints: tg.Points,
		Excluded: int64(len(period)), RunID: fixtureRunID, ComputedAt: fixtureComputed,
	}
	if p.ID == "2020" && tg.ID == "studie.phd" {
		row.Excluded = 0 // nothing decided, nothing excluded: every share NULL
	}
	for _, m := range months {
		row.Decided += m.decided
		row.WithinTarget += m.within
	}
	lastMonth := months[len(months)-1]
	row.Pending, row.PendingBreached = lastMonth.pending, lastMonth.breached
	periodLast := periodLastDay(period, start)
	row.PeriodEnd, row.PeriodComplete = periodLast, !asOf.Before(periodLast)
	if asOf.Before(periodLast) {
		row.PeriodEnd = asOf
	}
	if row.Decided > 0 {
		pct := 100 * float64(row.WithinTarget) / float64(row.Decided)
		met := row.WithinTarget*10000 >= tg.MinPctHundredths()*row.Decided
		points := 0.0
		if met {
			points = tg.Points
		}
		row.PctWithinTarget, row.Met, row.Points = &pct, &met, &points
		low, high := fixtureWilson(row.WithinTarget, row.Decided)
		row.PctLow, row.PctHigh = &low, &high
	}
	if row.Excluded+row.Decided > 0 {
		excl := 100 * float64(row.Excluded) / float64(row.Excluded+row.Decided)
		row.ExcludedPct = &excl
	}
	return row
}

// fixtureWilson is the 95 % Wilson score interval of k of n in percent (SPEC §8), for the
// fixture's rows; the pipeline's tests hold scorecard.sql's to published values.
func fixtureWilson(k, n int64) (low, high float64) {
	const z = 1.959964
	p, nf := float64(k)/float64(n), float64(n)
	centre := (p + z*z/(2*nf)) / (1 + z*z/nf)
	half := z * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf)) / (1 + z*z/nf)
	return max(0, 100*(centre-half)), min(100, 100*(centre+half))
}

func periodLastDay(period string, start time.Time) time.Time {
	switch periodKind(period) {
	case "year":
		return start.AddDate(1, 0, -1)
	case "quarter":
		return start.AddDate(0, 3, -1)
	}
	return start.AddDate(0, 1, -1)
}

// The fixture covers what the loaders must handle: met, missed and NULL
// figures, a whole year and a year to date, and rows with no share at all.
func TestFixtureCoverage(t *testing.T) {
	r := testReport(t)
	count := map[string]int{}
	for _, row := range r.Rows {
		switch {
		case row.Met == nil:
			count["null"]++
		case *row.Met:
			count["met"]++
		default:
			count["missed"]++
		}
		if !row.PeriodComplete {
			count["partial"]++
		}
		if row.ExcludedPct == nil {
			count["no excluded_pct"]++
		}
	}
	for _, k := range []string{"null", "met", "missed", "partial", "no excluded_pct"} {
		if count[k] == 0 {
			t.Errorf("the fixture has no %s rows", k)
		}
	}
}

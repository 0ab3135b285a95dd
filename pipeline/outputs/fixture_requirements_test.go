package outputs

import (
	"fmt"
	"testing"
	"time"

	"scorecard/rules"
)

// The requirements fixture: every requirement of plans 2020 (the whole year) and 2024 (to
// 2024-05-20), with every status of SPEC §9, an assessment without a ladder (points NULL),
// manual points awaited (NULL), and quarter and month rows whose figures differ from the
// year's, which the contract tables must not show. 2024 1.2's days are weekdays from 2
// January with a wait cycling 0..12 days and two weekdays not measured.

// fixtureMissingDays are the weekdays of 2024 1.2 without a snapshot.
var fixtureMissingDays = []time.Time{day(2024, 2, 14), day(2024, 4, 3)}

// fixtureReq is a requirement row of the fixture; points < 0 is NULL.
func fixtureReq(p *rules.Plan, id, period string, end time.Time, status string, points float64, detail string) Requirement {
	req := requirementOf(p, id)
	q := Requirement{
		Plan: p.ID, RequirementID: id, Title: req.Title, Kind: string(req.Kind), Period: period,
		PeriodEnd: end, PeriodComplete: end.Equal(periodLastDay(period, periodStart(period))),
		MaxPoints: req.Weight, Status: status, Detail: detail, RunID: fixtureRunID,
	}
	if points >= 0 {
		q.Points = &points
	}
	switch status {
	case "met", "not_met":
		met := status == "met"
		q.Met = &met
	}
	return q
}

func requirementOf(p *rules.Plan, id string) *rules.Requirement {
	for i := range p.Requirements {
		if p.Requirements[i].ID == id {
			return &p.Requirements[i]
		}
	}
	panic("fixture: no requirement " + id + " in plan " + p.ID)
}

// periodStart is the first day of "2024", "2024-Q2" or "2024-05".
func periodStart(period string) time.Time {
	var y, n int
	switch periodKind(period) {
	case "quarter":
		fmt.Sscanf(period, "%d-Q%d", &y, &n)
		return day(y, time.Month(3*n-2), 1)
	case "month":
		fmt.Sscanf(period, "%d-%d", &y, &n)
		return day(y, time.Month(n), 1)
	}
	fmt.Sscanf(period, "%d", &y)
	return day(y, 1, 1)
}

// fixtureRequirements are the requirement rows of the fixture's plans, in the order the
// pipeline hands them over (SortRequirements), given the report's scorecard rows and days.
func fixtureRequirements(r *Report) []Requirement {
	p2020, p2024 := r.Plans[0], r.Plans[1]
	end2020 := day(2020, 12, 31)
	var qs []Requirement
	add := func(q Requirement) { qs = append(qs, q) }
	add(fixtureReq(p2020, "1.1", "2020", end2020, "met", 5, "3 af 3 milepæle nået rettidigt"))
	add(fixtureReq(p2020, "1.2", "2020", end2020, "not_met", 2.5, "2 af 4 milepæle nået rettidigt; 2 forsinkede"))
	add(fixtureReq(p2020, "1.3", "2020", end2020, "met", 4, "4 point indtastet (allonge 2)"))
	add(caseShareReq(r, p2020, "1.5", "2020", end2020))
	add(fixtureReq(p2020, "2.1", "2020", end2020, "no_ladder", -1, "Sum 81 af 108 mulige fra 36 scorer; planen har endnu ingen pointskala"))
	add(fixtureReq(p2020, "2.2", "2020", end2020, "met", 5, "5 af 5 milepæle nået rettidigt"))
	add(fixtureReq(p2020, "2.3", "2020", end2020, "met", 5, "6,2 dage pr. årsværk for 2020; kravet er < 7"))
	add(fixtureReq(p2020, "2.3", "2020-Q4", end2020, "not_met", 0, "7,4 dage pr. årsværk for 2020-Q4; kravet er < 7"))
	add(caseShareReq(r, p2024, "1.1", "2024", fixtureAsOf))
	add(waitReq(r, p2024, "2024", day(2024, 1, 1), fixtureAsOf))
	add(waitReq(r, p2024, "2024-03", day(2024, 3, 1), day(2024, 3, 31)))
	add(fixtureReq(p2024, "1.3", "2024", fixtureAsOf, "awaiting", -1, "Afventer point aftalt i allonge"))
	add(fixtureReq(p2024, "1.4", "2024", fixtureAsOf, "on_track", 0, "1 af 3 milepæle nået rettidigt; 2 åbne"))
	add(fixtureReq(p2024, "2.1", "2024", fixtureAsOf, "met", 2.5, "2 af 2 milepæle nået rettidigt"))
	add(fixtureReq(p2024, "2.2", "2024", fixtureAsOf, "overdue", 0, "0 af 2 milepæle nået rettidigt; 1 forsinket; 1 åben"))
	add(fixtureReq(p2024, "2.3", "2024", fixtureAsOf, "missing_data", -1, "Ingen værdi for 2024 i statusregistret endnu"))
	add(fixtureReq(p2024, "2.4", "2024", fixtureAsOf, "met", 5, "1 af 1 milepæl nået rettidigt"))
	return qs
}

// caseShareReq sums the requirement's targets' rows of the period, as requirements.sql does.
func caseShareReq(r *Report, p *rules.Plan, id, period string, end time.Time) Requirement {
	var points float64
	targets, met := 0, 0
	for _, row := range r.Rows {
		if row.Plan == p.ID && row.RequirementID == id && row.Period == period {
			targets++
			if row.Points != nil {
				points += *row.Points
			}
			if row.Met != nil && *row.Met {
				met++
			}
		}
	}
	status := "not_met"
	if met == targets {
		status = "met"
	}
	return fixtureReq(p, id, period, end, status, points, fmt.Sprintf("%d af %d servicemål opfyldt", met, targets))
}

// waitReq scores 2024 1.2 over the fixture's days from start to end.
func waitReq(r *Report, p *rules.Plan, period string, start, end time.Time) Requirement {
	weekdays, metDays := 0, 0
	for _, d := range r.AppointmentDays {
		if !d.Day.Before(start) && !d.Day.After(end) {
			weekdays++
			if d.Met {
				metDays++
			}
		}
	}
	w := requirementOf(p, "1.2").Wait
	status, points := "not_met", 0.0
	if float64(metDays)*100 >= w.MinPct*float64(weekdays) {
		status, points = "met", w.Points
	}
	q := fixtureReq(p, "1.2", period, end, status, points,
		fmt.Sprintf("%d af %d hverdage med højst %d dages ventetid", metDays, weekdays, w.MaxWaitDays))
	measure, threshold := 100*float64(metDays)/float64(weekdays), w.MinPct
	q.Measure, q.Threshold = &measure, &threshold
	return q
}

// fixtureAppointmentDays are 2024 1.2's weekdays to the as-of date.
func fixtureAppointmentDays(t *testing.T) []AppointmentDay {
	t.Helper()
	cal, err := rules.NewCalendar(rules.CalendarDK)
	if err != nil {
		t.Fatal(err)
	}
	var days []AppointmentDay
	for i, d := range cal.Weekdays(day(2024, 1, 1), fixtureAsOf) {
		ad := AppointmentDay{Plan: "2024", RequirementID: "1.2", Day: d, RunID: fixtureRunID}
		if !isMissingDay(d) {
			wait := i * 7 % 13
			ad.Site, ad.WaitDays, ad.Met = "København", &wait, wait <= 10
		}
		days = append(days, ad)
	}
	return days
}

func isMissingDay(d time.Time) bool {
	for _, m := range fixtureMissingDays {
		if m.Equal(d) {
			return true
		}
	}
	return false
}

// Package period holds the dates of the domain: the date layout, local dates in the configured
// zone, a plan's reporting periods (its year, quarters and months) and a backfill's window.
package period

import (
	"fmt"
	"time"
)

// DateLayout is how dates are written everywhere: in flags, SQL literals and outputs.
const DateLayout = "2006-01-02"

// Period is one reporting period of a plan: its year, a quarter or a month.
type Period struct {
	Name     string    // "2024", "2024-Q2", "2024-05"
	Start    time.Time // first day (a date at UTC midnight)
	End      time.Time // last day, or the as-of date while the period is not over
	Complete bool      // the as-of date has reached the period's last day
	// Group is the scorecard partition the period is stored in: the year row alone, each
	// quarter with its months, so a backfill of one quarter rewrites one partition.
	Group string
	// Last is the period's last day, whatever the as-of date.
	Last time.Time
}

// PlanPeriods returns the year, each quarter and each month of year that has begun by asOf,
// in that order (SPEC §5). asOf is a date at UTC midnight.
func PlanPeriods(year int, asOf time.Time) []Period {
	var out []Period
	add := func(name, group string, start, next time.Time) {
		if asOf.Before(start) {
			return
		}
		last := next.AddDate(0, 0, -1)
		end := last
		if asOf.Before(last) {
			end = asOf
		}
		out = append(out, Period{Name: name, Start: start, End: end, Complete: !asOf.Before(last), Group: group, Last: last})
	}
	jan1 := Date(year, time.January, 1)
	add(fmt.Sprintf("%d", year), fmt.Sprintf("%d", year), jan1, jan1.AddDate(1, 0, 0))
	for q := 0; q < 4; q++ {
		start := jan1.AddDate(0, 3*q, 0)
		add(quarterOf(start), quarterOf(start), start, start.AddDate(0, 3, 0))
	}
	for m := 0; m < 12; m++ {
		start := jan1.AddDate(0, m, 0)
		add(start.Format("2006-01"), quarterOf(start), start, start.AddDate(0, 1, 0))
	}
	return out
}

// ParseDate reads a YYYY-MM-DD date.
func ParseDate(s string) (time.Time, error) {
	d, err := time.Parse(DateLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q is not YYYY-MM-DD", s)
	}
	return d, nil
}

// LocalDate is the calendar date of t in loc, as a date at UTC midnight.
func LocalDate(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return Date(y, m, d)
}

func Date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

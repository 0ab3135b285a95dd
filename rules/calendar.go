package rules

import (
	"fmt"
	"iter"
	"maps"
	"slices"
	"strings"
	"time"
)

// CalendarDK names the Danish calendar: Monday to Friday less the Danish
// public holidays (helligdage), Store Bededag included up to and including 2023.
const CalendarDK = "dk"

// DefaultCalendar is the calendar of a plan that names none.
const DefaultCalendar = CalendarDK

// Holiday is a public holiday: a civil date (UTC midnight) and its Danish name.
type Holiday struct {
	Date time.Time
	Name string
}

// Calendar tells weekdays ("hverdage") from days off: Saturdays, Sundays, the
// public holidays of a named calendar and the closed days a config adds.
// Every date argument is read as the civil date it shows in its own location
// (time.Time.Date), so UTC midnight, the convention of the code base, is that
// day; every date returned is at UTC midnight. A Calendar is immutable and safe
// for concurrent use. The zero Calendar has no holidays and no closed days.
type Calendar struct {
	name   string
	rules  []holidayRule
	closed map[civilDay]bool
}

// UnknownCalendarError reports a calendar name that is not known, listing the
// known ones. errors.Is(err, ErrInvalid) holds for it.
type UnknownCalendarError struct {
	Name string
}

// Error names the calendar and the known calendars.
func (e *UnknownCalendarError) Error() string {
	return fmt.Sprintf("unknown calendar %q; known calendars: %s",
		e.Name, strings.Join(CalendarNames(), ", "))
}

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *UnknownCalendarError) Unwrap() error { return ErrInvalid }

// holidayRule dates one public holiday in a year: a fixed day of a month, or
// an offset from Easter Sunday when month is 0. lastYear > 0 ends the rule
// after that year (the holiday was abolished).
type holidayRule struct {
	name     string
	month    time.Month
	day      int
	easter   int
	lastYear int
}

// danishHolidays are the Danish public holidays in the order they fall in a
// year. Grundlovsdag, juleaftensdag and nytårsaftensdag are not public
// holidays; a config lists them as closed days where the office closes.
var danishHolidays = []holidayRule{
	{name: "Nytårsdag", month: time.January, day: 1},
	{name: "Skærtorsdag", easter: -3},
	{name: "Langfredag", easter: -2},
	{name: "Påskedag", easter: 0},
	{name: "2. Påskedag", easter: 1},
	// Abolished from 1 January 2024 (L 13 of 2022-23, 2. samling: lov om
	// konsekvenser ved afskaffelsen af store bededag som helligdag).
	{name: "Store Bededag", easter: 26, lastYear: 2023},
	{name: "Kristi Himmelfartsdag", easter: 39},
	{name: "Pinsedag", easter: 49},
	{name: "2. Pinsedag", easter: 50},
	{name: "Juledag", month: time.December, day: 25},
	{name: "2. Juledag", month: time.December, day: 26},
}

// calendars are the calendars a plan can name, by name.
var calendars = map[string][]holidayRule{
	CalendarDK: danishHolidays,
}

// CalendarNames returns the names of the known calendars, sorted.
func CalendarNames() []string {
	return slices.Sorted(maps.Keys(calendars))
}

// NewCalendar returns the calendar called name with closedDays as further days
// off, such as 24 and 31 December or Grundlovsdag where the office closes. A
// closed day on a weekend or a holiday changes nothing. An unknown name gives
// an *UnknownCalendarError.
func NewCalendar(name string, closedDays ...time.Time) (*Calendar, error) {
	rules, ok := calendars[name]
	if !ok {
		return nil, &UnknownCalendarError{Name: name}
	}
	c := &Calendar{name: name, rules: rules, closed: make(map[civilDay]bool, len(closedDays))}
	for _, d := range closedDays {
		c.closed[dayOf(d)] = true
	}
	return c, nil
}

// Name returns the calendar's name, e.g. "dk".
func (c *Calendar) Name() string { return c.name }

// ClosedDays returns the calendar's closed days in date order, without duplicates.
func (c *Calendar) ClosedDays() []time.Time {
	days := make([]time.Time, 0, len(c.closed))
	for d := range c.closed {
		days = append(days, d.time())
	}
	slices.SortFunc(days, time.Time.Compare)
	return days
}

// IsWeekday reports whether d is a weekday: Monday to Friday, not a public
// holiday and not a closed day.
func (c *Calendar) IsWeekday(d time.Time) bool {
	if !monToFri(d) || c.IsClosed(d) {
		return false
	}
	_, holiday := c.HolidayName(d)
	return !holiday
}

// IsClosed reports whether d is one of the calendar's closed days.
func (c *Calendar) IsClosed(d time.Time) bool { return c.closed[dayOf(d)] }

// HolidayName returns the name of the public holiday on d, if d is one.
// Closed days are not public holidays and have no name here.
func (c *Calendar) HolidayName(d time.Time) (string, bool) {
	day := dayOf(d)
	easter := dayOf(Easter(day.y))
	for _, r := range c.rules {
		if on, ok := r.in(day.y, easter); ok && on == day {
			return r.name, true
		}
	}
	return "", false
}

// Holidays returns the public holidays of year in date order, Sundays included.
func (c *Calendar) Holidays(year int) []Holiday {
	easter := dayOf(Easter(year))
	var hs []Holiday
	for _, r := range c.rules {
		if on, ok := r.in(year, easter); ok {
			hs = append(hs, Holiday{Date: on.time(), Name: r.name})
		}
	}
	slices.SortStableFunc(hs, func(a, b Holiday) int { return a.Date.Compare(b.Date) })
	return hs
}

// Weekdays returns the weekdays from from to to, both included, in order;
// none when to is before from.
func (c *Calendar) Weekdays(from, to time.Time) []time.Time {
	return slices.Collect(c.weekdays(from, to))
}

// CountWeekdays returns the number of weekdays from from to to, both
// included; 0 when to is before from.
func (c *Calendar) CountWeekdays(from, to time.Time) int {
	n := 0
	for range c.weekdays(from, to) {
		n++
	}
	return n
}

// weekdays yields the weekdays of the closed range, working out each year's
// holidays once rather than once a day.
func (c *Calendar) weekdays(from, to time.Time) iter.Seq[time.Time] {
	return func(yield func(time.Time) bool) {
		year, holidays := 0, map[civilDay]bool(nil)
		last := dayOf(to).time()
		for d := dayOf(from).time(); !d.After(last); d = d.AddDate(0, 0, 1) {
			if d.Year() != year || holidays == nil {
				year, holidays = d.Year(), c.holidaySet(d.Year())
			}
			if monToFri(d) && !holidays[dayOf(d)] && !c.IsClosed(d) && !yield(d) {
				return
			}
		}
	}
}

// holidaySet returns the dates of year's public holidays.
func (c *Calendar) holidaySet(year int) map[civilDay]bool {
	set := make(map[civilDay]bool, len(c.rules))
	for _, h := range c.Holidays(year) {
		set[dayOf(h.Date)] = true
	}
	return set
}

// in returns the rule's date in year, given that year's Easter Sunday, and
// whether the holiday is kept that year.
func (r holidayRule) in(year int, easter civilDay) (civilDay, bool) {
	if r.lastYear > 0 && year > r.lastYear {
		return civilDay{}, false
	}
	if r.month != 0 {
		return civilDay{year, r.month, r.day}, true
	}
	return dayOf(easter.time().AddDate(0, 0, r.easter)), true
}

// Easter returns Easter Sunday of the Gregorian year at UTC midnight, by the
// anonymous Gregorian algorithm (Meeus/Jones/Butcher). It is meant for years
// from 1583, the first Gregorian Easter; for earlier positive years it applies
// the Gregorian rule backwards.
func Easter(year int) time.Time {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	n := h + l - 7*m + 114
	return time.Date(year, time.Month(n/31), n%31+1, 0, 0, 0, 0, time.UTC)
}

// civilDay is a date without a time or a zone, usable as a map key.
type civilDay struct {
	y int
	m time.Month
	d int
}

// dayOf returns the civil date t shows in its own location.
func dayOf(t time.Time) civilDay {
	y, m, d := t.Date()
	return civilDay{y, m, d}
}

func (d civilDay) time() time.Time { return time.Date(d.y, d.m, d.d, 0, 0, 0, 0, time.UTC) }

// monToFri reports whether t's civil date is Monday to Friday.
func monToFri(t time.Time) bool {
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

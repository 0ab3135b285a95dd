package rules_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"scorecard/rules"
)

// calDay parses a YYYY-MM-DD test date to UTC midnight, as period.ParseDate does.
func calDay(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func danishCalendar(t *testing.T, closed ...string) *rules.Calendar {
	t.Helper()
	days := make([]time.Time, len(closed))
	for i, s := range closed {
		days[i] = calDay(t, s)
	}
	c, err := rules.NewCalendar(rules.CalendarDK, days...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Easter Sundays from published tables (the 2020-2027 ones are the dates of
// the Danish holiday lists below); 1583 is the first Gregorian Easter, 1818
// and 2285 the earliest possible date, 1943 the latest, and 1954 and 1981 the
// two years of the 20th century where Gauss's formula needs its exceptions.
func TestEaster(t *testing.T) {
	for _, want := range []string{
		"1583-04-10", "1818-03-22", "1900-04-15", "1943-04-25", "1954-04-18",
		"1981-04-19", "2000-04-23", "2008-03-23", "2011-04-24",
		"2020-04-12", "2021-04-04", "2022-04-17", "2023-04-09",
		"2024-03-31", "2025-04-20", "2026-04-05", "2027-03-28",
		"2038-04-25", "2285-03-22", "4099-04-19",
	} {
		d := calDay(t, want)
		if got := rules.Easter(d.Year()); !got.Equal(d) || got.Location() != time.UTC {
			t.Errorf("Easter(%d) = %v, want %s at UTC midnight", d.Year(), got, want)
		}
	}
}

// Every Gregorian Easter is a Sunday from 22 March to 25 April.
func TestEasterRange(t *testing.T) {
	for y := 1583; y <= 4099; y++ {
		e := rules.Easter(y)
		first, last := time.Date(y, 3, 22, 0, 0, 0, 0, time.UTC), time.Date(y, 4, 25, 0, 0, 0, 0, time.UTC)
		if e.Weekday() != time.Sunday || e.Before(first) || e.After(last) {
			t.Fatalf("Easter(%d) = %s, a %s", y, e.Format(time.DateOnly), e.Weekday())
		}
	}
}

// dkHolidays are the Danish public holidays (helligdage) of 2020-2027,
// written out by hand from the published Easter Sundays above and the list of
// helligdage (borger.dk "Helligdage og højtider"), not computed by the code
// under test; 2020, 2022 and 2024 also agree with the Denmark tables of
// independent holiday libraries. Store Bededag is the fourth Friday after
// Easter up to 2023 and gone from 2024.
var dkHolidays = map[int][]rules.Holiday{
	2020: dkHolidayList("2020-01-01", "2020-04-09", "2020-04-10", "2020-04-12", "2020-04-13", "2020-05-08",
		"2020-05-21", "2020-05-31", "2020-06-01", "2020-12-25", "2020-12-26"),
	2021: dkHolidayList("2021-01-01", "2021-04-01", "2021-04-02", "2021-04-04", "2021-04-05", "2021-04-30",
		"2021-05-13", "2021-05-23", "2021-05-24", "2021-12-25", "2021-12-26"),
	2022: dkHolidayList("2022-01-01", "2022-04-14", "2022-04-15", "2022-04-17", "2022-04-18", "2022-05-13",
		"2022-05-26", "2022-06-05", "2022-06-06", "2022-12-25", "2022-12-26"),
	2023: dkHolidayList("2023-01-01", "2023-04-06", "2023-04-07", "2023-04-09", "2023-04-10", "2023-05-05",
		"2023-05-18", "2023-05-28", "2023-05-29", "2023-12-25", "2023-12-26"),
	2024: dkHolidayList("2024-01-01", "2024-03-28", "2024-03-29", "2024-03-31", "2024-04-01",
		"2024-05-09", "2024-05-19", "2024-05-20", "2024-12-25", "2024-12-26"),
	2025: dkHolidayList("2025-01-01", "2025-04-17", "2025-04-18", "2025-04-20", "2025-04-21",
		"2025-05-29", "2025-06-08", "2025-06-09", "2025-12-25", "2025-12-26"),
	2026: dkHolidayList("2026-01-01", "2026-04-02", "2026-04-03", "2026-04-05", "2026-04-06",
		"2026-05-14", "2026-05-24", "2026-05-25", "2026-12-25", "2026-12-26"),
	2027: dkHolidayList("2027-01-01", "2027-03-25", "2027-03-26", "2027-03-28", "2027-03-29",
		"2027-05-06", "2027-05-16", "2027-05-17", "2027-12-25", "2027-12-26"),
}

// dkHolidayList names the dates of one year's list: eleven with Store Bededag
// (up to 2023), ten without.
func dkHolidayList(dates ...string) []rules.Holiday {
	names := []string{"Nytårsdag", "Skærtorsdag", "Langfredag", "Påskedag", "2. Påskedag",
		"Store Bededag", "Kristi Himmelfartsdag", "Pinsedag", "2. Pinsedag", "Juledag", "2. Juledag"}
	if len(dates) == 10 {
		names = slices.Delete(names, 5, 6)
	}
	hs := make([]rules.Holiday, len(dates))
	for i, s := range dates {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			panic(err)
		}
		hs[i] = rules.Holiday{Date: d, Name: names[i]}
	}
	return hs
}

// holidayWeekday checks the hand-written table itself: each movable holiday
// falls on its day of the week.
var holidayWeekday = map[string]time.Weekday{
	"Skærtorsdag": time.Thursday, "Langfredag": time.Friday, "Påskedag": time.Sunday,
	"2. Påskedag": time.Monday, "Store Bededag": time.Friday, "Kristi Himmelfartsdag": time.Thursday,
	"Pinsedag": time.Sunday, "2. Pinsedag": time.Monday,
}

func TestCalendarHolidaysDK(t *testing.T) {
	c := danishCalendar(t)
	for year := 2020; year <= 2027; year++ {
		want := dkHolidays[year]
		for _, h := range want {
			if wd, ok := holidayWeekday[h.Name]; ok && h.Date.Weekday() != wd {
				t.Fatalf("test table: %s %s is a %s", h.Name, h.Date.Format(time.DateOnly), h.Date.Weekday())
			}
		}
		got := c.Holidays(year)
		if !slices.EqualFunc(got, want, sameHoliday) {
			t.Errorf("Holidays(%d) =\n%s\nwant\n%s", year, showHolidays(got), showHolidays(want))
		}
		for _, h := range want {
			name, ok := c.HolidayName(h.Date)
			if !ok || name != h.Name {
				t.Errorf("HolidayName(%s) = %q, %v; want %q", h.Date.Format(time.DateOnly), name, ok, h.Name)
			}
			if c.IsWeekday(h.Date) {
				t.Errorf("IsWeekday(%s) = true on %s", h.Date.Format(time.DateOnly), h.Name)
			}
		}
	}
}

func sameHoliday(a, b rules.Holiday) bool { return a.Name == b.Name && a.Date.Equal(b.Date) }

func showHolidays(hs []rules.Holiday) string {
	lines := make([]string, len(hs))
	for i, h := range hs {
		lines[i] = h.Date.Format(time.DateOnly) + " " + h.Name
	}
	return strings.Join(lines, "\n")
}

func TestCalendarHolidayStoreBededag(t *testing.T) {
	c := danishCalendar(t)
	if name, ok := c.HolidayName(calDay(t, "2023-05-05")); !ok || name != "Store Bededag" {
		t.Errorf("HolidayName(2023-05-05) = %q, %v; want Store Bededag", name, ok)
	}
	// Easter 2024 + 26 days: an ordinary Friday now.
	d := calDay(t, "2024-04-26")
	if name, ok := c.HolidayName(d); ok || !c.IsWeekday(d) {
		t.Errorf("2024-04-26: HolidayName = %q, %v, IsWeekday = %v; want an ordinary weekday", name, ok, c.IsWeekday(d))
	}
	for year := 2024; year <= 2100; year++ {
		for _, h := range c.Holidays(year) {
			if h.Name == "Store Bededag" {
				t.Fatalf("Store Bededag in %d", year)
			}
		}
	}
}

// Days off in practice that are not public holidays are weekdays unless a
// config closes them.
func TestCalendarWeekdayNotHolidays(t *testing.T) {
	c := danishCalendar(t)
	for _, s := range []string{
		"2024-06-05", // Grundlovsdag, Wednesday
		"2024-12-24", // juleaftensdag, Tuesday
		"2024-12-31", // nytårsaftensdag, Tuesday
		"2024-05-01", // 1. maj, Wednesday
		"2023-06-05", // Grundlovsdag, Monday
	} {
		d := calDay(t, s)
		if _, ok := c.HolidayName(d); ok || !c.IsWeekday(d) {
			t.Errorf("%s should be a weekday", s)
		}
	}
	for _, s := range []string{"2024-01-06", "2024-01-07"} { // Saturday, Sunday
		if c.IsWeekday(calDay(t, s)) {
			t.Errorf("%s is a weekend day", s)
		}
	}
}

// weekdaysPerMonth is worked out by hand from a wall calendar: the months'
// Mondays to Fridays less the public holidays on them. 2023: Nytårsdag is a
// Sunday; April loses Skærtorsdag, Langfredag and 2. Påskedag (20-3); May
// loses Store Bededag, Kristi Himmelfartsdag and 2. Pinsedag (23-3); December
// loses Juledag and 2. Juledag (21-2). 2024: January loses Nytårsdag (23-1);
// March Skærtorsdag and Langfredag (21-2); April 2. Påskedag (22-1); May
// Kristi Himmelfartsdag and 2. Pinsedag (23-2); December both Christmas days (22-2).
var weekdaysPerMonth = map[int][12]int{
	2023: {22, 20, 23, 17, 20, 22, 21, 23, 21, 22, 22, 19}, // 252 = 260 - 8
	2024: {22, 21, 19, 21, 21, 20, 23, 22, 21, 23, 21, 20}, // 254 = 262 - 8
}

func TestCalendarWeekdaysPerMonth(t *testing.T) {
	c := danishCalendar(t)
	for year, want := range weekdaysPerMonth {
		total := 0
		for i, n := range want {
			first := time.Date(year, time.Month(i+1), 1, 0, 0, 0, 0, time.UTC)
			last := first.AddDate(0, 1, -1)
			if got := c.CountWeekdays(first, last); got != n {
				t.Errorf("%d-%02d: CountWeekdays = %d, want %d", year, i+1, got, n)
			}
			if got := len(c.Weekdays(first, last)); got != n {
				t.Errorf("%d-%02d: len(Weekdays) = %d, want %d", year, i+1, got, n)
			}
			total += n
		}
		jan1, dec31 := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)
		if got := c.CountWeekdays(jan1, dec31); got != total {
			t.Errorf("%d: CountWeekdays = %d, want %d", year, got, total)
		}
	}
}

func TestCalendarWeekdaysRange(t *testing.T) {
	c := danishCalendar(t)
	tests := []struct {
		from, to string
		want     []string
	}{
		// Easter 2024: Skærtorsdag to 2. Påskedag are off.
		{"2024-03-27", "2024-04-03", []string{"2024-03-27", "2024-04-02", "2024-04-03"}},
		// Across the year end: Christmas and Nytårsdag are off.
		{"2023-12-22", "2024-01-03", []string{"2023-12-22", "2023-12-27", "2023-12-28", "2023-12-29",
			"2024-01-02", "2024-01-03"}},
		{"2024-04-26", "2024-04-26", []string{"2024-04-26"}},
		{"2023-05-05", "2023-05-05", nil},
		{"2024-04-03", "2024-04-02", nil}, // to before from
	}
	for _, tt := range tests {
		got := c.Weekdays(calDay(t, tt.from), calDay(t, tt.to))
		gotS := make([]string, len(got))
		for i, d := range got {
			gotS[i] = d.Format(time.DateOnly)
			if d.Location() != time.UTC || d.Hour() != 0 {
				t.Errorf("Weekdays returned %v, want UTC midnight", d)
			}
		}
		if !slices.Equal(gotS, tt.want) {
			t.Errorf("Weekdays(%s, %s) = %v, want %v", tt.from, tt.to, gotS, tt.want)
		}
		if n := c.CountWeekdays(calDay(t, tt.from), calDay(t, tt.to)); n != len(tt.want) {
			t.Errorf("CountWeekdays(%s, %s) = %d, want %d", tt.from, tt.to, n, len(tt.want))
		}
	}
}

func TestCalendarWeekdaysClosedDays(t *testing.T) {
	c := danishCalendar(t,
		"2024-12-31", "2024-06-05", "2024-12-24", "2024-12-24", // Grundlovsdag and the two eves, one twice
		"2024-12-25", // already Juledag
		"2024-12-28", // a Saturday
	)
	june := c.CountWeekdays(calDay(t, "2024-06-01"), calDay(t, "2024-06-30"))
	december := c.CountWeekdays(calDay(t, "2024-12-01"), calDay(t, "2024-12-31"))
	year := c.CountWeekdays(calDay(t, "2024-01-01"), calDay(t, "2024-12-31"))
	if june != 19 || december != 18 || year != 251 {
		t.Errorf("with closed days: June %d, December %d, year %d; want 19, 18, 251", june, december, year)
	}
	d := calDay(t, "2024-12-24")
	if c.IsWeekday(d) || !c.IsClosed(d) {
		t.Errorf("2024-12-24: IsWeekday = %v, IsClosed = %v; want a closed day", c.IsWeekday(d), c.IsClosed(d))
	}
	if name, ok := c.HolidayName(d); ok {
		t.Errorf("HolidayName(2024-12-24) = %q; a closed day is not a public holiday", name)
	}
	if c.IsClosed(calDay(t, "2025-12-24")) {
		t.Error("a closed day is one date, not the same day every year")
	}
	var got []string
	for _, d := range c.ClosedDays() {
		got = append(got, d.Format(time.DateOnly))
	}
	want := []string{"2024-06-05", "2024-12-24", "2024-12-25", "2024-12-28", "2024-12-31"}
	if !slices.Equal(got, want) {
		t.Errorf("ClosedDays() = %v, want %v", got, want)
	}
	if plain := danishCalendar(t); plain.CountWeekdays(calDay(t, "2024-12-01"), calDay(t, "2024-12-31")) != 20 {
		t.Error("closed days of one calendar leak into another")
	}
}

// A date is the civil date it shows in its own zone: 00:30 on Juledag in
// Copenhagen is Juledag although it is still 24 December in UTC.
func TestCalendarHolidayOtherZone(t *testing.T) {
	c := danishCalendar(t)
	cet := time.FixedZone("CET", 3600)
	if name, ok := c.HolidayName(time.Date(2024, 12, 25, 0, 30, 0, 0, cet)); !ok || name != "Juledag" {
		t.Errorf("HolidayName = %q, %v; want Juledag", name, ok)
	}
	got := c.Weekdays(time.Date(2024, 4, 2, 23, 0, 0, 0, cet), time.Date(2024, 4, 2, 1, 0, 0, 0, cet))
	if len(got) != 1 || !got[0].Equal(calDay(t, "2024-04-02")) {
		t.Errorf("Weekdays within one day = %v, want [2024-04-02 UTC]", got)
	}
}

func TestCalendarUnknownName(t *testing.T) {
	if got := rules.CalendarNames(); !slices.Equal(got, []string{"dk"}) || !slices.Contains(got, rules.DefaultCalendar) {
		t.Errorf("CalendarNames() = %v, want [dk] with the default", got)
	}
	for _, name := range []string{"", "DK", "se"} {
		c, err := rules.NewCalendar(name)
		var unknown *rules.UnknownCalendarError
		if c != nil || !errors.Is(err, rules.ErrInvalid) || !errors.As(err, &unknown) || unknown.Name != name {
			t.Fatalf("NewCalendar(%q) = %v, %v; want an UnknownCalendarError", name, c, err)
		}
		want := `unknown calendar "` + name + `"; known calendars: dk`
		if err.Error() != want {
			t.Errorf("error = %q, want %q", err, want)
		}
	}
	c := danishCalendar(t)
	if c.Name() != "dk" {
		t.Errorf("Name() = %q", c.Name())
	}
}

// The zero Calendar counts Monday to Friday only.
func TestCalendarZeroWeekdays(t *testing.T) {
	var c rules.Calendar
	if !c.IsWeekday(calDay(t, "2024-12-25")) || len(c.Holidays(2024)) != 0 {
		t.Error("the zero Calendar should have no holidays")
	}
	if n := c.CountWeekdays(calDay(t, "2024-01-01"), calDay(t, "2024-12-31")); n != 262 {
		t.Errorf("zero Calendar: %d weekdays in 2024, want 262", n)
	}
}

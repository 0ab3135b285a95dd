package period

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Window is the date range a backfill redoes: cases decided in it are re-extracted and the
// scorecard partitions of the periods it overlaps are recomputed.
type Window struct {
	From, To time.Time // inclusive dates at UTC midnight
}

var quarterPattern = regexp.MustCompile(`^(\d{4})-?Q([1-4])$`)

// ParseQuarter reads 2024Q2 (or 2024-Q2) as the window of that quarter.
func ParseQuarter(s string) (Window, error) {
	m := quarterPattern.FindStringSubmatch(s)
	if m == nil {
		return Window{}, fmt.Errorf("quarter %q is not YYYYQn (for example 2024Q2)", s)
	}
	year, _ := strconv.Atoi(m[1])
	q, _ := strconv.Atoi(m[2])
	from := Date(year, time.Month(3*q-2), 1)
	return Window{From: from, To: from.AddDate(0, 3, -1)}, nil
}

// NewWindow checks a --from/--to range.
func NewWindow(from, to time.Time) (Window, error) {
	if to.Before(from) {
		return Window{}, fmt.Errorf("--to %s is before --from %s", to.Format(DateLayout), from.Format(DateLayout))
	}
	return Window{From: from, To: to}, nil
}

// Overlaps reports whether [start, end] shares a day with the window.
func (w Window) Overlaps(start, end time.Time) bool {
	return !end.Before(w.From) && !start.After(w.To)
}

// String is the window as the manifest records it.
func (w Window) String() string {
	return w.From.Format(DateLayout) + ".." + w.To.Format(DateLayout)
}

// quarterOf names the quarter holding d: 2024-Q2.
func quarterOf(d time.Time) string {
	return fmt.Sprintf("%d-Q%d", d.Year(), (int(d.Month())-1)/3+1)
}

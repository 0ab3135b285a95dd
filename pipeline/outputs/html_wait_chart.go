package outputs

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"scorecard/rules"
)

// waitChart is the geometry of an appointment_wait requirement's chart in viewBox units: the
// wait to the next free appointment on each weekday as a bar against the dashed max_wait_days
// line, from 1 January to the last day measured. The public holidays and the config's closed
// days are pale bands (they are not weekdays, so they have no bar), and a weekday without a measurement is a grey band with
// a red mark under the axis: it counts as not met, and must not look like a short wait.
type waitChart struct {
	ReqID, Title, Detail string
	W, H, Plot           float64
	Top, Bottom, PlotH   float64
	MarkY, MarkH         float64 // a missing day's red mark, under the axis
	Ticks                []tick
	MaxY                 float64
	MaxLabel             string
	Bars                 []waitBar
	Missing              []waitMark
	Holidays             []waitMark
	Months               []monthLabel
	Label                string // the chart's description for a screen reader
	Measured, Gaps       int
}

// waitBar is one measured weekday.
type waitBar struct {
	X, Y, W, H   float64
	Status, Date string
	Wait         int
	Title        string
}

// waitMark is a day drawn as a band across the plot: a holiday, a closed day or a weekday not
// measured.
type waitMark struct {
	X, W, Mid   float64 // Mid: the middle, where a day off's letter goes
	Date, Title string
	Letter      string // H for a public holiday, L (lukket) for a closed day
}

// The wait chart's size; the plot starts right of the axis labels.
const (
	waitW      = 1000
	waitH      = 170
	waitPlot   = 110
	waitTop    = 14
	waitBottom = 140
	waitMarkH  = 6 // the red mark of a missing day, under the axis
)

func newWaitChart(r *Report, cl *contractLayout, c contractReq) waitChart {
	days := appointmentDays(r, cl.Plan.ID, c.Req.ID)
	maxWait := c.Req.Wait.MaxWaitDays
	wc := waitChart{ReqID: c.Req.ID, Title: c.title(), Detail: c.detail(),
		W: waitW, H: waitH, Plot: waitPlot, Top: waitTop, Bottom: waitBottom,
		PlotH: waitBottom - waitTop, MarkY: waitBottom + 2, MarkH: waitMarkH}
	start := time.Date(cl.Plan.Year, time.January, 1, 0, 0, 0, 0, time.UTC)
	end := waitChartEnd(cl, c, days)
	n := int(end.Sub(start).Hours()/24) + 1
	slot := (wc.W - wc.Plot) / float64(n)
	x := func(d time.Time) float64 { return wc.Plot + float64(int(d.Sub(start).Hours()/24))*slot }
	top := waitScale(maxWait, days)
	y := func(v float64) float64 { return wc.Bottom - v/top*(wc.Bottom-wc.Top) }
	wc.MaxY, wc.MaxLabel = y(float64(maxWait)), fmt.Sprintf("højst %d %s", maxWait, dayWord(maxWait))
	for _, v := range []float64{0, top / 2, top} {
		t := tick{Y: y(v), Label: plainDecimal(v, 0) + " " + dayWord(int(v))}
		if math.Abs(t.Y-wc.MaxY) < 14 {
			t.Label = "" // the line's own label sits there
		}
		wc.Ticks = append(wc.Ticks, t)
	}
	wc.Holidays = waitDaysOff(c.Req.Wait.Calendar, r.ClosedDays, start, end, x, slot)
	for _, d := range days {
		if d.Day.Before(start) || d.Day.After(end) {
			continue
		}
		if d.WaitDays == nil {
			wc.Gaps++
			wc.Missing = append(wc.Missing, waitMark{X: x(d.Day), W: slot, Date: d.Day.Format(DateLayout),
				Title: danishDate(d.Day) + ": ingen måling (tæller som ikke opfyldt)"})
			continue
		}
		wc.Measured++
		wc.Bars = append(wc.Bars, newWaitBar(d, x(d.Day), slot, y))
	}
	wc.Months = waitMonths(start, end, x)
	wc.Label = fmt.Sprintf("Krav %s: ventetid pr. hverdag mod kravet %s; helligdage og hverdage uden måling er markeret",
		c.Req.ID, wc.MaxLabel)
	return wc
}

// waitChartEnd is the last day shown: the year row's end (the as-of date while the year runs),
// or the last day measured if later; the year's end when there is neither.
func waitChartEnd(cl *contractLayout, c contractReq, days []AppointmentDay) time.Time {
	end := time.Date(cl.Plan.Year, time.December, 31, 0, 0, 0, 0, time.UTC)
	var last time.Time
	if c.Row != nil {
		last = c.Row.PeriodEnd
	}
	if len(days) > 0 && days[len(days)-1].Day.After(last) {
		last = days[len(days)-1].Day
	}
	if last.Year() == cl.Plan.Year && last.Before(end) {
		return last
	}
	return end
}

// waitScale is the wait at the top of the plot: twice the limit, or the longest wait, up to
// the next multiple of 5, so the limit's line sits well inside the plot.
func waitScale(maxWait int, days []AppointmentDay) float64 {
	top := max(2*maxWait, 5)
	for _, d := range days {
		if d.WaitDays != nil {
			top = max(top, *d.WaitDays)
		}
	}
	return float64((top + 4) / 5 * 5)
}

func newWaitBar(d AppointmentDay, x, slot float64, y func(float64) float64) waitBar {
	w := max(slot*0.7, 0.6)
	b := waitBar{X: x + (slot-w)/2, W: w, Y: y(float64(*d.WaitDays)), Date: d.Day.Format(DateLayout), Wait: *d.WaitDays, Status: "missed"}
	b.H = y(0) - b.Y
	if b.H < 1 { // a wait of 0 days still shows, as a stub on the axis
		b.Y, b.H = y(0)-1, 1
	}
	if d.Met {
		b.Status = "met"
	}
	b.Title = fmt.Sprintf("%s: %d %s", danishDate(d.Day), *d.WaitDays, dayWord(*d.WaitDays))
	if d.Site != "" {
		b.Title += " (" + d.Site + ")"
	}
	return b
}

// waitDaysOff are the calendar's public holidays between start and end, and the config's
// closed days there that would otherwise be weekdays, in date order. An unknown calendar (a
// plan file the rules would refuse) marks none rather than fail the report.
func waitDaysOff(name string, closed []time.Time, start, end time.Time, x func(time.Time) float64, slot float64) []waitMark {
	cal, err := rules.NewCalendar(name)
	if err != nil {
		return nil
	}
	mark := func(d time.Time, title, letter string) waitMark {
		return waitMark{X: x(d), W: slot, Mid: x(d) + slot/2, Date: d.Format(DateLayout),
			Title: danishDate(d) + ": " + title, Letter: letter}
	}
	var out []waitMark
	for _, h := range cal.Holidays(start.Year()) {
		if !h.Date.Before(start) && !h.Date.After(end) {
			out = append(out, mark(h.Date, h.Name+" (helligdag)", "H"))
		}
	}
	for _, d := range closed {
		if !d.Before(start) && !d.After(end) && cal.IsWeekday(d) {
			out = append(out, mark(d, "lukket (closed_days)", "L"))
		}
	}
	slices.SortFunc(out, func(a, b waitMark) int { return strings.Compare(a.Date, b.Date) })
	return out
}

// waitMonths labels the first day of each month shown.
func waitMonths(start, end time.Time, x func(time.Time) float64) []monthLabel {
	var out []monthLabel
	for m := start; !m.After(end); m = m.AddDate(0, 1, 0) {
		out = append(out, monthLabel{X: x(m), Text: months[m.Month()-1][:3]})
	}
	return out
}

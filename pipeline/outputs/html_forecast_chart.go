package outputs

import (
	"fmt"
	"math"
	"strings"
)

// forecastChart is the geometry of a target's small chart on the forecast page, in viewBox
// units: each month's share within target as a pale point, the year's share so far as a line
// through the month ends, and right of December the expected year-end share with its 80 %
// interval, against the dashed min_pct line. The scale runs from Floor to 100 %: the figures
// sit near the target, and a scale from 0 would hide how near.
type forecastChart struct {
	W, H, Plot, Top, Bottom float64
	Floor                   float64 // the share at the bottom of the plot
	YearX                   float64 // where the year-end column starts, right of December
	Ticks                   []tick
	MinY                    float64
	MinLabel                string
	Monthly                 []dot // each month's own share
	Months                  []monthLabel
	Line                    string // the SVG path of the year's share so far; "" before any decision
	Dots                    []dot
	Link                    string // a dotted path from today's share to the forecast
	Point                   *forecastPoint
	Label                   string // the chart's description for a screen reader
}

type monthLabel struct {
	X    float64
	Text string
}

type dot struct {
	X, Y  float64
	Title string
}

// forecastPoint is the year-end share: its value and, while the year runs, its interval.
type forecastPoint struct {
	X, Y, LowY, HighY float64
	CapL              float64 // the interval's box: its left edge, width and height
	RangeW, RangeH    float64
	LabelY            float64 // the value's baseline: beside the point, off the dashed line
	HasRange          bool
	Value, Title      string
	Status            string
}

// The small chart's size: the year-end column is wide enough for the value beside the point.
const (
	fcW       = 300
	fcH       = 160
	fcPlot    = 40
	fcYearW   = 62
	fcTop     = 12
	fcBottom  = 138
	fcPointDX = 14
)

var monthInitials = []string{"j", "f", "m", "a", "m", "j", "j", "a", "s", "o", "n", "d"}

func newForecastChart(pl *planLayout, tf *targetForecast) forecastChart {
	c := forecastChart{W: fcW, H: fcH, Plot: fcPlot, Top: fcTop, Bottom: fcBottom, YearX: fcW - fcYearW}
	tg := tf.Layout.Target
	c.Floor = chartFloor(pl.Plan.Year, tf)
	c.MinY, c.MinLabel = c.y(tg.MinPct), danishDecimal(tg.MinPct, 2)+" %"
	for _, pct := range []float64{c.Floor, (c.Floor + 100) / 2, 100} {
		t := tick{Y: c.y(pct), Label: plainDecimal(pct, 0) + " %"}
		if math.Abs(t.Y-c.MinY) < 14 {
			t.Label = "" // the target's label sits there
		}
		c.Ticks = append(c.Ticks, t)
	}
	c.months(pl.Plan.Year, tf.Layout.Rows)
	c.point(tf)
	c.Label = fmt.Sprintf("%s: andel inden for målet pr. måned og for året hidtil, mod kravet %s", tg.Label, c.MinLabel)
	return c
}

// y is the height of a share (Floor–100) on the plot.
func (c *forecastChart) y(pct float64) float64 {
	return c.Bottom - (pct-c.Floor)/(100-c.Floor)*(c.Bottom-c.Top)
}

// chartFloor is the share at the bottom of a target's chart: a multiple of 10 at least 5
// below every share it shows and the target's, and at most 50, so that the scale is never
// shorter than half of it.
func chartFloor(year int, tf *targetForecast) float64 {
	lowest := tf.Layout.Target.MinPct
	for m := 1; m <= 12; m++ {
		if row := tf.Layout.Rows[fmt.Sprintf("%d-%02d", year, m)]; row != nil && row.PctWithinTarget != nil {
			lowest = min(lowest, *row.PctWithinTarget)
		}
	}
	if f := tf.Forecast; f != nil {
		for _, p := range []*float64{f.ExpectedPct, f.ExpectedPctLow} {
			if p != nil {
				lowest = min(lowest, *p)
			}
		}
		if f.Decided > 0 {
			lowest = min(lowest, 100*float64(f.WithinTarget)/float64(f.Decided))
		}
	}
	return math.Max(0, math.Min(50, math.Floor((lowest-5)/10)*10))
}

// slot is the width of a month's column.
func (c *forecastChart) slot() float64 { return (c.YearX - c.Plot) / 12 }

// months draws each month's share and the year's share so far at each month's end, from the
// months' counts: the share of all cases decided up to then.
func (c *forecastChart) months(year int, rows map[string]*Row) {
	var decided, within int64
	var path strings.Builder
	for m := 1; m <= 12; m++ {
		x := c.Plot + float64(m-1)*c.slot()
		c.Months = append(c.Months, monthLabel{X: x + c.slot()/2, Text: monthInitials[m-1]})
		row := rows[fmt.Sprintf("%d-%02d", year, m)]
		if row == nil {
			continue
		}
		if row.PctWithinTarget != nil {
			c.Monthly = append(c.Monthly, dot{X: x + c.slot()/2, Y: c.y(*row.PctWithinTarget),
				Title: periodLabel(row.Period, row.PeriodComplete) + ": " + danishPct(*row.PctWithinTarget)})
		}
		decided, within = decided+row.Decided, within+row.WithinTarget
		if decided == 0 {
			continue
		}
		pct := 100 * float64(within) / float64(decided)
		d := dot{X: x + c.slot()/2, Y: c.y(pct), Title: "Året til og med " + danishDate(row.PeriodEnd) + ": " + danishPct(pct)}
		if path.Len() == 0 {
			fmt.Fprintf(&path, "M%.1f %.1f", d.X, d.Y)
		} else {
			fmt.Fprintf(&path, " L%.1f %.1f", d.X, d.Y)
		}
		c.Dots = append(c.Dots, d)
	}
	c.Line = path.String()
}

// point draws the expected year-end share with its interval, and a dotted link to it from
// today's share.
func (c *forecastChart) point(tf *targetForecast) {
	f := tf.Forecast
	if f == nil || f.ExpectedPct == nil {
		return
	}
	x := c.YearX + fcPointDX
	p := &forecastPoint{X: x, CapL: x - 5, RangeW: 10, Y: c.y(*f.ExpectedPct), Value: danishPct(*f.ExpectedPct)}
	p.Status, _, _ = forecastStatus(f, false)
	p.LabelY = p.Y + 4
	switch {
	case math.Abs(p.Y-c.MinY) >= 8:
	case *f.ExpectedPct >= tf.Layout.Target.MinPct:
		p.LabelY = c.MinY - 4 // above the line the dashes would strike it through
	default:
		p.LabelY = c.MinY + 12
	}
	p.Title = "Forventet " + danishDate(f.YearEnd) + ": " + p.Value
	if f.ExpectedPctLow != nil && f.ExpectedPctHigh != nil {
		p.HasRange, p.LowY, p.HighY = true, c.y(*f.ExpectedPctLow), c.y(*f.ExpectedPctHigh)
		p.RangeH = max(p.LowY-p.HighY, 1)
		p.Title += " (80 %-interval " + interval(*f.ExpectedPctLow, *f.ExpectedPctHigh) + ")"
	}
	if n := len(c.Dots); n > 0 {
		c.Link = fmt.Sprintf("M%.1f %.1f L%.1f %.1f", c.Dots[n-1].X, c.Dots[n-1].Y, p.X, p.Y)
	}
	c.Point = p
}

package outputs

import "math"

// chart is the geometry of a target's bar chart in viewBox units: the share
// within target for each period against the dashed min_pct line. Its
// columns line up with the figures table below it (the same label width,
// one equal column per period), so the table labels the bars.
type chart struct {
	W, H        float64
	Plot        float64 // x where the plot starts; left of it are the axis labels
	Top, Bottom float64
	Ticks       []tick
	MinY        float64
	MinLabel    string
	Bars        []bar
	Dividers    []float64 // x between the year, the quarters and the months
}

type tick struct {
	Y     float64
	Label string
}

// bar is one period's bar; a period without decided cases has no bar, only
// a dash on the base line.
type bar struct {
	X, Y, W, H    float64
	CX, LY        float64 // where the value label goes
	Value, Status string
	Title         string
	HasValue      bool
	Inside        bool // the value label sits inside the top of the bar
}

// The chart's size and the share of its width left of the plot; the table's
// first column takes the same share (labelShare) so the columns line up.
const (
	chartW     = 1000
	chartH     = 116
	labelShare = 0.23
	chartTop   = 22 // room for the value label of a 100 % bar
	chartBase  = 108
)

// newChart lays out one bar per period, in the table's column order.
func newChart(minPct float64, periods []htmlPeriod) chart {
	c := chart{W: chartW, H: chartH, Plot: chartW * labelShare, Top: chartTop, Bottom: chartBase}
	c.MinY = c.y(minPct)
	c.MinLabel = "mål " + danishDecimal(minPct, 2) + " %"
	for _, pct := range []float64{0, 50, 100} {
		t := tick{Y: c.y(pct), Label: plainDecimal(pct, 0) + " %"}
		if math.Abs(t.Y-c.MinY) < 16 {
			t.Label = "" // the target's label sits there
		}
		c.Ticks = append(c.Ticks, t)
	}
	if len(periods) == 0 {
		return c
	}
	slot := (c.W - c.Plot) / float64(len(periods))
	for i, p := range periods {
		x := c.Plot + float64(i)*slot
		if i > 0 && periodKind(periods[i-1].Name) != periodKind(p.Name) {
			c.Dividers = append(c.Dividers, x)
		}
		c.Bars = append(c.Bars, c.bar(p, x, slot))
	}
	return c
}

// y is the height of a share (0–100) on the plot.
func (c *chart) y(pct float64) float64 {
	return c.Bottom - pct/100*(c.Bottom-c.Top)
}

func (c *chart) bar(p htmlPeriod, x, slot float64) bar {
	w := min(slot*0.6, 60)
	b := bar{X: x + (slot-w)/2, W: w, CX: x + slot/2, Y: c.Bottom, LY: c.Bottom - 6, Value: "–", Status: p.Status}
	b.Title = p.Label + ": ingen afgjorte sager"
	if p.share != nil {
		b.HasValue = true
		b.Y = c.y(*p.share)
		b.H = c.Bottom - b.Y
		b.LY = b.Y - 6
		if b.LY-11 <= c.MinY && c.MinY <= b.LY+4 && b.H >= 16 {
			b.Inside, b.LY = true, b.Y+12 // above the bar the dashed line would strike it through
		}
		b.Value = p.Pct
		b.Title = p.Label + ": " + p.Pct + " %"
	}
	return b
}

package outputs

import (
	"strconv"

	"scorecard/rules"
)

// htmlContract is the block a plan's page opens with: the whole contract, every requirement
// with its weight, status and points for the year, and the total of 100, then a chart of the
// daily wait of each appointment_wait requirement.
type htmlContract struct {
	Year                string
	Sections            []htmlContractSection
	Earned, Max         string // the total row, in Danish form
	DataEarned, DataMax string // the same in machine form
	Waits               []waitChart
	HasRows             bool // false: the lake has no requirement rows yet
}

type htmlContractSection struct {
	Title string
	Rows  []htmlContractRow
}

// htmlContractRow is one requirement's row; Points is "" when not known (never a silent 0).
type htmlContractRow struct {
	ID, Title, Weight, Points, Detail string
	Status, StatusText, Class         string // Status: the view's code; Class: the chip's colour
	DataPoints, DataWeight            string
}

// statusClasses colour a status's chip; the word beside it carries the meaning.
var statusClasses = map[string]string{
	"met": "met", "not_met": "missed", "on_track": "likely", "overdue": "uncertain",
}

func newHTMLContract(r *Report, cl *contractLayout) htmlContract {
	hc := htmlContract{Year: cl.Year}
	for _, s := range cl.Sections {
		hs := htmlContractSection{Title: s.Title}
		for _, c := range s.Reqs {
			hs.Rows = append(hs.Rows, newHTMLContractRow(c))
			hc.HasRows = hc.HasRows || c.Row != nil
			// Without days (a lake from before they were kept, or a year not begun) there is
			// nothing to chart; the row's sentence says what is known.
			if c.Req.Kind == rules.KindAppointmentWait && c.Req.Wait != nil && len(appointmentDays(r, cl.Plan.ID, c.Req.ID)) > 0 {
				hc.Waits = append(hc.Waits, newWaitChart(r, cl, c))
			}
		}
		hc.Sections = append(hc.Sections, hs)
	}
	earned, weights := cl.totals()
	hc.Earned, hc.Max = danishDecimal(earned, 2), danishDecimal(weights, 2)
	hc.DataEarned, hc.DataMax = plainDecimal(earned, 2), plainDecimal(weights, 2)
	return hc
}

func newHTMLContractRow(c contractReq) htmlContractRow {
	row := htmlContractRow{
		ID: c.Req.ID, Title: c.title(), Weight: danishDecimal(c.weight(), 2), Detail: c.detail(),
		Status: c.status(), StatusText: "–", Class: "none", DataWeight: plainDecimal(c.weight(), 2),
	}
	if row.Status != "" {
		row.StatusText = statusWord(row.Status)
	}
	if cls, ok := statusClasses[row.Status]; ok {
		row.Class = cls
	}
	if p := c.points(); p != nil {
		row.Points, row.DataPoints = danishDecimal(*p, 2), strconv.FormatFloat(*p, 'f', -1, 64)
	}
	return row
}

package outputs

import (
	"strconv"
	"strings"

	"scorecard/rules"
)

// contractLayout is one plan's whole contract as the contract itself lays it out: every
// requirement with its weight and its year's status and points, the professional goals (ids
// 1.x) under "3.1 Faglige mål" and the goals common to the ministry's group (ids 2.x) under
// "3.2 Koncernfælles mål". The workbook and the HTML report both open with it.
type contractLayout struct {
	Plan     *rules.Plan
	Year     string // the plan's year period, e.g. "2024": the row the contract tables show
	Sections []contractSection
}

type contractSection struct {
	Title string
	Reqs  []contractReq
}

// contractReq is one requirement of the plan and its year row; Row is nil while the lake has
// none (a lake written before the requirements were scored).
type contractReq struct {
	Req *rules.Requirement
	Row *Requirement
}

// The contract's section titles, by the first part of a requirement id.
var contractSections = []struct{ prefix, title string }{
	{"1", "3.1 Faglige mål"},
	{"2", "3.2 Koncernfælles mål"},
}

// otherSection holds requirements whose ids fit neither of the contract's sections, so that
// none is left out of the total.
const otherSection = "Øvrige krav"

// contractLayouts lays out every plan of the report, in the report's plan order.
func contractLayouts(r *Report) []contractLayout {
	years := map[[3]string]*Requirement{}
	for i := range r.Requirements {
		q := &r.Requirements[i]
		years[[3]string{q.Plan, q.RequirementID, q.Period}] = q
	}
	out := make([]contractLayout, len(r.Plans))
	for i, p := range r.Plans {
		cl := contractLayout{Plan: p, Year: strconv.Itoa(p.Year)}
		bySection := map[string][]contractReq{}
		for j := range p.Requirements {
			req := &p.Requirements[j]
			title := sectionTitle(req.ID)
			bySection[title] = append(bySection[title], contractReq{Req: req, Row: years[[3]string{p.ID, req.ID, cl.Year}]})
		}
		for _, s := range contractSections {
			if reqs := bySection[s.title]; len(reqs) > 0 {
				cl.Sections = append(cl.Sections, contractSection{Title: s.title, Reqs: reqs})
			}
		}
		if reqs := bySection[otherSection]; len(reqs) > 0 {
			cl.Sections = append(cl.Sections, contractSection{Title: otherSection, Reqs: reqs})
		}
		out[i] = cl
	}
	return out
}

// sectionTitle is the contract section a requirement id belongs to: "1.2" to 3.1.
func sectionTitle(id string) string {
	first, _, _ := strings.Cut(id, ".")
	for _, s := range contractSections {
		if first == s.prefix {
			return s.title
		}
	}
	return otherSection
}

// title is the requirement's title as the lake has it, or else the plan's.
func (c contractReq) title() string {
	if c.Row != nil && c.Row.Title != "" {
		return c.Row.Title
	}
	return c.Req.Title
}

// weight is the requirement's weight (vægt) as the lake has it, or else the plan's.
func (c contractReq) weight() float64 {
	if c.Row != nil {
		return c.Row.MaxPoints
	}
	return c.Req.Weight
}

// points are the points the year awarded; nil when not known, which the tables show blank,
// never as 0.
func (c contractReq) points() *float64 {
	if c.Row == nil {
		return nil
	}
	return c.Row.Points
}

// status is the year row's status code, "" without a row.
func (c contractReq) status() string {
	if c.Row == nil {
		return ""
	}
	return c.Row.Status
}

func (c contractReq) detail() string {
	if c.Row == nil {
		return "Ingen opgørelse i lageret endnu"
	}
	return c.Row.Detail
}

// reqs are the plan's requirements in contract order.
func (cl *contractLayout) reqs() []contractReq {
	var out []contractReq
	for _, s := range cl.Sections {
		out = append(out, s.Reqs...)
	}
	return out
}

// totals are the points awarded (those known) and the sum of the weights, 100 for a whole
// contract.
func (cl *contractLayout) totals() (earned, weights float64) {
	for _, c := range cl.reqs() {
		weights += c.weight()
		if p := c.points(); p != nil {
			earned += *p
		}
	}
	return earned, weights
}

// appointmentDays returns the days of a plan's requirement, in the report's (day) order.
func appointmentDays(r *Report, plan, reqID string) []AppointmentDay {
	var out []AppointmentDay
	for _, d := range r.AppointmentDays {
		if d.Plan == plan && d.RequirementID == reqID {
			out = append(out, d)
		}
	}
	return out
}

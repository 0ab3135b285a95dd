package outputs

import (
	"slices"
	"strconv"
	"strings"

	"scorecard/rules"
)

// planLayout is one plan arranged as the contract's table: requirements,
// their areas, the areas' targets, and the target's row per period. The
// workbook and the HTML report both draw from it.
type planLayout struct {
	Plan    *rules.Plan
	Periods []string // the periods present in the rows, year first, then quarters, then months
	Reqs    []reqLayout
}

type reqLayout struct {
	Req   *rules.Requirement
	Areas []areaLayout
}

// areaLayout is one area's block of a requirement, like "Servicemål
// erhvervs-sagsområdet — Samlet 35 points" in the 2020 contract.
type areaLayout struct {
	Area, Label string
	MaxPoints   float64
	Targets     []targetLayout
}

type targetLayout struct {
	Target *rules.Target
	Rows   map[string]*Row // by period
}

// layoutPlans arranges every plan of the report. Rows whose target is not in
// their plan (a plan file changed since the lake was written) have no place
// in the contract's table and are left to the row-wise outputs.
func layoutPlans(r *Report) []planLayout {
	rows := map[[2]string]map[string]*Row{}
	periods := map[string]map[string]bool{}
	for i := range r.Rows {
		row := &r.Rows[i]
		key := [2]string{row.Plan, row.TargetID}
		if rows[key] == nil {
			rows[key] = map[string]*Row{}
		}
		rows[key][row.Period] = row
		if periods[row.Plan] == nil {
			periods[row.Plan] = map[string]bool{}
		}
		periods[row.Plan][row.Period] = true
	}
	var out []planLayout
	for _, p := range r.Plans {
		pl := planLayout{Plan: p, Periods: sortPeriods(periods[p.ID])}
		for i := range p.Requirements {
			// The service targets only, until the other kinds are scored (issue 19).
			if p.Requirements[i].Kind != rules.KindCaseShare {
				continue
			}
			pl.Reqs = append(pl.Reqs, layoutRequirement(&p.Requirements[i], p.ID, rows, r.catalogue()))
		}
		out = append(out, pl)
	}
	return out
}

// layoutRequirement groups a requirement's targets by area, areas in the
// order their first target appears.
func layoutRequirement(req *rules.Requirement, plan string, rows map[[2]string]map[string]*Row, cat *rules.Catalogue) reqLayout {
	rl := reqLayout{Req: req}
	index := map[string]int{}
	for i := range req.Targets {
		t := &req.Targets[i]
		area := targetArea(t, cat)
		j, ok := index[area]
		if !ok {
			j = len(rl.Areas)
			index[area] = j
			rl.Areas = append(rl.Areas, areaLayout{Area: area, Label: areaLabel(area, cat)})
		}
		a := &rl.Areas[j]
		a.MaxPoints += t.Points
		a.Targets = append(a.Targets, targetLayout{Target: t, Rows: rows[[2]string{plan, t.ID}]})
	}
	return rl
}

// targetArea is the target's area, or else the area of its first case type;
// "" for a target across areas.
func targetArea(t *rules.Target, cat *rules.Catalogue) string {
	if t.Area != "" || len(t.CaseTypes) == 0 {
		return t.Area
	}
	ct, _ := cat.Lookup(t.CaseTypes[0])
	return ct.Area
}

func areaLabel(area string, cat *rules.Catalogue) string {
	if area == "" {
		return "Alle områder"
	}
	return cat.AreaLabel(area)
}

// sortPeriods orders period names year, Q1..Q4, then months.
func sortPeriods(set map[string]bool) []string {
	var ps []string
	for p := range set {
		ps = append(ps, p)
	}
	slices.SortFunc(ps, func(a, b string) int {
		if d := periodRank(a) - periodRank(b); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	return ps
}

// periodRank is 0 for "2024", 1..4 for "2024-Q1".."2024-Q4", 5..16 for
// "2024-01".."2024-12", and after them anything else.
func periodRank(p string) int {
	_, suffix, ok := strings.Cut(p, "-")
	if !ok {
		return 0
	}
	if q, found := strings.CutPrefix(suffix, "Q"); found {
		if n, err := strconv.Atoi(q); err == nil && n >= 1 && n <= 4 {
			return n
		}
	}
	if n, err := strconv.Atoi(suffix); err == nil && n >= 1 && n <= 12 {
		return 4 + n
	}
	return 100
}

// periodKind is "year", "quarter", "month" or "" for other names.
func periodKind(p string) string {
	switch n := periodRank(p); {
	case n == 0:
		return "year"
	case n <= 4:
		return "quarter"
	case n <= 16:
		return "month"
	}
	return ""
}

// targets returns every target of the plan in table order.
func (pl *planLayout) targets() []targetLayout {
	var ts []targetLayout
	for _, r := range pl.Reqs {
		for _, a := range r.Areas {
			ts = append(ts, a.Targets...)
		}
	}
	return ts
}

// yearPeriod is the plan's whole-year period, "" when no row has one.
func (pl *planLayout) yearPeriod() string {
	if len(pl.Periods) > 0 && periodKind(pl.Periods[0]) == "year" {
		return pl.Periods[0]
	}
	return ""
}

// earned sums the points the targets earned in a period; a target without
// decided cases earns none.
func earned(targets []targetLayout, period string) float64 {
	var sum float64
	for _, t := range targets {
		if row := t.Rows[period]; row != nil && row.Points != nil {
			sum += *row.Points
		}
	}
	return sum
}

// maxPoints sums the targets' points.
func maxPoints(targets []targetLayout) float64 {
	var sum float64
	for _, t := range targets {
		sum += t.Target.Points
	}
	return sum
}

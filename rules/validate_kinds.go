package rules

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The checks of the requirement kinds other than case_share (validate.go checks a plan, its
// requirements' common fields and case_share's targets; planfile.go says which kind has which
// fields).

// points checks a kind's points: required, and equal to the requirement's
// weight, as a requirement earns at most its weight.
func (c *planChecker) points(path string, r *requirementFile) {
	if c.positive(path+".points", r.Points) && isPositive(r.Weight) && math.Abs(*r.Points-*r.Weight) > 1e-9 {
		c.addf(path+".points", "must equal the weight %s, got %s", num(*r.Weight), num(*r.Points))
	}
}

// appointmentWait checks an appointment_wait requirement.
func (c *planChecker) appointmentWait(path string, r *requirementFile) {
	c.days(path+".max_wait_days", r.MaxWaitDays)
	c.pct(path+".min_pct", r.MinPct)
	c.points(path, r)
	c.oneOf(path+".sites", "sites", r.Sites, []string{string(SitesEarliest), string(SitesEach)})
	c.oneOf(path+".calendar", "calendar", r.Calendar, CalendarNames())
}

// oneOf checks an optional value against the few it may be.
func (c *planChecker) oneOf(path, what, v string, allowed []string) {
	if v != "" && !slices.Contains(allowed, v) {
		c.addf(path, "%s %q is not one of %s", what, v, strings.Join(allowed, ", "))
	}
}

// milestones checks a milestones requirement: each item due within the
// plan's year, and a ladder on the percentage done on time.
func (c *planChecker) milestones(path string, r *requirementFile) {
	if len(r.Items) == 0 {
		c.addf(path+".items", "at least one milestone is required")
	}
	ids := map[string]string{}
	for i := range r.Items {
		p := fmt.Sprintf("%s.items[%d]", path, i)
		c.item(p, &r.Items[i], ids)
		c.dueDate(p+".due", r.Items[i].Due)
	}
	c.points(path, r)
	steps := make([]stepFile, len(r.Ladder))
	for i, st := range r.Ladder {
		c.otherRungField(fmt.Sprintf("%s.ladder[%d]", path, i), "min_score", KindAssessment, KindMilestones)
		steps[i] = stepFile{MinPct: st.MinPct, Share: st.Share}
	}
	c.ladder(path+".ladder", "100 (every milestone on time)", 100, steps)
}

// item checks an item's id, unique within its requirement, and its label.
func (c *planChecker) item(path string, it *itemFile, ids map[string]string) {
	switch id := it.ID; {
	case !c.required(path+".id", id):
	case !planIDPattern.MatchString(id):
		c.addf(path+".id", "%q must match [A-Za-z0-9._-]+", id)
	default:
		c.unique(path+".id", "item", id, ids)
	}
	c.required(path+".label", it.Label)
}

// dueDate checks a milestone's due date: a date within the plan's year.
func (c *planChecker) dueDate(path, due string) {
	if !c.required(path, due) {
		return
	}
	d, err := time.Parse(time.DateOnly, due)
	switch {
	case err != nil:
		c.addf(path, "must be a date such as %d-03-31, got %q", max(c.year, 2000), due)
	case c.year != 0 && d.Year() != c.year:
		c.addf(path, "due date %s is not in the plan's year %d", due, c.year)
	}
}

// otherRungField refuses a ladder rung's field that belongs to the other
// kind whose ladder shares the key.
func (c *planChecker) otherRungField(path, field string, owner, k Kind) {
	allowed := map[Kind]string{KindMilestones: "min_pct, share", KindAssessment: "min_score, share"}[k]
	c.otherField(path, field, fmt.Sprintf("is a field of the ladder of kind %s, not of kind %s; allowed: %s", owner, k, allowed))
}

// otherField records msg at the key field of the mapping at path, if present.
func (c *planChecker) otherField(path, field, msg string) {
	for _, key := range c.keys(path) {
		if key.Value == field {
			c.problems = append(c.problems, c.problemAt(key, path+"."+field, msg))
		}
	}
}

// periodPattern matches a KPI period: a year, a quarter or a month.
var periodPattern = regexp.MustCompile(`^([0-9]{4})(-Q[1-4]|-(0[1-9]|1[0-2]))?$`)

// kpi checks a kpi requirement: periods of the plan's year, the year among
// them, and a threshold with an operator.
func (c *planChecker) kpi(path string, r *requirementFile) {
	c.periods(path+".periods", r.Periods)
	switch {
	case r.Operator == "":
		c.addf(path+".operator", "is required; one of lt, le, gt, ge")
	case !slices.Contains(Operators, Operator(r.Operator)):
		c.addf(path+".operator", "operator %q is not one of lt, le, gt, ge", r.Operator)
	}
	switch v := r.Threshold; {
	case v == nil:
		c.addf(path+".threshold", "is required")
	case math.IsNaN(*v) || math.IsInf(*v, 0):
		c.addf(path+".threshold", "must be a finite number, got %s", num(*v))
	}
	c.required(path+".unit", r.Unit)
	c.points(path, r)
}

// periods checks a KPI's periods: each a year, quarter or month of the plan's
// year, listed once, the year itself among them, as its value earns the points.
func (c *planChecker) periods(path string, periods []string) {
	if len(periods) == 0 {
		c.addf(path, "at least one period is required, such as %q", strconv.Itoa(max(c.year, 2000)))
		return
	}
	seen := map[string]bool{}
	for i, per := range periods {
		p := fmt.Sprintf("%s[%d]", path, i)
		m := periodPattern.FindStringSubmatch(per)
		switch {
		case m == nil:
			c.addf(p, "period %q is not a year, quarter or month such as 2020, 2020-Q2 or 2020-06", per)
		case c.year != 0 && m[1] != strconv.Itoa(c.year):
			c.addf(p, "period %q is not in the plan's year %d", per, c.year)
		case seen[per]:
			c.addf(p, "period %q is listed twice", per)
		}
		seen[per] = true
	}
	if year := strconv.Itoa(c.year); c.year != 0 && !seen[year] {
		c.addf(path, "must list the plan's year %q, whose value earns the points", year)
	}
}

// assessment checks an assessment requirement: its scale, scorers, highest
// sum and ladder. No ladder is allowed: the contract may not have one yet.
func (c *planChecker) assessment(path string, r *requirementFile) {
	scaleOK := c.scale(path+".scale", r.Scale)
	ids := map[string]string{}
	for i := range r.Items {
		p := fmt.Sprintf("%s.items[%d]", path, i)
		c.item(p, &r.Items[i], ids)
		c.otherField(p, "due", fmt.Sprintf("is a field of the items of kind %s, not of kind %s; allowed: id, label",
			KindMilestones, KindAssessment))
	}
	elementsOK := r.Elements == nil || c.whole(path+".elements", r.Elements, 1)
	maxOK := c.whole(path+".max_score", r.MaxScore, 1)
	if scaleOK && elementsOK && maxOK && len(r.Items) > 0 {
		elements := 1.0
		if r.Elements != nil {
			elements = *r.Elements
		}
		if want := float64(len(r.Items)) * elements * *r.Scale.Max; want != *r.MaxScore {
			c.addf(path+".max_score", "must be %d items × %s elements × scale max %s = %s, got %s",
				len(r.Items), num(elements), num(*r.Scale.Max), num(want), num(*r.MaxScore))
		}
	}
	c.points(path, r)
	if maxOK {
		c.scoreLadder(path+".ladder", *r.MaxScore, r.Ladder)
	}
}

// scale checks an assessment's scale: whole scores, 0 <= min < max.
func (c *planChecker) scale(path string, s *scaleFile) bool {
	if s == nil {
		c.addf(path, "is required, such as {min: 1, max: 3}")
		return false
	}
	minOK := c.whole(path+".min", s.Min, 0)
	if !c.whole(path+".max", s.Max, 1) || !minOK {
		return false
	}
	if *s.Max <= *s.Min {
		c.addf(path+".max", "must be above min %s, got %s", num(*s.Min), num(*s.Max))
		return false
	}
	return true
}

// whole checks a required whole number >= least.
func (c *planChecker) whole(path string, v *float64, least float64) bool {
	switch {
	case v == nil:
		c.addf(path, "is required")
	case *v < least || *v != math.Trunc(*v) || *v > math.MaxInt32:
		c.addf(path, "must be a whole number >= %s, got %s", num(least), num(*v))
	default:
		return true
	}
	return false
}

// scoreLadder checks an assessment's ladder, highest first: each min_score
// at most maxScore and below the rung before, each share in (0,1] below the
// share before.
func (c *planChecker) scoreLadder(path string, maxScore float64, rungs []rungFile) {
	prevMin, prevShare := -1.0, 2.0 // -1: no rung yet
	for i, st := range rungs {
		p := fmt.Sprintf("%s[%d]", path, i)
		c.otherRungField(p, "min_pct", KindMilestones, KindAssessment)
		if c.whole(p+".min_score", st.MinScore, 0) {
			switch {
			case *st.MinScore > maxScore:
				c.addf(p+".min_score", "must be at most max_score %s, got %s", num(maxScore), num(*st.MinScore))
			case prevMin >= 0 && *st.MinScore >= prevMin:
				c.addf(p+".min_score", "must be below the previous step's min_score %s, got %s", num(prevMin), num(*st.MinScore))
			}
			prevMin = *st.MinScore
		}
		switch v := st.Share; {
		case v == nil:
			c.addf(p+".share", "is required")
		case !(*v > 0 && *v <= 1):
			c.addf(p+".share", "must be greater than 0 and at most 1, got %s", num(*v))
		case *v >= prevShare:
			c.addf(p+".share", "must be below the previous step's share %s, got %s", num(prevShare), num(*v))
		default:
			prevShare = *v
		}
	}
}

// manual checks a manual requirement: it says where its points are agreed.
func (c *planChecker) manual(path string, r *requirementFile) {
	c.required(path+".agreed_in", r.AgreedIn)
}

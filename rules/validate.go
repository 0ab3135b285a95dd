package rules

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// planIDPattern keeps plan ids safe as Hive partition values and file names.
var planIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// planChecker checks a decoded plan as a whole, recording every problem.
type planChecker struct {
	*source
	cat  *Catalogue
	seen map[string]string // target id -> path of its first definition
}

func (c *planChecker) plan(p *planFile) {
	if p.Version != nil && *p.Version != 1 {
		c.addf("$.version", "must be 1, got %d", *p.Version)
	}
	switch {
	case p.ID == "":
		c.addf("$.id", "is required")
	case !planIDPattern.MatchString(p.ID):
		c.addf("$.id", "%q must match [A-Za-z0-9._-]+", p.ID)
	}
	switch {
	case p.Year == nil:
		c.addf("$.year", "is required")
	case *p.Year < 1900 || *p.Year > 2999:
		c.addf("$.year", "must be between 1900 and 2999, got %d", *p.Year)
	}
	if len(p.Requirements) == 0 {
		c.addf("$.requirements", "at least one requirement is required")
	}
	for i := range p.Requirements {
		c.requirement(fmt.Sprintf("$.requirements[%d]", i), &p.Requirements[i])
	}
}

func (c *planChecker) requirement(path string, r *requirementFile) {
	c.required(path+".id", r.ID)
	c.required(path+".title", r.Title)
	weightOK := c.positive(path+".weight", r.Weight)
	if len(r.Targets) == 0 {
		c.addf(path+".targets", "at least one target is required")
	}
	sum, sumOK := 0.0, true
	for i := range r.Targets {
		t := &r.Targets[i]
		c.target(fmt.Sprintf("%s.targets[%d]", path, i), t)
		if t.Points == nil {
			sumOK = false
		} else {
			sum += *t.Points
		}
	}
	if weightOK && sumOK && len(r.Targets) > 0 && math.Abs(sum-*r.Weight) > 1e-9 {
		c.addf(path+".weight", "the targets' points sum to %s, not to the weight %s", num(sum), num(*r.Weight))
	}
}

func (c *planChecker) target(path string, t *targetFile) {
	c.targetID(path+".id", t.ID)
	c.required(path+".label", t.Label)
	c.selection(path+".select", t.Select)
	switch d := t.TargetDays; {
	case d == nil:
		c.addf(path+".target_days", "is required")
	case *d < 0 || *d != math.Trunc(*d) || *d > math.MaxInt32:
		c.addf(path+".target_days", "must be a whole number of days >= 0, got %s", num(*d))
	}
	minOK := c.pct(path+".min_pct", t.MinPct)
	c.positive(path+".points", t.Points)
	if minOK {
		c.ladder(path+".ladder", *t.MinPct, t.Ladder)
	}
}

func (c *planChecker) targetID(path, id string) {
	if !c.required(path, id) {
		return
	}
	if first, ok := c.seen[id]; ok {
		p := c.problem(first, "")
		c.addf(path, "duplicate target id, first used at %d:%d", p.Line, p.Col)
		return
	}
	c.seen[id] = path
}

func (c *planChecker) selection(path string, s *selectFile) {
	if s == nil || (s.Area == "" && s.CaseTypes == nil) {
		c.addf(path, "must name an area and/or case_types")
		return
	}
	if s.Area != "" && !slices.Contains(Areas, s.Area) {
		c.addf(path+".area", "area %q is not one of %s", s.Area, strings.Join(Areas, ", "))
	}
	if s.CaseTypes != nil && len(s.CaseTypes) == 0 {
		c.addf(path+".case_types", "is empty; leave it out to select every case type")
	}
	listed := make(map[string]bool, len(s.CaseTypes)) // not slices.Index: a hostile list is long
	for i, slug := range s.CaseTypes {
		c.caseType(fmt.Sprintf("%s.case_types[%d]", path, i), slug, s)
		if listed[slug] {
			c.addf(fmt.Sprintf("%s.case_types[%d]", path, i), "case type %q is listed twice", slug)
		}
		listed[slug] = true
	}
}

func (c *planChecker) caseType(path, slug string, s *selectFile) {
	ct, ok := c.cat.Lookup(slug)
	switch {
	case !ok:
		c.addf(path, "unknown case type %q", slug)
	case s.Area != "" && slices.Contains(Areas, s.Area) && ct.Area != s.Area:
		c.addf(path, "case type %q belongs to area %s, not %s", slug, ct.Area, s.Area)
	}
}

// ladder checks partial-credit steps: each below the target's min_pct and
// the step before it, earning a share in (0,1) smaller than the step before.
func (c *planChecker) ladder(path string, targetMin float64, steps []stepFile) {
	prevMin, prevShare := targetMin, 1.0
	for i, st := range steps {
		p := fmt.Sprintf("%s[%d]", path, i)
		if c.pct(p+".min_pct", st.MinPct) {
			if *st.MinPct >= prevMin {
				c.addf(p+".min_pct", "must be below %s, got %s", stepBound(i, "min_pct", prevMin), num(*st.MinPct))
			}
			prevMin = *st.MinPct
		}
		if c.share(p+".share", st.Share) {
			if *st.Share >= prevShare {
				c.addf(p+".share", "must be below %s, got %s", stepBound(i, "share", prevShare), num(*st.Share))
			}
			prevShare = *st.Share
		}
	}
}

// share checks a required ladder share: 0 < v < 1.
func (c *planChecker) share(path string, v *float64) bool {
	switch {
	case v == nil:
		c.addf(path, "is required")
	case !(*v > 0 && *v < 1):
		c.addf(path, "must be greater than 0 and less than 1, got %s", num(*v))
	default:
		return true
	}
	return false
}

// stepBound names what a ladder step must stay below.
func stepBound(i int, field string, v float64) string {
	if i == 0 {
		return fmt.Sprintf("the target's %s %s", field, num(v))
	}
	return fmt.Sprintf("the previous step's %s %s", field, num(v))
}

// pct checks a required percentage: 0 < v <= 100 with at most two decimals.
func (c *planChecker) pct(path string, v *float64) bool {
	switch {
	case v == nil:
		c.addf(path, "is required")
	case !(*v > 0 && *v <= 100):
		c.addf(path, "must be greater than 0 and at most 100, got %s", num(*v))
	case math.Abs(*v*100-math.Round(*v*100)) > 1e-6:
		c.addf(path, "must have at most two decimals, got %s", num(*v))
	default:
		return true
	}
	return false
}

// positive checks a required finite number > 0.
func (c *planChecker) positive(path string, v *float64) bool {
	switch {
	case v == nil:
		c.addf(path, "is required")
	case !(*v > 0) || math.IsInf(*v, 0):
		c.addf(path, "must be a number greater than 0, got %s", num(*v))
	default:
		return true
	}
	return false
}

// required checks a required string.
func (c *planChecker) required(path, v string) bool {
	if strings.TrimSpace(v) == "" {
		c.addf(path, "is required")
		return false
	}
	return true
}

// num formats a number as written in YAML: 70, 97.5.
func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

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
	cat     *Catalogue
	seen    map[string]string // target id -> path of its first definition
	reqSeen map[string]string // requirement id -> path of its first definition
	year    int               // the plan's year, 0 when it is missing or out of range
}

func newPlanChecker(src *source, cat *Catalogue) *planChecker {
	return &planChecker{source: src, cat: cat, seen: map[string]string{}, reqSeen: map[string]string{}}
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
	default:
		c.year = *p.Year
	}
	if len(p.Requirements) == 0 {
		c.addf("$.requirements", "at least one requirement is required")
	}
	for i := range p.Requirements {
		c.requirement(fmt.Sprintf("$.requirements[%d]", i), &p.Requirements[i])
	}
	c.total(p)
	c.forecastKeys(p)
}

// forecastKeys: the forecast keys a target's row by its id and a requirement of another kind
// by the requirement's, so no target may have the id of such a requirement.
func (c *planChecker) forecastKeys(p *planFile) {
	for i, r := range p.Requirements {
		if r.kind() == KindCaseShare {
			continue
		}
		if at, ok := c.seen[r.ID]; ok {
			req := c.problem(fmt.Sprintf("$.requirements[%d].id", i), "")
			c.addf(at, "target id %q is also the id of the %s requirement at %d:%d (the forecast keys both by their ids)",
				r.ID, r.kind(), req.Line, req.Col)
		}
	}
}

// total checks that the requirements' weights add up to the plan's total,
// when the plan states one.
func (c *planChecker) total(p *planFile) {
	if p.Total == nil || !c.positive("$.total", p.Total) {
		return
	}
	sum := 0.0
	for _, r := range p.Requirements {
		if !isPositive(r.Weight) {
			return // reported at the weight
		}
		sum += *r.Weight
	}
	if len(p.Requirements) > 0 && math.Abs(sum-*p.Total) > 1e-9 {
		c.addf("$.total", "the requirements' weights sum to %s, not to the total %s", num(sum), num(*p.Total))
	}
}

// requirement checks the fields every requirement has, then those of its kind.
func (c *planChecker) requirement(path string, r *requirementFile) {
	c.requirementID(path+".id", r.ID)
	c.required(path+".title", r.Title)
	c.positive(path+".weight", r.Weight)
	k := r.kind()
	spec, ok := kindSpecs[k]
	if !ok {
		c.addf(path+".kind", "kind %q is not one of %s", r.Kind, joinKinds(Kinds))
		return
	}
	for _, key := range c.keys(path) {
		if msg, bad := kindField(k, key.Value); bad {
			c.problems = append(c.problems, c.problemAt(key, path+"."+key.Value, msg))
		}
	}
	spec.check(c, path, r)
}

func (c *planChecker) requirementID(path, id string) {
	if c.required(path, id) {
		c.unique(path, "requirement", id, c.reqSeen)
	}
}

// unique records where an id is first defined in seen, and reports a later one with the
// position of the first.
func (c *planChecker) unique(path, what, id string, seen map[string]string) {
	if first, ok := seen[id]; ok {
		p := c.problem(first, "")
		c.addf(path, "duplicate %s id, first used at %d:%d", what, p.Line, p.Col)
		return
	}
	seen[id] = path
}

// kindField says what is wrong with a field in a requirement of kind k: that
// no kind has it, or that it is another kind's. Each message lists the
// fields k has.
func kindField(k Kind, field string) (string, bool) {
	allowed := allowedFields(k)
	if slices.Contains(allowed, field) {
		return "", false
	}
	list := strings.Join(allowed, ", ")
	owners := kindsWith(field)
	switch len(owners) {
	case 0:
		return fmt.Sprintf("unknown field; allowed for kind %s: %s", k, list), true
	case 1:
		return fmt.Sprintf("is a field of kind %s, not of kind %s; allowed: %s", owners[0], k, list), true
	}
	return fmt.Sprintf("is a field of kinds %s, not of kind %s; allowed: %s", joinKinds(owners), k, list), true
}

func joinKinds(ks []Kind) string {
	names := make([]string, len(ks))
	for i, k := range ks {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// caseShare checks a case_share requirement: its targets' points sum to its weight.
func (c *planChecker) caseShare(path string, r *requirementFile) {
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
	if isPositive(r.Weight) && sumOK && len(r.Targets) > 0 && math.Abs(sum-*r.Weight) > 1e-9 {
		c.addf(path+".weight", "the targets' points sum to %s, not to the weight %s", num(sum), num(*r.Weight))
	}
}

func (c *planChecker) target(path string, t *targetFile) {
	c.targetID(path+".id", t.ID)
	c.required(path+".label", t.Label)
	c.selection(path+".select", t.Select)
	c.days(path+".target_days", t.TargetDays)
	minOK := c.pct(path+".min_pct", t.MinPct)
	c.positive(path+".points", t.Points)
	if minOK {
		c.ladder(path+".ladder", "the target's min_pct "+num(*t.MinPct), *t.MinPct, t.Ladder)
	}
}

// days checks a required whole number of days >= 0.
func (c *planChecker) days(path string, d *float64) bool {
	switch {
	case d == nil:
		c.addf(path, "is required")
	case *d < 0 || *d != math.Trunc(*d) || *d > math.MaxInt32:
		c.addf(path, "must be a whole number of days >= 0, got %s", num(*d))
	default:
		return true
	}
	return false
}

func (c *planChecker) targetID(path, id string) {
	if c.required(path, id) {
		c.unique(path, "target", id, c.seen)
	}
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

// ladder checks partial-credit steps: each below top (named by topName, as
// "the target's min_pct 75") and the step before it, earning a share in (0,1)
// smaller than the step before.
func (c *planChecker) ladder(path, topName string, top float64, steps []stepFile) {
	prevMin, prevShare := top, 1.0
	for i, st := range steps {
		p := fmt.Sprintf("%s[%d]", path, i)
		if c.pct(p+".min_pct", st.MinPct) {
			if *st.MinPct >= prevMin {
				c.addf(p+".min_pct", "must be below %s, got %s", stepBound(i, topName, "min_pct", prevMin), num(*st.MinPct))
			}
			prevMin = *st.MinPct
		}
		if c.share(p+".share", st.Share) {
			if *st.Share >= prevShare {
				c.addf(p+".share", "must be below %s, got %s", stepBound(i, "a share of 1", "share", prevShare), num(*st.Share))
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

// stepBound names what a ladder step must stay below: the top for the first
// step, else the step before.
func stepBound(i int, top, field string, v float64) string {
	if i == 0 {
		return top
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
	case !isPositive(v):
		c.addf(path, "must be a number greater than 0, got %s", num(*v))
	default:
		return true
	}
	return false
}

// isPositive reports whether v is set, finite and > 0.
func isPositive(v *float64) bool { return v != nil && *v > 0 && !math.IsInf(*v, 0) }

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

package rules

import (
	"slices"
	"time"
)

// planFile mirrors the plan YAML. Pointers tell a missing field from a zero
// one; the checks run on it before it becomes a Plan.
type planFile struct {
	Version      *int              `yaml:"version"`
	ID           string            `yaml:"id"`
	Year         *int              `yaml:"year"`
	Title        string            `yaml:"title"`
	Total        *float64          `yaml:"total"`
	Requirements []requirementFile `yaml:"requirements"`
}

// requirementFile is a requirement of any kind: the fields every kind has,
// then each kind's own (kindSpecs says which are whose). Decoding accepts
// them all; the checks refuse those of another kind.
type requirementFile struct {
	ID     string   `yaml:"id"`
	Kind   string   `yaml:"kind"`
	Title  string   `yaml:"title"`
	Weight *float64 `yaml:"weight"`

	Targets     []targetFile `yaml:"targets"`
	MaxWaitDays *float64     `yaml:"max_wait_days"`
	MinPct      *float64     `yaml:"min_pct"`
	Sites       string       `yaml:"sites"`
	Calendar    string       `yaml:"calendar"`
	Periods     []string     `yaml:"periods"`
	Operator    string       `yaml:"operator"`
	Threshold   *float64     `yaml:"threshold"`
	Unit        string       `yaml:"unit"`
	Scale       *scaleFile   `yaml:"scale"`
	Items       []itemFile   `yaml:"items"`
	Elements    *float64     `yaml:"elements"`
	MaxScore    *float64     `yaml:"max_score"`
	Points      *float64     `yaml:"points"`
	Ladder      []rungFile   `yaml:"ladder"`
	AgreedIn    string       `yaml:"agreed_in"`
}

type targetFile struct {
	ID         string      `yaml:"id"`
	Label      string      `yaml:"label"`
	Select     *selectFile `yaml:"select"`
	TargetDays *float64    `yaml:"target_days"` // a number, so 31.5 is reported with the other problems
	MinPct     *float64    `yaml:"min_pct"`
	Points     *float64    `yaml:"points"`
	Ladder     []stepFile  `yaml:"ladder"`
}

type selectFile struct {
	Area      string   `yaml:"area"`
	CaseTypes []string `yaml:"case_types"`
	FirstTime *bool    `yaml:"first_time"`
	Complex   *bool    `yaml:"complex"`
}

type stepFile struct {
	MinPct *float64 `yaml:"min_pct"`
	Share  *float64 `yaml:"share"`
}

// itemFile is a milestone (id, label, due) or an assessment's scorer (id, label).
type itemFile struct {
	ID    string `yaml:"id"`
	Label string `yaml:"label"`
	Due   string `yaml:"due"`
}

// rungFile is a rung of a requirement's ladder: min_pct for milestones,
// min_score for an assessment.
type rungFile struct {
	MinPct   *float64 `yaml:"min_pct"`
	MinScore *float64 `yaml:"min_score"`
	Share    *float64 `yaml:"share"`
}

type scaleFile struct {
	Min *float64 `yaml:"min"`
	Max *float64 `yaml:"max"`
}

// kindSpec is one kind of requirement as a plan file writes it: the fields it
// has besides the common ones, how they are checked, and the Requirement
// field they fill. Nested fields that two kinds share a key for (an item's
// due, a rung's min_pct or min_score) are the kind's check's to refuse.
type kindSpec struct {
	fields []string
	check  func(c *planChecker, path string, r *requirementFile)
	build  func(r *requirementFile, req *Requirement)
}

// commonFields are the fields of a requirement of any kind.
var commonFields = []string{"id", "kind", "title", "weight"}

// kindSpecs holds every kind of requirement (Kinds lists them in order).
var kindSpecs = map[Kind]kindSpec{
	KindCaseShare: {[]string{"targets"}, (*planChecker).caseShare, buildCaseShare},
	KindAppointmentWait: {[]string{"max_wait_days", "min_pct", "points", "sites", "calendar"},
		(*planChecker).appointmentWait, buildAppointmentWait},
	KindMilestones: {[]string{"points", "items", "ladder"}, (*planChecker).milestones, buildMilestones},
	KindKPI:        {[]string{"periods", "operator", "threshold", "unit", "points"}, (*planChecker).kpi, buildKPI},
	KindAssessment: {[]string{"points", "scale", "items", "elements", "max_score", "ladder"},
		(*planChecker).assessment, buildAssessment},
	KindManual: {[]string{"agreed_in"}, (*planChecker).manual, buildManual},
}

// kind is the requirement's kind; case_share when the file names none.
func (r *requirementFile) kind() Kind {
	if r.Kind == "" {
		return KindCaseShare
	}
	return Kind(r.Kind)
}

// allowedFields lists a kind's fields in the order a plan file writes them.
func allowedFields(k Kind) []string {
	return append(slices.Clip(commonFields), kindSpecs[k].fields...)
}

// kindsWith lists the kinds that have a requirement field, in Kinds order.
func kindsWith(field string) []Kind {
	var ks []Kind
	for _, k := range Kinds {
		if slices.Contains(kindSpecs[k].fields, field) {
			ks = append(ks, k)
		}
	}
	return ks
}

// plan converts a checked planFile; every required field is set.
func (f *planFile) plan() *Plan {
	p := &Plan{Version: 1, ID: f.ID, Year: *f.Year, Title: f.Title}
	if f.Version != nil {
		p.Version = *f.Version
	}
	for i := range f.Requirements {
		r := &f.Requirements[i]
		req := Requirement{ID: r.ID, Kind: r.kind(), Title: r.Title, Weight: *r.Weight}
		kindSpecs[req.Kind].build(r, &req)
		p.Requirements = append(p.Requirements, req)
		p.Total += req.Weight
	}
	if f.Total != nil {
		p.Total = *f.Total
	}
	return p
}

func buildCaseShare(r *requirementFile, req *Requirement) {
	for _, t := range r.Targets {
		req.Targets = append(req.Targets, t.target())
	}
}

func (t *targetFile) target() Target {
	out := Target{
		ID: t.ID, Label: t.Label,
		Area: t.Select.Area, FirstTime: t.Select.FirstTime, Complex: t.Select.Complex,
		TargetDays: int(*t.TargetDays), MinPct: *t.MinPct, Points: *t.Points,
	}
	if len(t.Select.CaseTypes) > 0 {
		out.CaseTypes = t.Select.CaseTypes
	}
	for _, s := range t.Ladder {
		out.Ladder = append(out.Ladder, Step{MinPct: *s.MinPct, Share: *s.Share})
	}
	return out
}

func buildAppointmentWait(r *requirementFile, req *Requirement) {
	req.Wait = &AppointmentWait{MaxWaitDays: int(*r.MaxWaitDays), MinPct: *r.MinPct, Points: *r.Points,
		Sites: SitesEarliest, Calendar: DefaultCalendar}
	if r.Sites != "" {
		req.Wait.Sites = Sites(r.Sites)
	}
	if r.Calendar != "" {
		req.Wait.Calendar = r.Calendar
	}
}

func buildMilestones(r *requirementFile, req *Requirement) {
	m := &Milestones{Points: *r.Points}
	for _, it := range r.Items {
		due, _ := time.Parse(time.DateOnly, it.Due) // checked by dueDate
		m.Items = append(m.Items, Milestone{ID: it.ID, Label: it.Label, Due: due})
	}
	for _, s := range r.Ladder {
		m.Ladder = append(m.Ladder, Step{MinPct: *s.MinPct, Share: *s.Share})
	}
	req.Milestones = m
}

func buildKPI(r *requirementFile, req *Requirement) {
	req.KPI = &KPI{Periods: r.Periods, Operator: Operator(r.Operator), Threshold: *r.Threshold,
		Unit: r.Unit, Points: *r.Points}
}

func buildAssessment(r *requirementFile, req *Requirement) {
	a := &Assessment{ScaleMin: int(*r.Scale.Min), ScaleMax: int(*r.Scale.Max), Elements: 1,
		MaxScore: int(*r.MaxScore), Points: *r.Points}
	if r.Elements != nil {
		a.Elements = int(*r.Elements)
	}
	for _, it := range r.Items {
		a.Items = append(a.Items, Item{ID: it.ID, Label: it.Label})
	}
	for _, s := range r.Ladder {
		a.Ladder = append(a.Ladder, ScoreStep{MinScore: int(*s.MinScore), Share: *s.Share})
	}
	req.Assessment = a
}

func buildManual(r *requirementFile, req *Requirement) {
	req.Manual = &Manual{AgreedIn: r.AgreedIn}
}

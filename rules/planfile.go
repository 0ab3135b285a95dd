package rules

// planFile mirrors the plan YAML. Pointers tell a missing field from a zero
// one; the checks run on it before it becomes a Plan.
type planFile struct {
	Version      *int              `yaml:"version"`
	ID           string            `yaml:"id"`
	Year         *int              `yaml:"year"`
	Title        string            `yaml:"title"`
	Requirements []requirementFile `yaml:"requirements"`
}

type requirementFile struct {
	ID      string       `yaml:"id"`
	Title   string       `yaml:"title"`
	Weight  *float64     `yaml:"weight"`
	Targets []targetFile `yaml:"targets"`
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

// plan converts a checked planFile; every required field is set.
func (f *planFile) plan() *Plan {
	p := &Plan{Version: 1, ID: f.ID, Year: *f.Year, Title: f.Title}
	if f.Version != nil {
		p.Version = *f.Version
	}
	for _, r := range f.Requirements {
		req := Requirement{ID: r.ID, Title: r.Title, Weight: *r.Weight}
		for _, t := range r.Targets {
			req.Targets = append(req.Targets, t.target())
		}
		p.Requirements = append(p.Requirements, req)
	}
	return p
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

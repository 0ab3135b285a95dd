package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
)

// Plan is one contract year's scoring rules: its requirements and their
// service targets.
type Plan struct {
	Version      int
	ID           string // e.g. "2020"; [A-Za-z0-9._-]+, used as a Hive partition value
	Year         int    // the contract year
	Title        string
	Requirements []Requirement
	Source       string // "builtin:2020" or the file path it was read from
	SHA256       string // hex sha256 of the file's bytes
}

// Requirement is one resultatkrav of the contract, e.g. 1.5 "Servicemål";
// its targets' points sum to its weight.
type Requirement struct {
	ID      string
	Title   string
	Weight  float64
	Targets []Target
}

// Target is one service target: the share of selected cases decided within
// TargetDays that earns Points.
type Target struct {
	ID, Label  string
	Area       string   // "" = any area
	CaseTypes  []string // nil = any case type
	FirstTime  *bool    // nil = both first applications and extensions
	Complex    *bool    // nil = both
	TargetDays int      // a case is within target when elapsed_days <= TargetDays
	MinPct     float64  // 0 < MinPct <= 100, at most two decimals
	Points     float64
	Ladder     []Step // optional partial credit below MinPct, highest first; nil = all or nothing
}

// Step is one rung of a partial-credit ladder: reaching MinPct earns Share
// (0 < Share < 1) of the target's Points.
type Step struct {
	MinPct float64
	Share  float64
}

// MinPctHundredths returns MinPct*100 as an exact integer (90 -> 9000,
// 97.5 -> 9750), so thresholds compare in integer arithmetic.
func (t Target) MinPctHundredths() int64 { return hundredths(t.MinPct) }

// MinPctHundredths returns MinPct*100 as an exact integer, like
// Target.MinPctHundredths.
func (s Step) MinPctHundredths() int64 { return hundredths(s.MinPct) }

// hundredths is exact for validated percentages, which have at most two decimals.
func hundredths(pct float64) int64 { return int64(math.Round(pct * 100)) }

// TargetRef is a target together with the requirement it belongs to.
type TargetRef struct {
	Requirement *Requirement
	Target      *Target
}

// Targets returns every target of the plan in file order. The pointers point
// into p.
func (p *Plan) Targets() []TargetRef {
	var refs []TargetRef
	for i := range p.Requirements {
		r := &p.Requirements[i]
		for j := range r.Targets {
			refs = append(refs, TargetRef{Requirement: r, Target: &r.Targets[j]})
		}
	}
	return refs
}

// ParsePlan decodes and validates a plan file. filename is used in error
// messages and as the plan's Source. A nil cat means BuiltinCatalogue().
// Every error wraps ErrInvalid; a *ValidationError lists all the problems.
func ParsePlan(filename string, data []byte, cat *Catalogue) (*Plan, error) {
	if cat == nil {
		cat = BuiltinCatalogue()
	}
	src, err := parseSource(filename, data)
	if err != nil {
		return nil, err
	}
	var raw planFile
	if err := src.decode(&raw); err != nil {
		return nil, err
	}
	c := &planChecker{source: src, cat: cat, seen: map[string]string{}}
	c.plan(&raw)
	if err := src.err(); err != nil {
		return nil, err
	}
	p := raw.plan()
	p.Source = filename
	sum := sha256.Sum256(data)
	p.SHA256 = hex.EncodeToString(sum[:])
	return p, nil
}

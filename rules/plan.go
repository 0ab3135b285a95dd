package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"time"
)

// Plan is one contract year's scoring rules: its requirements, each of one
// kind (SPEC §9), and for the case_share ones their service targets.
type Plan struct {
	Version      int
	ID           string // e.g. "2020"; [A-Za-z0-9._-]+, used as a Hive partition value
	Year         int    // the contract year
	Title        string
	Total        float64 // the plan's points: its total: when given (the weights sum to it), else the weights' sum
	Requirements []Requirement
	Source       string // "builtin:2020" or the file path it was read from
	SHA256       string // hex sha256 of the file's bytes
}

// Requirement is one resultatkrav of the contract, e.g. 1.5 "Servicemål". Its
// Kind says which one of the kind fields below is set; the others are nil.
// Weight is the contract's vægt, the most points the requirement earns.
type Requirement struct {
	ID     string
	Kind   Kind // KindCaseShare when the plan file names none
	Title  string
	Weight float64

	Targets    []Target         // case_share: the service targets, whose points sum to Weight
	Wait       *AppointmentWait // appointment_wait
	Milestones *Milestones      // milestones
	KPI        *KPI             // kpi
	Assessment *Assessment      // assessment
	Manual     *Manual          // manual
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
// (0 < Share < 1) of the target's (or the milestones') Points.
type Step struct {
	MinPct float64
	Share  float64
}

// Kind is what a requirement measures and how it is met (SPEC §9). A plan
// file names it in a requirement's kind field, which decides the fields the
// requirement may have.
type Kind string

// The kinds of requirement, each read from the Requirement field named.
const (
	KindCaseShare       Kind = "case_share"       // Targets: shares of cases decided within a number of days
	KindAppointmentWait Kind = "appointment_wait" // Wait: weekdays with a short wait for an appointment
	KindMilestones      Kind = "milestones"       // Milestones: deliverables done by their due dates
	KindKPI             Kind = "kpi"              // KPI: a reported value against a threshold
	KindAssessment      Kind = "assessment"       // Assessment: a sum of scores, turned into points by a ladder
	KindManual          Kind = "manual"           // Manual: points agreed outside the plan and entered
)

// Kinds are the kinds of requirement, in the order of SPEC §9.
var Kinds = []Kind{KindCaseShare, KindAppointmentWait, KindMilestones, KindKPI, KindAssessment, KindManual}

// AppointmentWait is an appointment_wait requirement: it is met when on at
// least MinPct percent of the weekdays of Calendar the wait to the next free
// appointment was at most MaxWaitDays, and then earns Points.
type AppointmentWait struct {
	MaxWaitDays int
	MinPct      float64 // 0 < MinPct <= 100, at most two decimals
	Points      float64 // equal to the requirement's weight
	Sites       Sites
	Calendar    string // a calendar of CalendarNames(); DefaultCalendar when the file names none
}

// MinPctHundredths returns MinPct*100 as an exact integer, like
// Target.MinPctHundredths.
func (a *AppointmentWait) MinPctHundredths() int64 { return hundredths(a.MinPct) }

// Sites says how the waits of several sites make a day's wait.
type Sites string

// The rules for several sites (SPEC §9).
const (
	SitesEarliest Sites = "earliest" // the next free time at any site; the default
	SitesEach     Sites = "each"     // every site must be within the wait
)

// Milestones is a milestones requirement: dated deliverables. Done on or
// before their due dates, all of them earn Points; Ladder, when set, gives a
// share of the points for a smaller percentage done on time.
type Milestones struct {
	Items  []Milestone
	Points float64 // equal to the requirement's weight
	Ladder []Step  // Step.MinPct is the percentage of items done on time, highest first, below 100; nil = all or nothing
}

// Milestone is one deliverable of a milestones requirement.
type Milestone struct {
	ID    string    // the status register's item_id
	Label string    // what is delivered, in the contract's words
	Due   time.Time // the last day it counts as on time, at UTC midnight, within the plan's year
}

// KPI is a kpi requirement: a value reported per period, met when the value
// Operator Threshold holds (sygefravær lt 7). The value of the plan's year,
// which Periods always lists, earns Points.
type KPI struct {
	Periods   []string // "2020", "2020-Q2" or "2020-06", in file order; the status register's item_id
	Operator  Operator
	Threshold float64
	Unit      string  // what the value counts, in Danish: "sygefraværsdage pr. årsværk"
	Points    float64 // equal to the requirement's weight
}

// Met reports whether a reported value meets the KPI's threshold.
func (k *KPI) Met(value float64) bool { return k.Operator.Holds(value, k.Threshold) }

// Operator compares a KPI's value with its threshold.
type Operator string

// The operators a KPI may use.
const (
	OperatorLT Operator = "lt" // value < threshold
	OperatorLE Operator = "le" // value <= threshold
	OperatorGT Operator = "gt" // value > threshold
	OperatorGE Operator = "ge" // value >= threshold
)

// Operators are the operators a KPI may use, in the order messages list them.
var Operators = []Operator{OperatorLT, OperatorLE, OperatorGT, OperatorGE}

// Holds reports whether value op threshold; false for an unknown operator.
func (o Operator) Holds(value, threshold float64) bool {
	switch o {
	case OperatorLT:
		return value < threshold
	case OperatorLE:
		return value <= threshold
	case OperatorGT:
		return value > threshold
	case OperatorGE:
		return value >= threshold
	}
	return false
}

// Symbol is the operator as a reader writes it: "<", "≤", ">", "≥".
func (o Operator) Symbol() string {
	return map[Operator]string{OperatorLT: "<", OperatorLE: "≤", OperatorGT: ">", OperatorGE: "≥"}[o]
}

// Assessment is an assessment requirement: each item (a department) scores
// Elements elements from ScaleMin to ScaleMax; the sum, at most MaxScore,
// earns a share of Points by Ladder. A nil Ladder means the contract has not
// set one yet: the requirement's points are unknown (status no_ladder).
type Assessment struct {
	ScaleMin, ScaleMax int
	Items              []Item // who scores; the status register's item_id is "item/element"
	Elements           int    // elements each item scores, at least 1
	MaxScore           int    // the highest sum; len(Items) × Elements × ScaleMax when Items are listed
	Points             float64
	Ladder             []ScoreStep // highest first; nil = no ladder yet
}

// Item is one scorer of an assessment, such as a department.
type Item struct {
	ID, Label string
}

// ScoreStep is one rung of an assessment's ladder: a sum of at least
// MinScore earns Share (0 < Share <= 1) of the points.
type ScoreStep struct {
	MinScore int
	Share    float64
}

// Manual is a manual requirement: its points are agreed outside the plan
// (AgreedIn says where, in Danish) and entered in the status register; until
// they are, the requirement is awaiting them. The weight is the most it earns.
type Manual struct {
	AgreedIn string
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
	c := newPlanChecker(src, cat)
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

package outputs

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"scorecard/rules"
)

// Requirement is one row of the requirements view (SPEC §9): one plan, requirement and
// period of the contract scorecard. Nullable figures are pointers.
type Requirement struct {
	Plan, RequirementID, Title, Kind, Period string
	PeriodEnd                                time.Time // a date (UTC midnight)
	PeriodComplete                           bool
	Measure, Threshold                       *float64
	Met                                      *bool
	Points                                   *float64 // nil: not known (no data, no ladder, awaiting)
	MaxPoints                                float64
	Status, Detail, RunID                    string
}

// AppointmentDay is one row of the appointment_days view (SPEC §9): one weekday's wait to the
// next free appointment for an appointment_wait requirement.
type AppointmentDay struct {
	Plan, RequirementID string
	Day                 time.Time // a date (UTC midnight)
	Site                string    // "" when no snapshot was taken that day
	WaitDays            *int      // nil: no snapshot, the day is missing
	Met                 bool
	RunID               string
}

// RequirementColumns are the requirements view's columns in SPEC §9 order: the
// requirements_csv header, the JSON document's requirement keys and the PostgreSQL
// requirements table's columns.
var RequirementColumns = []string{
	"plan", "requirement_id", "title", "kind", "period", "period_end", "period_complete",
	"measure", "threshold", "met", "points", "max_points", "status", "detail", "run_id",
}

// values returns the requirement's values in RequirementColumns order.
func (q Requirement) values() []any {
	return []any{
		q.Plan, q.RequirementID, q.Title, q.Kind, q.Period, date(q.PeriodEnd), q.PeriodComplete,
		orNil(q.Measure), orNil(q.Threshold), orNil(q.Met), orNil(q.Points), q.MaxPoints,
		q.Status, q.Detail, q.RunID,
	}
}

// statusWords are the requirement statuses of SPEC §9 as the contract's readers say them.
var statusWords = map[string]string{
	"met":          "Opfyldt",
	"not_met":      "Ikke opfyldt",
	"on_track":     "På vej",
	"overdue":      "Forsinket",
	"missing_data": "Mangler data",
	"no_ladder":    "Ingen pointskala",
	"awaiting":     "Afventer",
}

// statusWord is a status in Danish; an unknown code is shown as it is rather than hidden.
func statusWord(status string) string {
	if w, ok := statusWords[status]; ok {
		return w
	}
	return status
}

// SortRequirements orders rows as the contract reads: the plans in config order, each plan's
// requirements in its order, then each requirement's year, quarters and months. SQL does not
// know the config's order, so the pipeline sorts here. Rows of a plan or requirement the
// plans no longer have go last, by plan and id.
func SortRequirements(plans []*rules.Plan, rows []Requirement) {
	planIndex, reqIndex := map[string]int{}, map[[2]string]int{}
	for i, p := range plans {
		planIndex[p.ID] = i
		for j, req := range p.Requirements {
			reqIndex[[2]string{p.ID, req.ID}] = j
		}
	}
	rank := func(m map[string]int, k string) int {
		if i, ok := m[k]; ok {
			return i
		}
		return len(plans) + 1
	}
	slices.SortStableFunc(rows, func(a, b Requirement) int {
		return cmp.Or(
			cmp.Compare(rank(planIndex, a.Plan), rank(planIndex, b.Plan)),
			strings.Compare(a.Plan, b.Plan),
			cmp.Compare(reqRank(reqIndex, a), reqRank(reqIndex, b)),
			strings.Compare(a.RequirementID, b.RequirementID),
			cmp.Compare(periodRank(a.Period), periodRank(b.Period)),
			strings.Compare(a.Period, b.Period),
		)
	})
}

// reqRank is a requirement's place in its plan; one not in it sorts after the plan's own.
func reqRank(index map[[2]string]int, q Requirement) int {
	if i, ok := index[[2]string{q.Plan, q.RequirementID}]; ok {
		return i
	}
	return len(index) + 1
}

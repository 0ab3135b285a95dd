// Package ruleset loads the plans and the case-type catalogue into a session's rule tables
// (sql/rules_tables.sql: case types, targets, ladders, periods, requirements, milestone
// items), which curate and compute join with, and fingerprints them.
package ruleset

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"scorecard/pipeline/engine"
	"scorecard/pipeline/period"

	"scorecard/rules"
)

// Load fills the catalogue, target, ladder and period tables of rules_tables.sql, each
// table with one statement: a row at a time, the eighty-odd rows of two plans took 40 ms of
// every run, 3% of a nightly one. It returns the rules' fingerprint (rulesFingerprint).
func Load(ctx context.Context, e *engine.Engine, cat *rules.Catalogue, plans []*rules.Plan, asOf time.Time, window *period.Window) (string, error) {
	if err := e.RunFile(ctx, "rules_tables.sql"); err != nil {
		return "", err
	}
	tables := newRuleRows(cat, plans, asOf, window)
	for _, t := range []struct {
		table, row string
		rows       [][]any
	}{
		{"case_types", "(?, ?, ?)", tables.caseTypes},
		{"targets", targetRow, tables.targets},
		{"ladder", "(?, ?, ?, ?)", tables.ladder},
		{"periods", "(?, ?, ?, ?::DATE, ?::DATE, ?, ?)", tables.periods},
		{"result_quarters", "(?, ?)", tables.resultQuarters},
		{"requirements", "(?, ?, ?, ?)", tables.requirements},
		{"milestone_items", "(?, ?, ?, ?, ?::DATE, ?)", tables.milestoneItems},
	} {
		if err := InsertRows(ctx, e, t.table, t.row, t.rows); err != nil {
			return "", fmt.Errorf("rules table %s: %w", t.table, err)
		}
	}
	return tables.fingerprint()
}

// newRuleRows gathers the rows of the rules tables.
func newRuleRows(cat *rules.Catalogue, plans []*rules.Plan, asOf time.Time, window *period.Window) *ruleRows {
	var tables ruleRows
	for _, ct := range cat.Types {
		tables.caseTypes = append(tables.caseTypes, []any{ct.Slug, ct.Label, ct.Area})
	}
	for _, p := range plans {
		tables.addPlan(p, asOf, window)
	}
	return &tables
}

// Fingerprint is the fingerprint of the rules a run at asOf loads (ruleRows.fingerprint),
// without loading them.
func Fingerprint(cat *rules.Catalogue, plans []*rules.Plan, asOf time.Time) (string, error) {
	return newRuleRows(cat, plans, asOf, nil).fingerprint()
}

// fingerprint is a hash of everything the figures are computed with besides the cases and the
// time zone: the catalogue (a case type's area), and each target's selection, days, min_pct,
// points and ladder, as loaded (a plan file's comments and layout do not count). A nightly run
// whose fingerprint differs from the published one recomputes every period: a target that
// keeps its days but selects other case types changes periods no new case touches.
func (t *ruleRows) fingerprint() (string, error) {
	doc, err := json.Marshal([][][]any{t.caseTypes, t.targets, t.ladder})
	if err != nil {
		return "", fmt.Errorf("rules fingerprint: %w", err)
	}
	sum := sha256.Sum256(doc)
	return hex.EncodeToString(sum[:]), nil
}

// ruleRows are the rows of the rules tables, gathered before they are inserted.
type ruleRows struct {
	caseTypes, targets, ladder, periods, resultQuarters [][]any
	requirements, milestoneItems                        [][]any
}

// targetRow is a targets row: the case types come as one comma-separated text.
const targetRow = `(?, ?, ?, ?, ?, nullif(?, ''),
	CASE WHEN ? = '' THEN NULL ELSE string_split(?, ',') END, ?, ?, ?, ?, ?, ?, ?::DATE, ?::DATE)`

func (t *ruleRows) addPlan(p *rules.Plan, asOf time.Time, window *period.Window) {
	yearStart := period.Date(p.Year, time.January, 1).Format(period.DateLayout)
	yearEnd := period.Date(p.Year, time.December, 31).Format(period.DateLayout)
	for i, ref := range p.Targets() {
		tg := ref.Target
		types := strings.Join(tg.CaseTypes, ",")
		t.targets = append(t.targets, []any{p.ID, ref.Requirement.ID, tg.ID, tg.Label, i, tg.Area,
			types, types, tg.FirstTime, tg.Complex, tg.TargetDays, tg.MinPct, tg.MinPctHundredths(), tg.Points,
			yearStart, yearEnd})
		for _, s := range tg.Ladder {
			t.ladder = append(t.ladder, []any{p.ID, tg.ID, s.MinPctHundredths(), s.Share})
		}
	}
	t.addPeriods(p, asOf, window)
	t.addRequirements(p)
}

// addRequirements adds the plan's requirements, which status rows must name, and the items of
// its milestones requirements.
func (t *ruleRows) addRequirements(p *rules.Plan) {
	for i, req := range p.Requirements {
		t.requirements = append(t.requirements, []any{p.ID, req.ID, string(req.Kind), i})
		if req.Milestones == nil {
			continue
		}
		for _, m := range req.Milestones.Items {
			t.milestoneItems = append(t.milestoneItems, []any{p.ID, req.ID, m.ID, m.Label, m.Due.Format(period.DateLayout), len(t.milestoneItems)})
		}
	}
}

// addPeriods adds the periods and result quarters this run computes: every period that has
// begun, or in a backfill those overlapping the window, with the year of a plan it touches.
func (t *ruleRows) addPeriods(p *rules.Plan, asOf time.Time, window *period.Window) {
	for i, per := range period.PlanPeriods(p.Year, asOf) {
		if window != nil && !window.Overlaps(per.Start, per.Last) {
			continue
		}
		t.periods = append(t.periods, []any{p.ID, per.Name, i, per.Start.Format(period.DateLayout),
			per.End.Format(period.DateLayout), per.Complete, per.Group})
		if strings.HasPrefix(per.Group, per.Name) && strings.Contains(per.Name, "-Q") {
			t.resultQuarters = append(t.resultQuarters, []any{p.ID, per.Name})
		}
	}
}

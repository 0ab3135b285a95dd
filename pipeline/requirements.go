package pipeline

import (
	"context"
	"fmt"
	"strings"
	"time"

	"scorecard/rules"
)

// The contract scorecard (SPEC §9): the lake table requirements, one row per plan and
// requirement for the plan's year, every kind measured in requirements.sql from the rules
// (requirement_specs, filled here), this run's scorecard year rows (or the published ones it
// kept), milestone_status and the status register. Quarters and months are not scored yet.

// computeRequirements builds requirement_rows, the requirements table, after the scorecard and
// the milestones.
func (r *run) computeRequirements(ctx context.Context) error {
	if err := r.eng.runFile(ctx, "requirement_specs.sql"); err != nil {
		return err
	}
	var specs, ladder [][]any
	for _, p := range r.opts.Plans {
		s, l := requirementSpecs(p, r.opts.AsOf)
		specs, ladder = append(specs, s...), append(ladder, l...)
	}
	if err := r.eng.insertRows(ctx, "requirement_specs",
		"(?, ?, ?, ?, ?, ?, ?, ?::DATE, ?, ?, ?, ?, ?, CASE WHEN ? THEN NULL ELSE string_split(?, ',') END, ?, ?, ?)", specs); err != nil {
		return fmt.Errorf("rules table requirement_specs: %w", err)
	}
	if err := r.eng.insertRows(ctx, "requirement_ladder", "(?, ?, ?, ?)", ladder); err != nil {
		return fmt.Errorf("rules table requirement_ladder: %w", err)
	}
	return r.eng.runFile(ctx, "requirements.sql")
}

// requirementSpecs are the requirement_specs and requirement_ladder rows of a plan: none
// before its year has begun.
func requirementSpecs(p *rules.Plan, asOf time.Time) (specs, ladder [][]any) {
	periods := PlanPeriods(p.Year, asOf)
	if len(periods) == 0 {
		return nil, nil
	}
	year := periods[0] // the year row, as the scorecard names it
	for i, req := range p.Requirements {
		var (
			operator, symbol, unit, agreedIn any
			threshold, maxScore              any
			items                            []string
			hasLadder                        bool
		)
		switch {
		case req.KPI != nil:
			k := req.KPI
			operator, symbol, threshold, unit = string(k.Operator), k.Operator.Symbol(), k.Threshold, k.Unit
		case req.Wait != nil:
			threshold = req.Wait.MinPct
		case req.Milestones != nil:
			hasLadder = len(req.Milestones.Ladder) > 0
			for _, s := range req.Milestones.Ladder {
				ladder = append(ladder, []any{p.ID, req.ID, s.MinPctHundredths(), s.Share})
			}
		case req.Assessment != nil:
			a := req.Assessment
			maxScore, hasLadder = a.MaxScore, len(a.Ladder) > 0
			for _, it := range a.Items {
				items = append(items, it.ID)
			}
			for _, s := range a.Ladder {
				ladder = append(ladder, []any{p.ID, req.ID, s.MinScore, s.Share})
			}
		case req.Manual != nil:
			agreedIn = req.Manual.AgreedIn
		}
		joined := strings.Join(items, ",")
		specs = append(specs, []any{p.ID, req.ID, req.Title, string(req.Kind), i, req.Weight,
			year.Name, year.End.Format(DateLayout), year.Complete, operator, symbol, threshold, unit,
			len(items) == 0, joined, maxScore, hasLadder, agreedIn})
	}
	return specs, ladder
}

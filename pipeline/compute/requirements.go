package compute

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"scorecard/pipeline/engine"
	"scorecard/pipeline/period"
	"scorecard/pipeline/ruleset"
	"scorecard/pipeline/runstate"

	"scorecard/rules"
)

// The contract scorecard (SPEC §9): the lake table requirements, one row per plan, requirement
// and period, every kind measured in requirements.sql from the rules (requirement_specs, filled
// here), this run's scorecard rows (or the published ones it kept), the status register and the
// weekdays' waits (appointment_days.sql). The periods are the scorecard's: the year, its
// quarters and its months that have begun, each as of its last day or the as-of date. A KPI
// has rows for the periods its plan lists values for; an assessment and manual points are
// scored once, for the year.

// computeRequirements builds appointment_day_rows and requirement_rows (the tables
// appointment_days and requirements), after the scorecard.
func (r *run) computeRequirements(ctx context.Context) error {
	for _, f := range []string{"requirement_specs.sql", "appointment_days_rules.sql"} {
		if err := r.Eng.RunFile(ctx, f); err != nil {
			return err
		}
	}
	var specs, ladder, weekdays [][]any
	for _, p := range r.Opts.Plans {
		s, l := requirementSpecs(p, r.Opts.AsOf)
		specs, ladder = append(specs, s...), append(ladder, l...)
		w, err := waitWeekdays(p, r.Opts.AsOf, r.Opts.Config.Calendar)
		if err != nil {
			return err
		}
		weekdays = append(weekdays, w...)
	}
	for _, t := range []struct {
		table, row string
		rows       [][]any
	}{
		{"requirement_specs", requirementSpecRow, specs},
		{"requirement_ladder", "(?, ?, ?, ?)", ladder},
		{"wait_weekdays", "(?, ?, ?::DATE, ?, ?)", weekdays},
	} {
		if err := ruleset.InsertRows(ctx, r.Eng, t.table, t.row, t.rows); err != nil {
			return fmt.Errorf("rules table %s: %w", t.table, err)
		}
	}
	for _, f := range []string{"appointment_days.sql", "requirements.sql"} {
		if err := r.Eng.RunFile(ctx, f); err != nil {
			return err
		}
	}
	totals, err := engine.QueryFile(ctx, r.Eng, "contract_totals.sql", func(scan func(...any) error) (runstate.ContractTotal, error) {
		var t runstate.ContractTotal
		return t, scan(&t.Plan, &t.Period, &t.Complete, &t.Points, &t.MaxPoints, &t.Requirements, &t.Met, &t.Unknown)
	})
	if err != nil {
		return err
	}
	r.Summary.Contract = totals
	for _, t := range totals {
		r.Log.Info().Str(runstate.FieldPlan, t.Plan).Str(runstate.FieldPeriod, t.Period).Float64("points", t.Points).
			Float64("max_points", t.MaxPoints).Int("requirements_met", t.Met).Int("points_unknown", t.Unknown).
			Msg("contract computed")
	}
	return nil
}

// requirementSpecRow is a requirement_specs row: an assessment's scorers come as one
// comma-separated text.
const requirementSpecRow = `(?, ?, ?, ?, ?, ?, ?, ?, ?::DATE, ?::DATE, ?, ?, ?, ?, ?, ?, ?, ?,
	CASE WHEN ? THEN NULL ELSE string_split(?, ',') END, ?, ?)`

// requirementSpecs are the requirement_specs and requirement_ladder rows of a plan: a spec per
// requirement and period it is scored for, none before the plan's year has begun.
func requirementSpecs(p *rules.Plan, asOf time.Time) (specs, ladder [][]any) {
	periods := period.PlanPeriods(p.Year, asOf)
	for i, req := range p.Requirements {
		var (
			operator, symbol, unit, agreedIn any
			threshold, maxScore, minBP       any
			maxWait                          any
			items                            []string
			hasLadder                        bool
		)
		scored := func(per period.Period) bool { return true }
		switch {
		case req.KPI != nil:
			k := req.KPI
			operator, symbol, threshold, unit = string(k.Operator), k.Operator.Symbol(), k.Threshold, k.Unit
			scored = func(per period.Period) bool { return slices.Contains(k.Periods, per.Name) }
		case req.Wait != nil:
			threshold, minBP, maxWait = req.Wait.MinPct, req.Wait.MinPctHundredths(), req.Wait.MaxWaitDays
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
			scored = isYear
		case req.Manual != nil:
			agreedIn = req.Manual.AgreedIn
			scored = isYear
		}
		joined := strings.Join(items, ",")
		for j, per := range periods {
			if !scored(per) {
				continue
			}
			specs = append(specs, []any{p.ID, req.ID, req.Title, string(req.Kind), i, req.Weight,
				per.Name, j, per.Start.Format(period.DateLayout), per.End.Format(period.DateLayout), per.Complete,
				operator, symbol, threshold, unit, minBP, maxWait, hasLadder,
				len(items) == 0, joined, maxScore, agreedIn})
		}
	}
	return specs, ladder
}

// isYear reports whether a period is its plan's year.
func isYear(per period.Period) bool { return !strings.Contains(per.Name, "-") }

// waitWeekdays are the wait_weekdays rows of a plan: for each appointment_wait requirement,
// the weekdays of its calendar from the year's first day to the as-of date or the year's last.
func waitWeekdays(p *rules.Plan, asOf time.Time, calendar func(string) (*rules.Calendar, error)) ([][]any, error) {
	periods := period.PlanPeriods(p.Year, asOf)
	if len(periods) == 0 {
		return nil, nil
	}
	year := periods[0]
	var rows [][]any
	for _, req := range p.Requirements {
		if req.Wait == nil {
			continue
		}
		cal, err := calendar(req.Wait.Calendar)
		if err != nil {
			return nil, fmt.Errorf("plan %s requirement %s: %w", p.ID, req.ID, err)
		}
		for _, day := range cal.Weekdays(year.Start, year.End) {
			rows = append(rows, []any{p.ID, req.ID, day.Format(period.DateLayout), req.Wait.MaxWaitDays, string(req.Wait.Sites)})
		}
	}
	return rows, nil
}

// Package compute is the third stage of a run: case_results and the scorecard of the case-share
// targets, the at-risk cases, the milestones, every requirement's row (SPEC §9) and the
// forecast (SPEC §8), for the periods the run writes, and what they restate.
package compute

import (
	"context"
	"strconv"

	"scorecard/pipeline/engine"
	"scorecard/pipeline/lake"
	"scorecard/pipeline/runstate"
)

// planTotals sums the year rows of each plan for the run summary.
func planTotals(ctx context.Context, e *engine.Engine) ([]runstate.PlanTotal, error) {
	return engine.QueryFile(ctx, e, "plan_totals.sql", func(scan func(...any) error) (runstate.PlanTotal, error) {
		var t runstate.PlanTotal
		return t, scan(&t.Plan, &t.Period, &t.Complete, &t.Points, &t.MaxPoints, &t.Targets, &t.Met, &t.NoData)
	})
}

// computeMilestones judges every milestone of the configured plans as of the as-of date.
func (r *run) computeMilestones(ctx context.Context) error {
	return r.Eng.RunFile(ctx, "milestones.sql")
}

// compute builds case_results and the scorecard of the periods this run writes, and what they
// restate.
func (r *run) compute(ctx context.Context) error {
	published, err := r.loadPreviousOutputs(ctx)
	if err != nil {
		return err
	}
	if published && r.Opts.Window == nil && !r.Opts.Full {
		if err := r.Eng.SetVariable(ctx, "rules_changed", strconv.FormatBool(r.RulesChanged)); err != nil {
			return err
		}
		if err := r.Eng.RunFile(ctx, "compute_scope.sql"); err != nil {
			return err
		}
		var full bool
		if err := r.Eng.Conn.QueryRowContext(ctx, "SELECT getvariable('full_compute')").Scan(&full); err != nil {
			return err
		}
		r.Scoped = !full // a full recompute keeps no published period
	}
	if err := r.Eng.SetVariable(ctx, "scoped", strconv.FormatBool(r.Scoped)); err != nil {
		return err
	}
	for _, f := range []string{"target_selection.sql", "case_results.sql", "scorecard.sql"} {
		if err := r.Eng.RunFile(ctx, f); err != nil {
			return err
		}
	}
	if !published {
		if err := r.Eng.RunFile(ctx, "previous_outputs_none.sql"); err != nil {
			return err
		}
	}
	if err := r.Eng.RunFile(ctx, "restatements.sql"); err != nil {
		return err
	}
	n, err := r.Eng.Count(ctx, "SELECT count(*) FROM restatements")
	if err != nil {
		return err
	}
	r.Record.Restatements = n
	if n > 0 {
		r.Log.Warn().Int64(runstate.FieldRows, n).Msg("scorecard rows restated")
	}
	totals, err := planTotals(ctx, r.Eng)
	if err != nil {
		return err
	}
	r.Summary.Totals = totals
	for _, t := range totals {
		r.Log.Info().Str(runstate.FieldPlan, t.Plan).Str(runstate.FieldPeriod, t.Period).Float64("points", t.Points).
			Float64("max_points", t.MaxPoints).Msg("plan computed")
	}
	if err := r.computeAtRisk(ctx); err != nil {
		return err
	}
	if err := r.computeMilestones(ctx); err != nil {
		return err
	}
	if err := r.computeRequirements(ctx); err != nil {
		return err
	}
	return r.computeForecast(ctx)
}

// loadPreviousOutputs reads the published scorecard and case results, when there are any (and
// the published cases exist to compare changes with).
func (r *run) loadPreviousOutputs(ctx context.Context) (bool, error) {
	var files [3][]string
	for i, t := range []string{lake.TableScorecard, lake.TableCaseResults, lake.TableCases} {
		var err error
		if files[i], err = r.PreviousGlob(t); err != nil {
			return false, err
		}
	}
	if len(files[0]) == 0 || len(files[1]) == 0 || len(files[2]) == 0 {
		return false, nil
	}
	if err := r.Eng.SetVariable(ctx, "previous_scorecard", engine.List(files[0])); err != nil {
		return false, err
	}
	if err := r.Eng.SetVariable(ctx, "previous_results", engine.List(files[1])); err != nil {
		return false, err
	}
	return true, r.Eng.RunFile(ctx, "previous_outputs.sql")
}

// run is the run being computed; the stage's steps are its methods.
type run struct{ *runstate.Run }

// Run computes the figures of the new version.
func Run(ctx context.Context, r *runstate.Run) error { return (&run{r}).compute(ctx) }

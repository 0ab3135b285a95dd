package pipeline

import (
	"context"
	"fmt"
	"strings"
	"time"

	"scorecard/rules"
)

// loadRules fills the catalogue, target, ladder and period tables of rules_tables.sql.
func (e *engine) loadRules(ctx context.Context, cat *rules.Catalogue, plans []*rules.Plan, asOf time.Time, window *Window) error {
	if err := e.runFile(ctx, "rules_tables.sql"); err != nil {
		return err
	}
	for _, ct := range cat.Types {
		if err := e.exec(ctx, "INSERT INTO case_types VALUES (?, ?, ?)", ct.Slug, ct.Label, ct.Area); err != nil {
			return err
		}
	}
	for _, p := range plans {
		if err := e.loadPlan(ctx, p, asOf, window); err != nil {
			return fmt.Errorf("plan %s: %w", p.ID, err)
		}
	}
	return nil
}

const insertTarget = `INSERT INTO targets VALUES (?, ?, ?, ?, ?, nullif(?, ''),
	CASE WHEN ? = '' THEN NULL ELSE string_split(?, ',') END, ?, ?, ?, ?, ?, ?, ?::DATE, ?::DATE)`

func (e *engine) loadPlan(ctx context.Context, p *rules.Plan, asOf time.Time, window *Window) error {
	yearStart := date(p.Year, time.January, 1)
	yearEnd := date(p.Year, time.December, 31)
	for i, ref := range p.Targets() {
		t := ref.Target
		types := strings.Join(t.CaseTypes, ",")
		err := e.exec(ctx, insertTarget, p.ID, ref.Requirement.ID, t.ID, t.Label, i, t.Area,
			types, types, t.FirstTime, t.Complex, t.TargetDays, t.MinPct, t.MinPctHundredths(), t.Points,
			yearStart.Format(DateLayout), yearEnd.Format(DateLayout))
		if err != nil {
			return err
		}
		for _, s := range t.Ladder {
			if err := e.exec(ctx, "INSERT INTO ladder VALUES (?, ?, ?, ?)", p.ID, t.ID, s.MinPctHundredths(), s.Share); err != nil {
				return err
			}
		}
	}
	return e.loadPeriods(ctx, p, asOf, window)
}

// loadPeriods fills the periods and result quarters this run computes: every period that has
// begun, or in a backfill those overlapping the window, with the year of a plan it touches.
func (e *engine) loadPeriods(ctx context.Context, p *rules.Plan, asOf time.Time, window *Window) error {
	for i, per := range PlanPeriods(p.Year, asOf) {
		if window != nil && !window.overlaps(per.Start, per.Last) {
			continue
		}
		err := e.exec(ctx, "INSERT INTO periods VALUES (?, ?, ?, ?::DATE, ?::DATE, ?, ?)",
			p.ID, per.Name, i, per.Start.Format(DateLayout), per.End.Format(DateLayout), per.Complete, per.Group)
		if err != nil {
			return err
		}
		if strings.HasPrefix(per.Group, per.Name) && strings.Contains(per.Name, "-Q") {
			if err := e.exec(ctx, "INSERT INTO result_quarters VALUES (?, ?)", p.ID, per.Name); err != nil {
				return err
			}
		}
	}
	return nil
}

// PlanTotal is a plan's points for one period, summed over its targets.
type PlanTotal struct {
	Plan      string
	Period    string
	Complete  bool
	Points    float64
	MaxPoints float64
	Targets   int
	Met       int
	NoData    int // targets without decided cases in the period
}

// planTotals sums the year rows of each plan for the run summary.
func (e *engine) planTotals(ctx context.Context) ([]PlanTotal, error) {
	return queryFile(ctx, e, "plan_totals.sql", func(scan func(...any) error) (PlanTotal, error) {
		var t PlanTotal
		return t, scan(&t.Plan, &t.Period, &t.Complete, &t.Points, &t.MaxPoints, &t.Targets, &t.Met, &t.NoData)
	})
}

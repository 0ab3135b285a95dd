package compute

import (
	"context"

	"scorecard/pipeline/engine"
	"scorecard/pipeline/runstate"
)

// computeAtRisk lists the at-risk cases into the table at_risk, and counts them per target for
// the run summary.
func (r *run) computeAtRisk(ctx context.Context) error {
	if err := r.Eng.RunFile(ctx, "at_risk.sql"); err != nil {
		return err
	}
	counts, err := engine.QueryFile(ctx, r.Eng, "at_risk_counts.sql", func(scan func(...any) error) (runstate.AtRiskCount, error) {
		var c runstate.AtRiskCount
		return c, scan(&c.Plan, &c.TargetID, &c.Cases, &c.Late)
	})
	r.Summary.AtRisk = counts
	return err
}

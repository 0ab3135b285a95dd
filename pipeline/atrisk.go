package pipeline

import (
	"context"

	"scorecard/pipeline/engine"
)

// AtRiskCount is how many open cases of a target are at risk (SPEC §8), and how many of them
// are late already.
type AtRiskCount struct {
	Plan, TargetID string
	Cases, Late    int64
}

// computeAtRisk lists the at-risk cases into the table at_risk, and counts them per target for
// the run summary.
func (r *run) computeAtRisk(ctx context.Context) error {
	if err := r.eng.RunFile(ctx, "at_risk.sql"); err != nil {
		return err
	}
	counts, err := engine.QueryFile(ctx, r.eng, "at_risk_counts.sql", func(scan func(...any) error) (AtRiskCount, error) {
		var c AtRiskCount
		return c, scan(&c.Plan, &c.TargetID, &c.Cases, &c.Late)
	})
	r.summary.AtRisk = counts
	return err
}

package outputs

import (
	"io"
)

// AtRiskColumns are the at_risk_csv output's header: the at_risk view's columns (SPEC §8)
// and the as-of date they were counted at.
var AtRiskColumns = []string{
	"plan", "target_id", "case_id", "source", "submitted_date", "deadline", "days_left",
	"age_days", "as_of",
}

// writeAtRiskCSV writes the at-risk cases for team leads in the report's order, the most
// urgent first (report_at_risk.sql: deadline, then case_id), under AtRiskColumns. Text cells
// are neutralised as in the scorecard's CSV: a case id comes from a source system.
func writeAtRiskCSV(w io.Writer, r *Report) error {
	return writeCSVRows(w, AtRiskColumns, r.AtRisk, AtRiskCase.values)
}

// values returns the case's values in AtRiskColumns order.
func (c AtRiskCase) values() []any {
	return []any{
		c.Plan, c.TargetID, c.CaseID, c.Source, date(c.SubmittedDate), date(c.Deadline),
		c.DaysLeft, c.AgeDays, date(c.AsOf),
	}
}

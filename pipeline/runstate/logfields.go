package runstate

// Log field names, shared by every log line so the scheduler can filter on them.
const (
	FieldRunID    = "run_id"
	FieldSource   = "source"
	FieldPlan     = "plan"
	FieldPeriod   = "period"
	FieldRows     = "rows"
	FieldDuration = "duration"
	FieldStage    = "stage"
	FieldReason   = "reason"
	FieldPath     = "path"
)

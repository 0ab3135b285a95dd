package outputs

import (
	"strconv"
	"time"
)

// Columns are the scorecard's columns in SPEC §6 order, with the shares of
// SPEC §8 (pct_low and pct_high after pct_within_target, excluded_pct after
// excluded): the CSV header, the JSON keys, the PostgreSQL columns (and its
// upsert's SET list) and the workbook's Data sheet. The scorecard view declares
// them (views.sql); TestViewColumnsAreTheDeclared holds the two together.
var Columns = []string{
	"plan", "requirement_id", "target_id", "label", "period", "period_start", "period_end",
	"period_complete", "target_days", "min_pct", "decided", "within_target", "pct_within_target",
	"pct_low", "pct_high", "met", "points", "max_points", "excluded", "excluded_pct", "pending",
	"pending_breached", "run_id", "computed_at",
}

// DateLayout is how dates are written in every output.
const DateLayout = "2006-01-02"

// date marks a value that is a calendar date, not an instant.
type date time.Time

// values returns the row's values in Columns order: strings, date, bool,
// int64, float64, time.Time (computed_at) and nil for NULL.
func (r Row) values() []any {
	return []any{
		r.Plan, r.RequirementID, r.TargetID, r.Label, r.Period,
		date(r.PeriodStart), date(r.PeriodEnd), r.PeriodComplete,
		int64(r.TargetDays), r.MinPct, r.Decided, r.WithinTarget,
		orNil(r.PctWithinTarget), orNil(r.PctLow), orNil(r.PctHigh), orNil(r.Met),
		orNil(r.Points), r.MaxPoints, r.Excluded, orNil(r.ExcludedPct), r.Pending,
		r.PendingBreached, r.RunID, r.ComputedAt,
	}
}

// orNil turns a nil pointer into an untyped nil and dereferences the rest.
func orNil[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// formatFloat writes a float in the shortest form that reads back exactly,
// without an exponent.
func formatFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// formatInstant writes a timestamp as RFC 3339 in UTC, keeping fractions of
// a second so it matches the lake's value.
func formatInstant(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

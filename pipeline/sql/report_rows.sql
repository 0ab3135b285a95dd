-- report_rows.sql: every scorecard row of the published lake, for the loaders.
SELECT plan, requirement_id, target_id, label, period, period_start, period_end,
    period_complete, target_days, min_pct, decided, within_target, pct_within_target, pct_low,
    pct_high, met, points, max_points, excluded, excluded_pct, pending, pending_breached, run_id,
    computed_at
FROM scorecard
ORDER BY plan, target_id, period

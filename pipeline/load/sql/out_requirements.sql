-- out_requirements.sql: the contract scorecard, whole.
SELECT plan, requirement_id, title, kind, period, period_end, period_complete, measure,
    threshold, met, points, max_points, status, detail, run_id
FROM requirement_rows
ORDER BY plan, ord, period_ord

-- out_scorecard.sql: one partition of the scorecard (partition key plan).
SELECT * EXCLUDE (plan, target_ord, period_ord)
FROM scorecard
WHERE plan = getvariable('partition')
ORDER BY target_ord, period_ord

-- out_scorecard.sql: one partition of the scorecard (plan = part_a, period_group = part_b).
SELECT * EXCLUDE (plan, target_ord, period_ord, period_group)
FROM scorecard
WHERE plan = getvariable('part_a') AND period_group = getvariable('part_b')
ORDER BY target_ord, period_ord

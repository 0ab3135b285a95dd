-- out_scorecard.sql: the scorecard rows this run computed, partitioned by plan and
-- period_group.
SELECT * EXCLUDE (target_ord, period_ord)
FROM scorecard
ORDER BY plan, target_ord, period_ord

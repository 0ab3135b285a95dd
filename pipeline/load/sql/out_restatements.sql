-- out_restatements.sql: the scorecard rows this run changed, with the cases behind each change.
SELECT *
FROM restatements
ORDER BY plan, target_id, period

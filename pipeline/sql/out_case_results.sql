-- out_case_results.sql: one partition of case_results (partition key plan).
SELECT * EXCLUDE (plan)
FROM case_results
WHERE plan = getvariable('partition')
ORDER BY target_id, source, case_id

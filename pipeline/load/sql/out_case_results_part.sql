-- out_case_results_part.sql: an empty quarter of case_results (plan = part_a, quarter = part_b).
SELECT * EXCLUDE (plan, quarter)
FROM case_results
WHERE plan = getvariable('part_a') AND quarter = getvariable('part_b')
ORDER BY target_id, source, case_id

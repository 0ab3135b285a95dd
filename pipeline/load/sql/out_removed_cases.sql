-- out_removed_cases.sql: the published cases this run removed, and why.
SELECT *
FROM removed_cases
ORDER BY source, case_id

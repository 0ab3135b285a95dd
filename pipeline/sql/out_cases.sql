-- out_cases.sql: one partition of cases (decided_quarter = part_a).
SELECT *
FROM cases
WHERE sc_quarter(decided_date) = getvariable('part_a')
ORDER BY source, case_id

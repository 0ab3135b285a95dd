-- out_cases.sql: one partition of the cases table (partition key decided_year).
SELECT * EXCLUDE (decided_year)
FROM (
    SELECT *, coalesce(CAST(year(decided_date) AS VARCHAR), 'undecided') AS decided_year
    FROM cases
)
WHERE decided_year = getvariable('partition')
ORDER BY source, case_id

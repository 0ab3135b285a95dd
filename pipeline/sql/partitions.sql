-- partitions.sql: the partition values this run writes, per table. Every configured source and
-- plan gets a partition even when empty, so each view always has a file to read.
SELECT 'cases' AS tbl, 'decided_year' AS key, v AS value
FROM (
    SELECT DISTINCT coalesce(CAST(year(decided_date) AS VARCHAR), 'undecided') AS v FROM cases
    UNION SELECT 'undecided'
)
UNION ALL
SELECT 'quarantine', 'source', unnest(getvariable('sources'))
UNION ALL
SELECT DISTINCT 'case_results', 'plan', plan FROM targets
UNION ALL
SELECT DISTINCT 'scorecard', 'plan', plan FROM targets
ORDER BY 1, 3

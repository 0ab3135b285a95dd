-- parts.sql: the partitions this run writes, table by table (part_b is '' for one-key tables).
SELECT 'cases' AS tbl, part AS part_a, '' AS part_b FROM touched_case_parts
UNION ALL
SELECT 'quarantine', unnest(getvariable('sources')), ''
UNION ALL
SELECT 'case_results', plan, quarter FROM result_quarters
UNION ALL
SELECT DISTINCT 'scorecard', plan, period_group FROM periods
ORDER BY 1, 2, 3

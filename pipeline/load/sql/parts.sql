-- parts.sql: the partitions written one by one (part_b is '' for one-key tables): each
-- source's quarantine of this run, and every result quarter (those with rows are already
-- written, the others get an empty file).
SELECT 'quarantine' AS tbl, unnest(getvariable('sources')) AS part_a, '' AS part_b
UNION ALL
SELECT 'case_results', plan, quarter FROM result_quarters
ORDER BY 1, 2, 3

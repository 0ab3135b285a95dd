-- parts.sql: the partitions written one by one (part_b is '' for one-key tables): the
-- quarantine of this run of each source it rejected rows of (the view reads a source's current
-- rejections through the landed files, so an empty partition would say nothing, and every
-- version would link it: load.go writeHistory), and every result quarter (those with rows are
-- already written, the others get an empty file, which replaces the published one).
SELECT DISTINCT 'quarantine' AS tbl, CAST(source AS VARCHAR) AS part_a, '' AS part_b
FROM quarantine
UNION ALL
SELECT 'case_results', plan, quarter FROM result_quarters
ORDER BY 1, 2, 3

-- merge_rebuilt.sql: the partitions that held a rebuilt source's cases are rewritten too, so
-- the cases it no longer holds leave them.
INSERT INTO touched_case_parts
SELECT DISTINCT decided_quarter
FROM published_case_parts
WHERE list_contains(getvariable('rebuilt_sources'), source)
EXCEPT
SELECT part FROM touched_case_parts;

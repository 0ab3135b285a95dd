-- previous_rebuilt.sql: a rebuilt source's cases are replaced by what it holds now, so its
-- published ones are left out of the merge.
-- (previous_cases follows: it is a view over previous_case_parts.)
CREATE OR REPLACE TEMP VIEW previous_case_parts AS
SELECT * FROM published_case_parts
WHERE NOT list_contains(getvariable('rebuilt_sources'), source);

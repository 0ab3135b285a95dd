-- previous_rebuilt.sql: a rebuilt source's cases are replaced by what it holds now, so its
-- published ones are left out of the merge.
-- (previous_case_parts and previous_cases follow: they are views over previous_case_rows.)
CREATE OR REPLACE TEMP VIEW previous_case_rows AS
SELECT * FROM published_case_rows
WHERE NOT list_contains(getvariable('rebuilt_sources'), source);
-- previous_cases_count: what is left of them, counted (caseFileBounds's count from the footers
-- holds the rebuilt source's cases too).
SET VARIABLE previous_cases_count = (SELECT count(*) FROM previous_cases);

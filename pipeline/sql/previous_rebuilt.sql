-- previous_rebuilt.sql: a rebuilt source's cases are replaced by what it holds now, so its
-- published ones are left out of the merge.
CREATE OR REPLACE TEMP VIEW previous_cases AS
SELECT * FROM published_cases
WHERE NOT list_contains(getvariable('rebuilt_sources'), source);

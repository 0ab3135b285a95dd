-- merge_first.sql: the first version of a lake: this run's rows are the cases, all new.
CREATE OR REPLACE TEMP VIEW cases AS SELECT * FROM fresh;
CREATE OR REPLACE TEMP VIEW changed AS SELECT * FROM cases;
SET VARIABLE cases_count = (SELECT count(*) FROM cases);
-- (the quarter of each distinct date: a few thousand, where the cases are millions)
CREATE OR REPLACE TEMP TABLE touched_case_parts AS
SELECT DISTINCT sc_quarter(d) AS part FROM (SELECT DISTINCT decided_date AS d FROM cases)
UNION SELECT 'undecided';
CREATE OR REPLACE TEMP VIEW cases_to_write AS SELECT * FROM cases;

-- merge_first.sql: the first version of a lake: this run's rows are the cases, all new.
CREATE OR REPLACE TEMP VIEW cases AS SELECT * FROM fresh;
CREATE OR REPLACE TEMP VIEW changed AS SELECT * FROM cases;
CREATE OR REPLACE TEMP TABLE touched_case_parts AS
SELECT DISTINCT sc_quarter(decided_date) AS part FROM cases
UNION SELECT 'undecided';
CREATE OR REPLACE TEMP VIEW cases_to_write AS SELECT * FROM cases;

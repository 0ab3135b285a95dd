-- merge_first.sql: the first version of a lake: this run's rows are the cases, all new.
CREATE OR REPLACE TEMP VIEW changed AS SELECT * FROM fresh;
CREATE OR REPLACE TEMP VIEW cases AS -- as in merge.sql
SELECT *, NULL::VARCHAR AS decided_quarter, true AS changed_case FROM changed;
-- changed_days: the cases counted per source and decision day (and, when open, year of
-- submission), in one read of the parsed rows; the counts and the partitions to write come
-- from these few thousand rows.
CREATE OR REPLACE TEMP TABLE changed_days AS
SELECT source, decided_date,
    CASE WHEN decided_date IS NULL THEN date_trunc('year', submitted_date) END AS open_since,
    count(*) AS cases
FROM changed GROUP BY ALL;
SET VARIABLE cases_count = (SELECT coalesce(sum(cases), 0)::BIGINT FROM changed_days);
CREATE OR REPLACE TEMP TABLE touched_case_parts AS
SELECT DISTINCT sc_case_part_text(decided_date, open_since) AS part FROM changed_days;
CREATE OR REPLACE TEMP VIEW cases_to_write AS SELECT * FROM changed;

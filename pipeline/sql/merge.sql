-- merge.sql: this run's rows merged into the lake's cases. A case arriving again replaces the
-- published record when it is newer (updated_at, then extraction); only those cases change, and
-- only the partitions that held them or now hold them are rewritten.
CREATE OR REPLACE TEMP TABLE changed AS
SELECT * FROM fresh f ANTI JOIN previous_cases p USING (source, case_id)
UNION ALL BY NAME
SELECT * EXCLUDE (fresh_row) FROM (
    SELECT *, 1 AS fresh_row FROM fresh f SEMI JOIN previous_cases p USING (source, case_id)
    UNION ALL BY NAME
    SELECT *, 0 AS fresh_row FROM previous_cases p SEMI JOIN fresh f USING (source, case_id)
)
QUALIFY row_number() OVER (
    PARTITION BY source, case_id
    ORDER BY updated_at DESC NULLS LAST, extracted_at DESC, fresh_row DESC, source_file DESC, source_row DESC
) = 1 AND fresh_row = 1;

-- cases: a view, so the published cases are read from their files, not copied.
CREATE OR REPLACE TEMP VIEW cases AS
SELECT p.* FROM previous_cases p
ANTI JOIN changed c ON c.source = p.source AND c.case_id = p.case_id
UNION ALL BY NAME
SELECT * FROM changed;

-- touched_case_parts: the cases partitions to rewrite: where changed cases are now and where
-- they were (merge_rebuilt.sql adds where a rebuilt source's cases were).
CREATE OR REPLACE TEMP TABLE touched_case_parts AS
SELECT DISTINCT sc_quarter(decided_date) AS part FROM changed
UNION
SELECT DISTINCT sc_quarter(p.decided_date)
FROM previous_cases p
SEMI JOIN changed c ON c.source = p.source AND c.case_id = p.case_id;

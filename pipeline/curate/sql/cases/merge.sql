-- merge.sql: this run's rows merged into the lake's cases. A case arriving again replaces the
-- published record when it is newer (updated_at, then extraction); only those cases change, and
-- only the partitions that held them or now hold them are rewritten.
-- match_open: the published records of the open cases this run brings again, looked for first
-- and exactly (a constant filter on the partition: the other files are not opened), with what
-- `matched` keeps of them: read in the one pass that finds them, where reading the records
-- again from the files took 17 to 28 ms of a nightly run at ten million cases. A day's updates
-- are mostly of open cases, whose partitions are small, and a case lies in one partition only,
-- so an id found there is not looked for anywhere else.
CREATE OR REPLACE TEMP TABLE match_open AS
SELECT p.*
FROM (
    SELECT source, case_id, updated_at, extracted_at, source_file, source_row,
        case_type, first_time, complex, has_service_target, submitted_date, decided_date
    FROM previous_case_rows
    WHERE starts_with(decided_quarter, 'undecided')
) p SEMI JOIN fresh f USING (source, case_id);
-- sought: this run's cases not found among the open ones: new cases, and decided ones again.
CREATE OR REPLACE TEMP TABLE sought AS
SELECT source, case_id FROM fresh ANTI JOIN match_open USING (source, case_id);

-- match_rows: where the published records of the decided cases this run brings again may lie,
-- sought by reading the ids of the decided cases alone, joined by their hashes (integers join
-- faster than texts: 0.17 against 0.23 s at ten million cases); a hash shared by two ids merely
-- reads one more record, which `matched` leaves out. A file none of the sought ids falls within
-- the bounds of (case_file_bounds.sql) is not opened: a constant list, where a filter on the
-- ids' range was compared with every id read (50 ms at ten million cases). A nightly run's new
-- ids are mostly beyond the older files' bounds, so a day of new cases and updates of open ones
-- reads no decided file at all (0.18 s to 0.02 s at ten million cases).
SET VARIABLE unmatched_files = (
    SELECT coalesce(list(b.file), [])
    FROM case_file_bounds b
    ANTI JOIN sought f ON f.case_id BETWEEN b.min_id AND b.max_id);
CREATE OR REPLACE TEMP TABLE match_rows AS
SELECT p.decided_quarter, p.filename, p.file_row_number
FROM (
    SELECT decided_quarter, filename, file_row_number, hash(case_id) AS key FROM previous_case_rows
    WHERE NOT starts_with(decided_quarter, 'undecided')
        AND NOT list_contains(getvariable('unmatched_files'), filename)
) p SEMI JOIN (SELECT hash(case_id) AS key FROM sought) f USING (key);
SET VARIABLE match_parts = (SELECT coalesce(list(DISTINCT decided_quarter), []) FROM match_rows);

-- matched: the published records of the cases this run brings again, what decides which record
-- wins and what of the published one the figures read (`replaced`): the open ones found above,
-- the decided ones read from the partitions that hold them only (a constant filter on the
-- partition key: the other files are not opened). Reading every column of every published case
-- to find them took 0.42 s at ten million cases, the ids and then the records 0.25 s.
CREATE OR REPLACE TEMP TABLE matched AS
SELECT * FROM match_open
UNION ALL BY NAME
SELECT p.source, p.case_id, p.updated_at, p.extracted_at, p.source_file, p.source_row,
    p.case_type, p.first_time, p.complex, p.has_service_target, p.submitted_date, p.decided_date
FROM (
    SELECT * FROM previous_case_rows
    WHERE list_contains(getvariable('match_parts'), decided_quarter)
) p SEMI JOIN match_rows m USING (filename, file_row_number)
SEMI JOIN fresh f USING (source, case_id);

-- changed: this run's cases that are new or whose record outranks the published one
-- (sc_record_rank; this run's record wins a tie). `fresh` holds one record a case and the lake
-- one, so a record is changed unless the published one ranks higher: one anti join, where a
-- window ranking each case's two records took 25 to 30 ms of a nightly run of 10,000 rows.
-- (No part of a rank is ever NULL: an extraction time, a file and a row each record has.)
CREATE OR REPLACE TEMP TABLE changed AS
SELECT * FROM fresh f
ANTI JOIN matched p ON p.source = f.source AND p.case_id = f.case_id
    AND sc_record_rank(p.updated_at, p.extracted_at, p.source_file, p.source_row)
        > sc_record_rank(f.updated_at, f.extracted_at, f.source_file::VARCHAR, f.source_row);

-- changed_days: the changed cases counted per source and decision day (counts.sql).
CREATE OR REPLACE TEMP TABLE changed_days AS
SELECT source, decided_date, count(*) AS cases FROM changed GROUP BY ALL;

-- cases: a view, so the published cases are read from their files, not copied. It keeps the
-- published partition (decided_quarter; NULL for the changed cases), so that a filter on it
-- skips whole files (case_results.sql), and says which cases this run changed (restatements.sql
-- compares their results).
CREATE OR REPLACE TEMP VIEW cases AS
SELECT p.*, false AS changed_case FROM previous_case_parts p
ANTI JOIN changed c ON c.source = p.source AND c.case_id = p.case_id
UNION ALL BY NAME
SELECT *, true AS changed_case FROM changed;

-- replaced: the published records the changed cases replace: what of them the figures read
-- (compute_scope.sql compares it with the new record) and their partitions.
CREATE OR REPLACE TEMP TABLE replaced AS
SELECT p.source, p.case_id, p.case_type, p.first_time, p.complex, p.has_service_target,
    p.submitted_date, p.decided_date
FROM matched p
SEMI JOIN changed c ON c.source = p.source AND c.case_id = p.case_id;

-- cases_count: the rows of `cases`, counted from its parts rather than by reading it (the
-- published cases from their files' footers: curate.go caseFileBounds).
SET VARIABLE cases_count = getvariable('previous_cases_count')
    - (SELECT count(*) FROM replaced) + (SELECT count(*) FROM changed);

-- touched_case_parts: the cases partitions to rewrite: where changed cases are now and where
-- they were (merge_rebuilt.sql adds where a rebuilt source's cases were, merge_undecided.sql
-- the partitions of a lake's open cases written before they were partitioned by year).
CREATE OR REPLACE TEMP TABLE touched_case_parts AS
SELECT DISTINCT sc_case_part_text(decided_date, submitted_date) AS part FROM changed
UNION
SELECT DISTINCT sc_case_part_text(decided_date, submitted_date) FROM replaced;

-- cases_to_write: the cases of the partitions this run rewrites (touched_parts.sql names them
-- once merge_rebuilt.sql had its say). The filter on the partition key is a constant, so the
-- published files of the other partitions are not even opened.
CREATE OR REPLACE TEMP VIEW cases_to_write AS
SELECT p.*
FROM (
    SELECT * EXCLUDE (decided_quarter) FROM previous_case_parts
    WHERE list_contains(getvariable('touched_parts'), decided_quarter)
) p
ANTI JOIN changed c ON c.source = p.source AND c.case_id = p.case_id
UNION ALL BY NAME
SELECT * FROM changed;

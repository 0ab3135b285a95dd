-- views.sql: the lake's views for `scorecard query` and auditors (SPEC §6), over the Parquet
-- files under the folder in the variable `lake`. Partition keys come back from the paths.
-- Each view is a section headed `-- view: NAME GLOB`; Go creates it when GLOB matches a file.

-- view: cases cases/*/*.parquet
CREATE OR REPLACE VIEW cases AS
SELECT case_id, case_type, first_time, complex, has_service_target, submitted_at, decided_at,
    updated_at, area, submitted_date, decided_date, source, source_file, source_row,
    extracted_at, run_id
FROM read_parquet(getvariable('lake') || '/cases/*/*.parquet',
    hive_partitioning = true, hive_types = {'decided_quarter': VARCHAR});

-- view: case_results case_results/*/*/*.parquet
CREATE OR REPLACE VIEW case_results AS
SELECT plan, target_id, case_id, source, submitted_date, decided_date, elapsed_days,
    target_days, within_target, run_id
FROM read_parquet(getvariable('lake') || '/case_results/*/*/*.parquet',
    hive_partitioning = true, hive_types = {'plan': VARCHAR, 'quarter': VARCHAR});

-- view: scorecard scorecard/*/*/*.parquet
CREATE OR REPLACE VIEW scorecard AS
SELECT plan, requirement_id, target_id, label, period, period_start, period_end,
    period_complete, target_days, min_pct, decided, within_target, pct_within_target, met,
    points, max_points, excluded, pending, pending_breached, run_id, computed_at
FROM read_parquet(getvariable('lake') || '/scorecard/*/*/*.parquet',
    hive_partitioning = true, hive_types = {'plan': VARCHAR, 'period_group': VARCHAR});

-- view: quarantine quarantine/*/*/*.parquet
-- The rejected rows still current: a file landed again (changed) replaces the rows its earlier
-- landings rejected, a file gone takes them along; rows of SQL sources, which land no files,
-- all stay.
CREATE OR REPLACE VIEW quarantine AS
WITH rejected AS (
    SELECT reason, source, source_file, source_row, case_id, case_type, first_time, complex,
        has_service_target, submitted_at, decided_at, updated_at, extracted_at, run_id
    FROM read_parquet(getvariable('lake') || '/quarantine/*/*/*.parquet',
        hive_partitioning = true, hive_types = {'source': VARCHAR, 'run_id': VARCHAR})
), landed AS (
    SELECT source, path, run_id
    FROM read_parquet(getvariable('lake') || '/state/landed_files/*.parquet')
)
SELECT q.*
FROM rejected q
LEFT JOIN landed l ON l.source = q.source AND l.path = q.source_file
WHERE l.run_id = q.run_id
    OR (l.run_id IS NULL AND q.source NOT IN (SELECT source FROM landed));

-- view: restatements restatements/*/*.parquet
CREATE OR REPLACE VIEW restatements AS
SELECT plan, requirement_id, target_id, period, period_start, period_end,
    old_decided, new_decided, old_within_target, new_within_target,
    old_pct_within_target, new_pct_within_target, old_met, new_met, old_points, new_points,
    old_excluded, new_excluded, old_pending, new_pending,
    old_pending_breached, new_pending_breached, old_run_id, new_run_id, changed_cases
FROM read_parquet(getvariable('lake') || '/restatements/*/*.parquet',
    hive_partitioning = true, hive_types = {'run_id': VARCHAR});

-- view: removed_cases removed_cases/*/*.parquet
-- The published cases a run removed (a snapshot source, or an SQL source read whole, that no
-- longer holds them, or whose new row was quarantined), with the record that left and why.
CREATE OR REPLACE VIEW removed_cases AS
SELECT run_id, source, case_id, case_type, area, submitted_date, decided_date, source_file,
    source_row, published_run_id, reason, quarantine_reason, quarantine_file, quarantine_row
FROM read_parquet(getvariable('lake') || '/removed_cases/*/*.parquet',
    hive_partitioning = true, hive_types = {'run_id': VARCHAR});

-- view: runs runs/*.parquet
CREATE OR REPLACE VIEW runs AS
SELECT *
FROM read_parquet(getvariable('lake') || '/runs/*.parquet', hive_partitioning = false, union_by_name = true);

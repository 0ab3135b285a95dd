-- views.sql: the lake's views for `scorecard query` and auditors (SPEC §6), over the Parquet
-- files under the folder in the variable `lake`. Partition keys come back from the paths.
-- Each view is a section headed `-- view: NAME GLOB`, then `-- empty:` lines: the view's
-- columns with their types, as in STRUCT(...). Go creates the view as written when GLOB
-- matches a file; when none does (no run has written the table), as no rows of those columns,
-- so that it reads as empty (TestEmptyViewsKeepTheirColumns checks they are the same). A body
-- may say {{empty}} for that query of no rows, to take its columns from the declaration.

-- view: cases cases/*/*.parquet
-- empty: case_id VARCHAR, case_type VARCHAR, first_time BOOLEAN, complex BOOLEAN,
-- empty:     has_service_target BOOLEAN, submitted_at VARCHAR, decided_at VARCHAR,
-- empty:     updated_at TIMESTAMPTZ, area VARCHAR, submitted_date DATE, decided_date DATE,
-- empty:     source VARCHAR, source_file VARCHAR, source_row BIGINT, extracted_at TIMESTAMPTZ,
-- empty:     run_id VARCHAR
CREATE OR REPLACE VIEW cases AS
SELECT case_id, case_type, first_time, complex, has_service_target, submitted_at, decided_at,
    updated_at, area, submitted_date, decided_date, source, source_file, source_row,
    extracted_at, run_id
FROM read_parquet(getvariable('lake') || '/cases/*/*.parquet',
    hive_partitioning = true, hive_types = {'decided_quarter': VARCHAR});

-- view: case_results case_results/*/*/*.parquet
-- empty: plan VARCHAR, target_id VARCHAR, case_id VARCHAR, source VARCHAR, submitted_date DATE,
-- empty:     decided_date DATE, elapsed_days BIGINT, target_days INTEGER, within_target BOOLEAN,
-- empty:     run_id VARCHAR
CREATE OR REPLACE VIEW case_results AS
SELECT plan, target_id, case_id, source, submitted_date, decided_date, elapsed_days,
    target_days, within_target, run_id
FROM read_parquet(getvariable('lake') || '/case_results/*/*/*.parquet',
    hive_partitioning = true, hive_types = {'plan': VARCHAR, 'quarter': VARCHAR});

-- view: scorecard scorecard/*/*/*.parquet
-- empty: plan VARCHAR, requirement_id VARCHAR, target_id VARCHAR, label VARCHAR, period VARCHAR,
-- empty:     period_start DATE, period_end DATE, period_complete BOOLEAN, target_days INTEGER,
-- empty:     min_pct DOUBLE, decided BIGINT, within_target BIGINT, pct_within_target DOUBLE,
-- empty:     pct_low DOUBLE, pct_high DOUBLE, met BOOLEAN, points DOUBLE, max_points DOUBLE,
-- empty:     excluded BIGINT, excluded_pct DOUBLE, pending BIGINT, pending_breached BIGINT,
-- empty:     run_id VARCHAR, computed_at TIMESTAMPTZ
-- The columns are those declared above, in their order ({{empty}} is no row of them): a
-- partition written before pct_low, pct_high and excluded_pct (SPEC §8) reads them as NULL
-- until a run rewrites it; the first nightly run of a version that has them recomputes every
-- period (compute_scope.sql).
CREATE OR REPLACE VIEW scorecard AS
SELECT *
FROM (
    {{empty}}
    UNION ALL BY NAME
    SELECT * EXCLUDE (period_group)
    FROM read_parquet(getvariable('lake') || '/scorecard/*/*/*.parquet', union_by_name = true,
        hive_partitioning = true, hive_types = {'plan': VARCHAR, 'period_group': VARCHAR})
);

-- view: quarantine quarantine/*/*/*.parquet
-- empty: reason VARCHAR, dataset VARCHAR, source VARCHAR, source_file VARCHAR, source_row BIGINT,
-- empty:     case_id VARCHAR, case_type VARCHAR, first_time VARCHAR, complex VARCHAR,
-- empty:     has_service_target VARCHAR, submitted_at VARCHAR, decided_at VARCHAR,
-- empty:     updated_at VARCHAR, snapshot_at VARCHAR, site VARCHAR, next_free_at VARCHAR,
-- empty:     plan VARCHAR, requirement_id VARCHAR, item_id VARCHAR, done_on VARCHAR,
-- empty:     value VARCHAR, points VARCHAR, recorded_at VARCHAR, note VARCHAR,
-- empty:     extracted_at TIMESTAMPTZ, run_id VARCHAR
-- Every dataset's raw cells under their own names (sources/dataset.go): a row fills those of
-- its `dataset` and leaves the others NULL (a partition written before a column, NULL too).
-- The rejected rows still current: a file landed again (changed) replaces the rows its earlier
-- landings rejected, a file gone takes them along. An SQL source read whole lands its table as
-- one file (named as its rows' source_file), so its latest read's rows are shown; an incremental
-- one lands no file, and all its rows stay.
CREATE OR REPLACE VIEW quarantine AS
WITH rejected AS (
    {{empty}}
    UNION ALL BY NAME
    FROM read_parquet(getvariable('lake') || '/quarantine/*/*/*.parquet', union_by_name = true,
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
-- empty: plan VARCHAR, requirement_id VARCHAR, target_id VARCHAR, period VARCHAR,
-- empty:     period_start DATE, period_end DATE, old_decided BIGINT, new_decided BIGINT,
-- empty:     old_within_target BIGINT, new_within_target BIGINT, old_pct_within_target DOUBLE,
-- empty:     new_pct_within_target DOUBLE, old_met BOOLEAN, new_met BOOLEAN, old_points DOUBLE,
-- empty:     new_points DOUBLE, old_excluded BIGINT, new_excluded BIGINT, old_pending BIGINT,
-- empty:     new_pending BIGINT, old_pending_breached BIGINT, new_pending_breached BIGINT,
-- empty:     old_run_id VARCHAR, new_run_id VARCHAR,
-- empty:     changed_cases STRUCT(source VARCHAR, case_id VARCHAR, change VARCHAR,
-- empty:         old_decided_date DATE, new_decided_date DATE, old_within_target BOOLEAN,
-- empty:         new_within_target BOOLEAN)[]
CREATE OR REPLACE VIEW restatements AS
SELECT plan, requirement_id, target_id, period, period_start, period_end,
    old_decided, new_decided, old_within_target, new_within_target,
    old_pct_within_target, new_pct_within_target, old_met, new_met, old_points, new_points,
    old_excluded, new_excluded, old_pending, new_pending,
    old_pending_breached, new_pending_breached, old_run_id, new_run_id, changed_cases
FROM read_parquet(getvariable('lake') || '/restatements/*/*.parquet',
    hive_partitioning = true, hive_types = {'run_id': VARCHAR});

-- view: removed_cases removed_cases/*/*.parquet
-- empty: run_id VARCHAR, source VARCHAR, case_id VARCHAR, case_type VARCHAR, area VARCHAR,
-- empty:     submitted_date DATE, decided_date DATE, source_file VARCHAR, source_row BIGINT,
-- empty:     published_run_id VARCHAR, reason VARCHAR, quarantine_reason VARCHAR,
-- empty:     quarantine_file VARCHAR, quarantine_row BIGINT
-- The published cases a run removed (a snapshot source, or an SQL source read whole, that no
-- longer holds them, or whose new row was quarantined), with the record that left and why.
CREATE OR REPLACE VIEW removed_cases AS
SELECT run_id, source, case_id, case_type, area, submitted_date, decided_date, source_file,
    source_row, published_run_id, reason, quarantine_reason, quarantine_file, quarantine_row
FROM read_parquet(getvariable('lake') || '/removed_cases/*/*.parquet',
    hive_partitioning = true, hive_types = {'run_id': VARCHAR});

-- view: forecast forecast/*.parquet
-- The expected year-end fulfilment of every target as of the published run's as-of date (SPEC
-- §8; the method is in the README). Replaced by every run.
-- empty: plan VARCHAR, target_id VARCHAR, as_of DATE, year_start DATE, year_end DATE,
-- empty:     target_days INTEGER, min_pct DOUBLE, decided BIGINT, within_target BIGINT,
-- empty:     backlog BIGINT, backlog_late BIGINT, backlog_in_time BIGINT,
-- empty:     best_case_pct DOUBLE, worst_case_pct DOUBLE, expected_decided DOUBLE,
-- empty:     needed_pct DOUBLE, expected_pct DOUBLE, expected_pct_low DOUBLE,
-- empty:     expected_pct_high DOUBLE, p_met DOUBLE, expected_points DOUBLE, max_points DOUBLE,
-- empty:     run_id VARCHAR
CREATE OR REPLACE VIEW forecast AS
SELECT plan, target_id, as_of, year_start, year_end, target_days, min_pct, decided,
    within_target, backlog, backlog_late, backlog_in_time, best_case_pct, worst_case_pct,
    expected_decided, needed_pct, expected_pct, expected_pct_low, expected_pct_high, p_met,
    expected_points, max_points, run_id
FROM read_parquet(getvariable('lake') || '/forecast/*.parquet');

-- view: at_risk at_risk/*.parquet
-- The open cases whose deadline falls within at_risk_days of the published run's as-of date,
-- or has passed (SPEC §8). Replaced by every run.
-- empty: plan VARCHAR, target_id VARCHAR, case_id VARCHAR, source VARCHAR, submitted_date DATE,
-- empty:     deadline DATE, days_left INTEGER, age_days INTEGER, as_of DATE, run_id VARCHAR
CREATE OR REPLACE VIEW at_risk AS
SELECT plan, target_id, case_id, source, submitted_date, deadline, days_left, age_days, as_of,
    run_id
FROM read_parquet(getvariable('lake') || '/at_risk/*.parquet');

-- view: status status/*.parquet
-- The status register (SPEC §9): one row per plan, requirement and item, its newest record
-- (recorded_at) of every status source, typed. Written whole by every run.
-- empty: plan VARCHAR, requirement_id VARCHAR, item_id VARCHAR, done_on DATE, value DOUBLE,
-- empty:     points DOUBLE, recorded_at TIMESTAMPTZ, note VARCHAR, source VARCHAR,
-- empty:     source_file VARCHAR, source_row BIGINT, extracted_at TIMESTAMPTZ, run_id VARCHAR
CREATE OR REPLACE VIEW status AS
SELECT plan, requirement_id, item_id, done_on, value, points, recorded_at, note, source,
    source_file, source_row, extracted_at, run_id
FROM read_parquet(getvariable('lake') || '/status/*.parquet');

-- view: appointments appointments/*.parquet
-- The appointment snapshots (SPEC §9): one row per site and snapshot instant of every
-- appointments source, typed: snapshot_date is the snapshot's local date, next_free_date the
-- next free appointment's, wait_days the calendar days between them. Written whole by every run.
-- empty: snapshot_at TIMESTAMPTZ, snapshot_date DATE, site VARCHAR, next_free_at TIMESTAMPTZ,
-- empty:     next_free_date DATE, wait_days INTEGER, source VARCHAR, source_file VARCHAR,
-- empty:     source_row BIGINT, extracted_at TIMESTAMPTZ, run_id VARCHAR
CREATE OR REPLACE VIEW appointments AS
SELECT snapshot_at, snapshot_date, site, next_free_at, next_free_date, wait_days, source,
    source_file, source_row, extracted_at, run_id
FROM read_parquet(getvariable('lake') || '/appointments/*.parquet');

-- view: milestones milestones/*.parquet
-- One row per milestone of the configured plans as of the published run's as-of date (SPEC
-- §9): done (on or before due), done_late, open (not done, as-of on or before due) or overdue;
-- done_on is the day it was done, when known by the as-of date. Replaced by every run.
-- empty: plan VARCHAR, requirement_id VARCHAR, item_id VARCHAR, label VARCHAR, due DATE,
-- empty:     done_on DATE, status VARCHAR, as_of DATE, run_id VARCHAR
CREATE OR REPLACE VIEW milestones AS
SELECT plan, requirement_id, item_id, label, due, done_on, status, as_of, run_id
FROM read_parquet(getvariable('lake') || '/milestones/*.parquet');

-- view: appointment_days appointment_days/*.parquet
-- One row per plan, appointment_wait requirement and weekday of its year up to the published
-- run's as-of date (SPEC §9): the day's wait in calendar days from each site's first snapshot
-- of the day, across sites the shortest (sites: earliest) or the longest (each), site the one
-- that decides; wait_days NULL and met false on a weekday without a snapshot. Replaced by every
-- run.
-- empty: plan VARCHAR, requirement_id VARCHAR, day DATE, site VARCHAR, wait_days INTEGER,
-- empty:     met BOOLEAN, run_id VARCHAR
CREATE OR REPLACE VIEW appointment_days AS
SELECT plan, requirement_id, day, site, wait_days, met, run_id
FROM read_parquet(getvariable('lake') || '/appointment_days/*.parquet');

-- view: requirements requirements/*.parquet
-- The contract scorecard (SPEC §9): one row per plan, requirement and period (the year, its
-- quarters and months that have begun; a KPI's listed periods; an assessment's and manual
-- points' year) as of the period's end or the published run's as-of date. measure is the
-- targets met (case_share), the percentage of weekdays within the wait (appointment_wait), the
-- milestones done on time, the KPI's value or the assessment's sum; status is met, not_met, on_track, overdue, missing_data, no_ladder or awaiting; points
-- is NULL where they are not known (no data, no ladder, awaiting). The points of a plan's rows
-- add up to what the contract awards so far. Replaced by every run.
-- empty: plan VARCHAR, requirement_id VARCHAR, title VARCHAR, kind VARCHAR, period VARCHAR,
-- empty:     period_end DATE, period_complete BOOLEAN, measure DOUBLE, threshold DOUBLE,
-- empty:     met BOOLEAN, points DOUBLE, max_points DOUBLE, status VARCHAR, detail VARCHAR,
-- empty:     run_id VARCHAR
CREATE OR REPLACE VIEW requirements AS
SELECT plan, requirement_id, title, kind, period, period_end, period_complete, measure,
    threshold, met, points, max_points, status, detail, run_id
FROM read_parquet(getvariable('lake') || '/requirements/*.parquet');

-- view: runs runs/*.parquet
-- empty: run_id VARCHAR, command VARCHAR, mode VARCHAR, backfill_window VARCHAR, as_of DATE,
-- empty:     started_at TIMESTAMPTZ, ended_at TIMESTAMPTZ, status VARCHAR, error VARCHAR,
-- empty:     version VARCHAR, timezone VARCHAR,
-- empty:     plans STRUCT(plan VARCHAR, source VARCHAR, sha256 VARCHAR)[],
-- empty:     rules_sha256 VARCHAR,
-- empty:     sources STRUCT(source VARCHAR, kind VARCHAR, files_landed BIGINT, rows_read BIGINT,
-- empty:         rows_quarantined BIGINT, rows_written BIGINT)[],
-- empty:     quarantine STRUCT(reason VARCHAR, rows BIGINT)[],
-- empty:     outputs STRUCT(path VARCHAR, rows BIGINT, sha256 VARCHAR)[],
-- empty:     shrink STRUCT(source VARCHAR, mode VARCHAR, files_gone VARCHAR[], files_changed VARCHAR[],
-- empty:         rebuilt BOOLEAN, cases_published BIGINT, cases_removed BIGINT,
-- empty:         max_shrink_pct DOUBLE, allowed BOOLEAN)[],
-- empty:     restatements BIGINT,
-- empty:     loaders STRUCT(name VARCHAR, status VARCHAR, error VARCHAR)[],
-- empty:     kept_run_id VARCHAR
CREATE OR REPLACE VIEW runs AS
SELECT *
FROM read_parquet(getvariable('lake') || '/runs/*.parquet', hive_partitioning = false, union_by_name = true);

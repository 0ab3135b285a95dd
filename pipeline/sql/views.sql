-- views.sql: the lake's views for `scorecard query` and auditors (SPEC §6), over the Parquet
-- files under the folder in the variable `lake`. Partition keys come back from the paths.
CREATE OR REPLACE VIEW cases AS
SELECT case_id, case_type, first_time, complex, has_service_target, submitted_at, decided_at,
    updated_at, area, submitted_date, decided_date, source, source_file, source_row,
    extracted_at, run_id
FROM read_parquet(getvariable('lake') || '/cases/*/data.parquet',
    hive_partitioning = true, hive_types = {'decided_year': VARCHAR});

CREATE OR REPLACE VIEW case_results AS
SELECT plan, target_id, case_id, source, submitted_date, decided_date, elapsed_days,
    target_days, within_target, run_id
FROM read_parquet(getvariable('lake') || '/case_results/*/data.parquet',
    hive_partitioning = true, hive_types = {'plan': VARCHAR});

CREATE OR REPLACE VIEW scorecard AS
SELECT plan, requirement_id, target_id, label, period, period_start, period_end,
    period_complete, target_days, min_pct, decided, within_target, pct_within_target, met,
    points, max_points, excluded, pending, pending_breached, run_id, computed_at
FROM read_parquet(getvariable('lake') || '/scorecard/*/data.parquet',
    hive_partitioning = true, hive_types = {'plan': VARCHAR});

CREATE OR REPLACE VIEW quarantine AS
SELECT reason, source, source_file, source_row, case_id, case_type, first_time, complex,
    has_service_target, submitted_at, decided_at, updated_at, extracted_at, run_id
FROM read_parquet(getvariable('lake') || '/quarantine/*/data.parquet',
    hive_partitioning = true, hive_types = {'source': VARCHAR});

CREATE OR REPLACE VIEW runs AS
SELECT *
FROM read_parquet(getvariable('lake') || '/runs/*.parquet', hive_partitioning = false);

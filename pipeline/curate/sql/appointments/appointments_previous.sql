-- appointments_previous.sql: the published appointment snapshots (previous_appointments).
CREATE OR REPLACE TEMP VIEW previous_appointments AS
SELECT snapshot_at, snapshot_date, site, next_free_at, next_free_date, wait_days, source,
    source_file, source_row, extracted_at, run_id
FROM read_parquet(getvariable('previous_appointments'));

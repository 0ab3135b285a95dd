-- appointments_raw_none.sql: a run that landed no appointment snapshots still merges the
-- published ones.
CREATE OR REPLACE TEMP TABLE appointments_raw (
    snapshot_at VARCHAR, site VARCHAR, next_free_at VARCHAR,
    source_file VARCHAR, source_row BIGINT, defect VARCHAR, extracted_at TIMESTAMPTZ,
    source VARCHAR, run_id VARCHAR
);

-- appointments_fresh_none.sql: a run that landed no appointment snapshots has no fresh ones; it
-- still merges the published ones. Typed as appointments_curate.sql makes the table
-- (TestRegistersWithoutRowsKeepTheirColumns), which binding its macros took 14 ms to learn.
CREATE OR REPLACE TEMP TABLE appointments_fresh (
    snapshot_at TIMESTAMPTZ, snapshot_date DATE, site VARCHAR, next_free_at TIMESTAMPTZ,
    next_free_date DATE, wait_days INTEGER, source VARCHAR, source_file VARCHAR,
    source_row BIGINT, extracted_at TIMESTAMPTZ, run_id VARCHAR
);

-- status_fresh_none.sql: a run that landed no status rows has no fresh ones; it still merges
-- the published register. Typed as status_curate.sql makes the table
-- (TestRegistersWithoutRowsKeepTheirColumns), which binding its macros took 15 ms to learn.
CREATE OR REPLACE TEMP TABLE status_fresh (
    plan VARCHAR, requirement_id VARCHAR, item_id VARCHAR, done_on DATE, value DOUBLE,
    points DOUBLE, recorded_at TIMESTAMPTZ, note VARCHAR, source VARCHAR, source_file VARCHAR,
    source_row BIGINT, extracted_at TIMESTAMPTZ, run_id VARCHAR
);

-- status_raw_none.sql: a run that landed no status rows still merges the published register.
CREATE OR REPLACE TEMP TABLE status_raw (
    plan VARCHAR, requirement_id VARCHAR, item_id VARCHAR, done_on VARCHAR, value VARCHAR,
    points VARCHAR, recorded_at VARCHAR, note VARCHAR,
    source_file VARCHAR, source_row BIGINT, defect VARCHAR, extracted_at TIMESTAMPTZ,
    source VARCHAR, run_id VARCHAR
);

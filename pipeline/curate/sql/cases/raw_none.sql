-- raw_none.sql: a run that landed nothing new still merges and computes, from no raw rows.
CREATE OR REPLACE TEMP TABLE raw (
    case_id VARCHAR, case_type VARCHAR, first_time VARCHAR, complex VARCHAR,
    has_service_target VARCHAR, submitted_at VARCHAR, decided_at VARCHAR, updated_at VARCHAR,
    source_file VARCHAR, source_row BIGINT, defect VARCHAR, extracted_at TIMESTAMPTZ,
    source VARCHAR, run_id VARCHAR
);

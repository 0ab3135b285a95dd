-- removed_cases.sql: the published cases this run removes, and why (removed_find.sql fills it
-- when a source is rebuilt): an auditor sees every case that left the lake.
--   reason `not_in_source`: a snapshot's files (or an SQL source read whole) no longer hold it;
--   reason `quarantined`: its new row was rejected (quarantine_reason, and the file and row).
CREATE OR REPLACE TEMP TABLE removed_cases (
    source            VARCHAR,
    case_id           VARCHAR,
    case_type         VARCHAR,
    area              VARCHAR,
    submitted_date    DATE,
    decided_date      DATE,
    source_file       VARCHAR, -- where the removed record came from
    source_row        BIGINT,
    published_run_id  VARCHAR, -- the run that wrote the removed record
    reason            VARCHAR,
    quarantine_reason VARCHAR,
    quarantine_file   VARCHAR,
    quarantine_row    BIGINT,
    run_id            VARCHAR  -- the run that removed it
);

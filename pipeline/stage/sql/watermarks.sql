-- watermarks.sql: per incremental SQL source, the newest updated_at a published run has read
-- (Go loads the published state into this table).
CREATE OR REPLACE TEMP TABLE watermarks (
    source    VARCHAR PRIMARY KEY,
    watermark TIMESTAMPTZ NOT NULL,
    run_id    VARCHAR NOT NULL
);

-- landed_files.sql: the files landed so far, read from the published version's state when
-- there is one (Go loads it into this table).
CREATE OR REPLACE TEMP TABLE landed_files (
    source    VARCHAR NOT NULL,
    path      VARCHAR NOT NULL,
    sha256    VARCHAR NOT NULL,
    size      BIGINT  NOT NULL,
    run_id    VARCHAR NOT NULL,
    landed_at TIMESTAMPTZ NOT NULL,
    mtime     TIMESTAMPTZ, -- the file's modification time when landed
    -- the run that found the file gone (a delta source keeps its cases and remembers the
    -- file); NULL while it is present. A state written before mode existed has none.
    gone_run_id VARCHAR
);

-- status_previous.sql: the published status register (its one file, in previous_status).
CREATE OR REPLACE TEMP VIEW previous_status AS
SELECT plan, requirement_id, item_id, done_on, value, points, recorded_at, note, source,
    source_file, source_row, extracted_at, run_id
FROM read_parquet(getvariable('previous_status'));

-- fresh.sql: the view of the good rows of the cases, one per case.

-- fresh: the good rows of this run (a backfill's: those decided in its window), one per case.
-- A view over the parsed rows: copying ten million rows into another table costs more than
-- reading them through this filter the few times a run does.
CREATE OR REPLACE TEMP VIEW fresh AS
SELECT
    id_v                          AS case_id,
    type_v                        AS case_type,
    flags & 1 <> 0                AS first_time,
    flags & 2 <> 0                AS complex,
    flags & 4 <> 0                AS has_service_target,
    submitted_v                   AS submitted_at,
    decided_v                     AS decided_at,
    updated_ts                    AS updated_at,
    -- looked up by the type's number where the cases are read, not held in each parsed row
    getvariable('slug_areas')[enum_code(type_v) + 1] AS area,
    submitted_date,
    decided_date,
    source,
    source_file,                  -- still the enum: written as a string, from its dictionary
    source_row::BIGINT            AS source_row,
    sc_extracted(enum_code(source)) AS extracted_at,
    getvariable('run_id')::this_run AS run_id
FROM parsed
WHERE sc_in_window(decided_date);

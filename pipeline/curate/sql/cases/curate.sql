-- curate.sql: every raw row parsed and judged, then the quarantine, the older rows of a
-- repeated case deleted, and the view `fresh` of the good rows.

-- landed_file: the run's few distinct source files as an enum, so that each parsed row holds a
-- byte or two rather than the path (the run id is the run's, added where rows leave): the
-- smaller parsed is, the less of it spills at ten million rows. In the order of the paths, so
-- that ordering by its number is ordering by the path.
DROP TYPE IF EXISTS landed_file;
CREATE TYPE landed_file AS ENUM (SELECT DISTINCT source_file FROM raw ORDER BY source_file);

-- The same for the sources, the case types, the areas and the run: a byte in memory, and the
-- Parquet writer takes an enum's dictionary as it is, where it would hash a string on every row.
-- Written, they are plain strings.
DROP TYPE IF EXISTS landed_source;
CREATE TYPE landed_source AS ENUM (SELECT DISTINCT unnest(getvariable('sources')));
DROP TYPE IF EXISTS case_slug;
CREATE TYPE case_slug AS ENUM (SELECT slug FROM case_types ORDER BY slug);
DROP TYPE IF EXISTS case_area;
CREATE TYPE case_area AS ENUM (SELECT DISTINCT area FROM case_types);
-- slug_areas: the area of each case type, in the order of the enum, so that a case's area is
-- looked up by its type's number rather than joined on the text (as a case_area already: a
-- text would be cast row by row).
SET VARIABLE slug_areas = (SELECT list(area::case_area ORDER BY slug) FROM case_types);
DROP TYPE IF EXISTS this_run;
CREATE TYPE this_run AS ENUM (SELECT getvariable('run_id'));

-- landed_extracted: the extraction time of each source this run landed, in the order of
-- landed_source, looked up by sc_extracted. A source lands all its files with one time
-- (landed_times, from the stage), so the parsed rows need not hold an instant each (8 bytes in
-- each of millions of rows, in a table larger than memory_limit).
SET VARIABLE landed_extracted = (
    SELECT list(getvariable('landed_times')[list_position(getvariable('landed_time_sources'), s.v)]
        ORDER BY enum_code(s.v::landed_source))
    FROM unnest(enum_range(NULL::landed_source)) s(v));
CREATE OR REPLACE TEMP MACRO sc_extracted(source_code) AS
    getvariable('landed_extracted')[source_code + 1];

-- repeated_keys: the hashes of the case ids that arrive more than once in this run. Only the
-- rows of those cases need ranking; hashing the ids first keeps that count on integers, and a
-- collision merely ranks a few more rows. (Read from the landing files: from parsed, which
-- may lie partly on disk by then, it takes longer.)
CREATE OR REPLACE TEMP TABLE repeated_keys AS
SELECT hash(sc_text(case_id)) AS key FROM raw GROUP BY key HAVING count(*) > 1;

-- parsed: every raw row, judged by the first quarantine reason of SPEC §3 that applies (the
-- CASE order is the reason order of the spec); a rejected row keeps its reason and raw cells as
-- JSON text (`rejected`, NULL for a good row). Before them all comes the extractor's `defect`
-- (NULL for a sound row): a row whose bytes could not be read (bad_encoding, its cells kept
-- with the bad bytes escaped) cannot be judged on anything else. A table, because the reason
-- refers to each parsed date several times and a view would parse them again each time, and
-- because the cases are read from it several times (through `fresh`). At ten million rows it
-- is larger than memory_limit and spills, so it holds only what the cases need, as small as
-- it goes.
CREATE OR REPLACE TEMP TABLE parsed AS
WITH cells AS (
    -- (a row number in 4 bytes rather than 8: a file of more than four billion lines fails)
    -- (the source cast here, where each file's is still one constant, not row by row later)
    SELECT r.source::landed_source AS source, r.source_file::landed_file AS source_file,
        r.source_row::UINTEGER AS source_row, r.defect,
        r.case_id, r.case_type, r.first_time, r.complex, r.has_service_target, r.submitted_at,
        r.decided_at, r.updated_at,
        sc_text(r.case_id)              AS id_v,
        -- (sc_raw_text and sc_raw_form: a date cell of a common form needs no trimming)
        sc_form_common(r.submitted_at)  AS submitted_r,
        sc_form_common(r.decided_at)    AS decided_r,
        sc_form_common(r.updated_at)    AS updated_r
    FROM raw r
), texts AS (
    SELECT c.*,
        sc_raw_text(submitted_at, submitted_r) AS submitted_v,
        sc_raw_text(decided_at, decided_r)     AS decided_v,
        sc_raw_text(updated_at, updated_r)     AS updated_v
    FROM cells c
), forms AS (
    SELECT c.* EXCLUDE (submitted_r, decided_r, updated_r),
        sc_raw_form(submitted_v, submitted_r) AS submitted_k,
        sc_raw_form(decided_v, decided_r)     AS decided_k,
        sc_raw_form(updated_v, updated_r)     AS updated_k
    FROM texts c
), instants AS (
    SELECT f.*,
        sc_form_instant(submitted_v, submitted_k) AS submitted_i,
        sc_form_instant(decided_v, decided_k)     AS decided_i
    FROM forms f
), typed AS (
    -- sc_local_date and sc_instant, a step at a time (session.sql)
    SELECT c.* EXCLUDE (submitted_k, decided_k, updated_k, submitted_i, decided_i),
        sc_form_date(submitted_v, submitted_k, submitted_i) AS submitted_date,
        sc_form_date(decided_v, decided_k, decided_i)       AS decided_date,
        sc_form_to_instant(updated_v, updated_k) AS updated_ts,
        -- The booleans and the type are read through trim, not sc_text: the same values (a
        -- blank cell is no spelling and no slug), and with no CASE in the way DuckDB computes
        -- them once per distinct cell of a dictionary-encoded landing column, not once a row
        -- (four times faster at ten million rows).
        sc_bool(trim(first_time))         AS first_time_b,
        sc_bool(trim(complex))            AS complex_b,
        sc_bool(trim(has_service_target)) AS service_b,
        -- (the source's own values first mapped to slugs: case_types.sql)
        TRY_CAST(sc_case_type(source, trim(case_type)) AS case_slug) AS slug, -- NULL for a blank or unknown type
        hash(id_v) IN (SELECT key FROM repeated_keys) AS repeated
    FROM instants c
)
SELECT * EXCLUDE (reason, defect, updated_v, case_id, case_type,
        first_time, complex, has_service_target, submitted_at, decided_at, updated_at,
        slug, first_time_b, complex_b, service_b, repeated),
    slug AS type_v,
    -- flags: a good row's booleans, defaults applied, and whether its case is repeated, as the
    -- bits 1, 2, 4 and 8 of one byte (fresh reads them): at ten million rows each column of its
    -- own costs 40 MB, and the table is larger than memory_limit.
    (coalesce(first_time_b, false)::UTINYINT
        + 2 * coalesce(complex_b, false)::UTINYINT
        + 4 * coalesce(service_b, true)::UTINYINT
        + 8 * repeated::UTINYINT)::UTINYINT AS flags,
    -- rejected: NULL for a good row; for a rejected one, its reason and raw cells as one JSON
    -- text (one column, not two, in every parsed row)
    CASE WHEN reason IS NOT NULL THEN to_json(struct_pack(reason, case_id, case_type, first_time,
        complex, has_service_target, submitted_at, decided_at, updated_at))::VARCHAR END AS rejected
FROM (SELECT *,
    CASE
        WHEN defect IS NOT NULL THEN defect
        WHEN id_v IS NULL THEN 'missing_case_id'
        WHEN slug IS NULL AND sc_text(case_type) IS NULL THEN 'missing_case_type'
        WHEN submitted_v IS NULL THEN 'missing_submitted_at'
        WHEN submitted_date IS NULL
            OR (decided_v IS NOT NULL AND decided_date IS NULL)
            OR (updated_v IS NOT NULL AND updated_ts IS NULL) THEN 'bad_date'
        WHEN first_time_b IS NULL
            OR (complex_b IS NULL AND sc_text(complex) IS NOT NULL)
            OR (service_b IS NULL AND sc_text(has_service_target) IS NOT NULL) THEN 'bad_boolean'
        WHEN slug IS NULL THEN 'unknown_case_type'
        WHEN decided_date < submitted_date THEN 'decided_before_submitted'
        WHEN submitted_date > getvariable('run_date')
            OR decided_date > getvariable('run_date') THEN 'future_date'
    END AS reason
FROM typed);

-- quarantine: the rejected rows with their raw values (a backfill keeps those of its window,
-- and those whose decision date cannot be read). Each register adds its own raw columns and
-- rows (registers.go), so every dataset's cells keep their own names.
CREATE OR REPLACE TEMP TABLE quarantine AS
SELECT json_extract_string(rejected, '$.reason') AS reason, 'cases' AS dataset, source,
    source_file::VARCHAR AS source_file, source_row::BIGINT AS source_row, unnest(json_transform(rejected,
        '{"case_id": "VARCHAR", "case_type": "VARCHAR", "first_time": "VARCHAR", "complex": "VARCHAR",
          "has_service_target": "VARCHAR", "submitted_at": "VARCHAR", "decided_at": "VARCHAR",
          "updated_at": "VARCHAR"}')),
    sc_extracted(enum_code(p.source)) AS extracted_at,
    getvariable('run_id') AS run_id
FROM parsed p
WHERE rejected IS NOT NULL
    AND (sc_in_window(decided_date) OR (decided_date IS NULL AND decided_v IS NOT NULL));

-- The rejected rows are in the quarantine, and the parsed rows keep the good ones only: the
-- columns that judged them are dropped, so that less of the table competes for memory with
-- the reads and writes to come.
DELETE FROM parsed WHERE rejected IS NOT NULL;
ALTER TABLE parsed DROP COLUMN rejected;

-- losers: the good rows of a case that arrived more than once, other than its newest
-- (sc_record_rank; the file by its place in the sorted list of landed files). Most cases arrive
-- once, so only the rows of a repeated case are looked at; each case's newest row is picked by
-- one aggregate (a window that ranks them all costs a fifth more), and the others are deleted
-- by row id, which costs far less than filtering every later read.
DELETE FROM parsed
WHERE flags & 8 <> 0
    AND rowid NOT IN (
        SELECT arg_max(rowid, sc_record_rank(updated_ts, sc_extracted(enum_code(source)),
            enum_code(source_file), source_row))
        FROM parsed
        WHERE flags & 8 <> 0
        GROUP BY source, id_v
    );

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

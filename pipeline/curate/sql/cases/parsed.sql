-- parsed.sql: every raw row parsed and judged (curate.sql set up the types it needs).

-- parsed: every raw row, judged by the first quarantine reason of SPEC §3 that applies (the
-- CASE order is the reason order of the spec); a rejected row keeps its reason and raw cells as
-- JSON text (`rejected`, NULL for a good row). Before them all comes the extractor's `defect`
-- (NULL for a sound row): a row whose bytes could not be read (bad_encoding, its cells kept
-- with the bad bytes escaped) cannot be judged on anything else. A table, because the reason
-- refers to each parsed date several times and a view would parse them again each time, and
-- because the cases are read from it several times (through `fresh`). It holds only what the
-- cases need, as small as it goes (about 125 bytes a row). A query, not a statement: curate.go
-- parse makes it the temp table parsed or, for a run whose rows would not fit in memory_limit
-- (ten million rows and more at 1 GB), writes it to a Parquet file that parsed_file.sql reads:
-- as a table it would spill, and every read of `fresh` would read it back from the spill.
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
FROM typed)

-- status_curate.sql: this run's status rows (status_raw) typed and judged (SPEC §9), the
-- rejected ones added to the quarantine, and `status_fresh`: the good rows, the newest of each
-- plan, requirement and item. status_merge.sql merges them into the register.

-- status_parsed: every status row with its typed values and the first reason that rejects it
-- (NULL for a good row), in the order of the reasons: an unreadable row (the extractor's
-- defect), a missing key or recorded_at, a bad date, a bad number, a requirement the
-- configured plans do not have, a date after the run's day.
CREATE OR REPLACE TEMP TABLE status_parsed AS
WITH cells AS (
    SELECT r.source::VARCHAR AS source, r.source_file::VARCHAR AS source_file,
        r.source_row::BIGINT AS source_row, r.defect::VARCHAR AS defect, r.extracted_at,
        r.plan::VARCHAR AS plan, r.requirement_id::VARCHAR AS requirement_id,
        r.item_id::VARCHAR AS item_id, r.done_on::VARCHAR AS done_on, r.value::VARCHAR AS value,
        r.points::VARCHAR AS points, r.recorded_at::VARCHAR AS recorded_at,
        r.note::VARCHAR AS note
    FROM status_raw r
), texts AS (
    SELECT c.*,
        sc_text(plan) AS plan_v, sc_text(requirement_id) AS requirement_v,
        sc_text(item_id) AS item_v, sc_text(done_on) AS done_v, sc_text(value) AS value_v,
        sc_text(points) AS points_v, sc_text(recorded_at) AS recorded_v
    FROM cells c
), forms AS (
    -- sc_local_date and sc_instant a step at a time, as parsed.sql does: written whole, each
    -- macro repeats its argument's expansion at every use, and binding them took 25 ms, in a
    -- nightly run with no status row at all
    SELECT t.*, sc_text_form(done_v) AS done_k, sc_text_form(recorded_v) AS recorded_k
    FROM texts t
), instants AS (
    SELECT f.*, sc_form_instant(done_v, done_k) AS done_i FROM forms f
), typed AS (
    SELECT t.* EXCLUDE (done_k, recorded_k, done_i),
        sc_form_date(done_v, done_k, done_i) AS done_date,
        sc_form_to_instant(recorded_v, recorded_k) AS recorded_ts,
        sc_number(value_v) AS value_n,
        sc_number(points_v) AS points_n,
        q.kind IS NOT NULL AS known
    FROM instants t
    LEFT JOIN requirements q ON q.plan = t.plan_v AND q.requirement_id = t.requirement_v
)
SELECT *,
    CASE
        WHEN defect IS NOT NULL THEN defect
        WHEN plan_v IS NULL THEN 'missing_plan'
        WHEN requirement_v IS NULL THEN 'missing_requirement_id'
        WHEN item_v IS NULL THEN 'missing_item_id'
        WHEN recorded_v IS NULL THEN 'missing_recorded_at'
        WHEN recorded_ts IS NULL OR (done_v IS NOT NULL AND done_date IS NULL) THEN 'bad_date'
        WHEN (value_v IS NOT NULL AND value_n IS NULL)
            OR (points_v IS NOT NULL AND points_n IS NULL) THEN 'bad_number'
        WHEN NOT known THEN 'unknown_requirement'
        WHEN done_date > getvariable('run_date')
            OR sc_zone_date(recorded_ts) > getvariable('run_date') THEN 'future_date'
    END AS reason
FROM typed;

-- The rejected rows join the quarantine with their raw cells in the register's own columns
-- (registers.go adds them to it).
INSERT INTO quarantine BY NAME
SELECT reason, 'status' AS dataset, source, source_file, source_row, plan, requirement_id,
    item_id, done_on, value, points, recorded_at, note, extracted_at,
    getvariable('run_id') AS run_id
FROM status_parsed
WHERE reason IS NOT NULL;

-- status_fresh: this run's good rows, the newest of each plan, requirement and item
-- (sc_record_rank: the newest recorded_at, then the later extraction, file and row).
CREATE OR REPLACE TEMP TABLE status_fresh AS
SELECT plan_v AS plan, requirement_v AS requirement_id, item_v AS item_id, done_date AS done_on,
    value_n AS value, points_n AS points, recorded_ts AS recorded_at, sc_text(note) AS note,
    source, source_file, source_row, extracted_at, getvariable('run_id') AS run_id
FROM status_parsed
WHERE reason IS NULL
QUALIFY row_number() OVER (
    PARTITION BY plan_v, requirement_v, item_v
    ORDER BY sc_record_rank(recorded_ts, extracted_at, source_file, source_row) DESC
) = 1;

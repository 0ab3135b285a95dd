-- appointments_curate.sql: this run's appointment snapshots (appointments_raw) typed and
-- judged (SPEC §9), the rejected ones added to the quarantine, and `appointments_fresh`: the
-- good rows, one per site and snapshot instant. appointments_merge.sql merges them into the
-- published snapshots.

-- appointments_parsed: every snapshot with its typed values and the first reason that rejects
-- it (NULL for a good row): an unreadable row (the extractor's defect), no snapshot_at, a
-- snapshot_at or next_free_at that is no date (an empty next_free_at too: a wait that cannot
-- be measured), a next free time before the snapshot, a snapshot after the run's day.
-- snapshot_date, the day measured, is the snapshot's local date; a next_free_at that is a bare
-- date is compared by date, one with a time as an instant.
CREATE OR REPLACE TEMP TABLE appointments_parsed AS
WITH texts AS (
    SELECT r.source::VARCHAR AS source, r.source_file::VARCHAR AS source_file,
        r.source_row::BIGINT AS source_row, r.defect::VARCHAR AS defect, r.extracted_at,
        r.snapshot_at::VARCHAR AS snapshot_at, r.site::VARCHAR AS site,
        r.next_free_at::VARCHAR AS next_free_at,
        sc_text(r.snapshot_at::VARCHAR) AS snapshot_v, sc_text(r.site::VARCHAR) AS site_v,
        sc_text(r.next_free_at::VARCHAR) AS next_free_v
    FROM appointments_raw r
), forms AS (
    -- sc_local_date and sc_instant a step at a time, as parsed.sql does: written whole, each
    -- macro repeats its argument's expansion at every use, and binding them took 45 ms, in a
    -- nightly run with no snapshot at all
    SELECT t.*, sc_text_form(snapshot_v) AS snapshot_k, sc_text_form(next_free_v) AS next_free_form
    FROM texts t
), instants AS (
    SELECT f.*,
        sc_form_instant(snapshot_v, snapshot_k) AS snapshot_i,
        sc_form_instant(next_free_v, next_free_form) AS next_free_i
    FROM forms f
), typed AS (
    SELECT t.* EXCLUDE (snapshot_k, snapshot_i, next_free_i),
        sc_form_to_instant(snapshot_v, snapshot_k) AS snapshot_ts,
        sc_form_date(snapshot_v, snapshot_k, snapshot_i) AS snapshot_date,
        sc_form_to_instant(next_free_v, next_free_form) AS next_free_ts,
        sc_form_date(next_free_v, next_free_form, next_free_i) AS next_free_date
    FROM instants t
)
SELECT *,
    CASE
        WHEN defect IS NOT NULL THEN defect
        WHEN snapshot_v IS NULL THEN 'missing_snapshot_at'
        WHEN snapshot_ts IS NULL OR next_free_date IS NULL OR next_free_ts IS NULL THEN 'bad_date'
        WHEN CASE WHEN next_free_form = 1 THEN next_free_date < snapshot_date
            ELSE next_free_ts < snapshot_ts END THEN 'next_free_before_snapshot'
        WHEN snapshot_date > getvariable('run_date') THEN 'future_date'
    END AS reason
FROM typed;

-- The rejected rows join the quarantine with their raw cells in the dataset's own columns
-- (registers.go adds them to it).
INSERT INTO quarantine BY NAME
SELECT reason, 'appointments' AS dataset, source, source_file, source_row, snapshot_at, site,
    next_free_at, extracted_at, getvariable('run_id') AS run_id
FROM appointments_parsed
WHERE reason IS NOT NULL;

-- appointments_fresh: this run's good snapshots, one per site and instant (a snapshot exported
-- twice: the later extraction, file and row, as sc_record_rank orders a case's records).
-- wait_days is the calendar days from the snapshot's day to the next free day.
CREATE OR REPLACE TEMP TABLE appointments_fresh AS
SELECT snapshot_ts AS snapshot_at, snapshot_date, site_v AS site, next_free_ts AS next_free_at,
    next_free_date, (next_free_date - snapshot_date)::INTEGER AS wait_days,
    source, source_file, source_row, extracted_at, getvariable('run_id') AS run_id
FROM appointments_parsed
WHERE reason IS NULL
QUALIFY row_number() OVER (
    PARTITION BY site_v, snapshot_ts
    ORDER BY sc_record_rank(NULL::TIMESTAMPTZ, extracted_at, source_file, source_row) DESC
) = 1;

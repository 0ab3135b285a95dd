-- appointments_merge.sql: the snapshots this run publishes whole: the published ones and this
-- run's, one per site and instant, this run's winning a tie. A snapshot once landed stays
-- until the same site and instant come again, except that a rebuilt source (a snapshot export
-- whose files changed or went) holds only what it holds now.
CREATE OR REPLACE TEMP TABLE appointment_snapshots AS
SELECT * EXCLUDE (fresh_row)
FROM (
    SELECT *, 0 AS fresh_row FROM previous_appointments
    WHERE NOT list_contains(getvariable('rebuilt_sources'), source)
    UNION ALL BY NAME
    SELECT *, 1 AS fresh_row FROM appointments_fresh
)
QUALIFY row_number() OVER (
    PARTITION BY site, snapshot_at
    ORDER BY fresh_row DESC, sc_record_rank(NULL::TIMESTAMPTZ, extracted_at, source_file, source_row) DESC
) = 1;

-- out_appointments.sql: the appointment snapshots, whole, in time order.
SELECT snapshot_at, snapshot_date, site, next_free_at, next_free_date, wait_days, source,
    source_file, source_row, extracted_at, run_id
FROM appointment_snapshots
ORDER BY snapshot_at, site

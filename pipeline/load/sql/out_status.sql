-- out_status.sql: the status register, whole.
SELECT plan, requirement_id, item_id, done_on, value, points, recorded_at, note, source,
    source_file, source_row, extracted_at, run_id
FROM status_register
ORDER BY plan, requirement_id, item_id

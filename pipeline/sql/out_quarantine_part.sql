-- out_quarantine_part.sql: this run's rejected rows of one source (source = part_a).
SELECT * EXCLUDE (source, run_id)
FROM quarantine
WHERE source = getvariable('part_a')
ORDER BY source_file, source_row

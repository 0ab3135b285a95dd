-- out_quarantine_part.sql: this run's rejected rows of one source (source = part_a): every
-- dataset's raw columns (NULL but the source's own), the extraction time last.
SELECT * EXCLUDE (source, run_id, extracted_at), extracted_at
FROM quarantine
WHERE source = getvariable('part_a')
ORDER BY source_file, source_row

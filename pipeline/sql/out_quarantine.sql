-- out_quarantine.sql: one partition of the quarantine (partition key source).
SELECT * EXCLUDE (source)
FROM quarantine
WHERE source = getvariable('partition')
ORDER BY source_file, source_row

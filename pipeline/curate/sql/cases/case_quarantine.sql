-- case_quarantine.sql: the rejected cases rows, from parsed (the temp table or the view of
-- the file: parsed_file.sql).

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

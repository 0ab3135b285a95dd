-- removed_find.sql: the published cases of the rebuilt sources that this run's rows no longer
-- hold (merge.sql left them out of `cases`), each with the quarantined row that took its place,
-- when there is one.
INSERT INTO removed_cases
WITH rejected AS (
    SELECT source::VARCHAR AS source, sc_text(case_id) AS case_id,
        arg_min((reason, source_file, source_row), source_row) AS q
    FROM quarantine
    WHERE list_contains(getvariable('rebuilt_sources'), source::VARCHAR)
    GROUP BY ALL
)
SELECT p.source, p.case_id, p.case_type, p.area, p.submitted_date, p.decided_date,
    p.source_file, p.source_row, p.run_id,
    CASE WHEN q.q IS NULL THEN 'not_in_source' ELSE 'quarantined' END,
    q.q[1], q.q[2], q.q[3],
    getvariable('run_id')
FROM published_case_parts p
LEFT JOIN rejected q ON q.source = p.source AND q.case_id = p.case_id
WHERE list_contains(getvariable('rebuilt_sources'), p.source)
    AND NOT EXISTS (
        SELECT 1 FROM changed c WHERE c.source::VARCHAR = p.source AND c.case_id = p.case_id);

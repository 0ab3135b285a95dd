-- status_merge.sql: the register this run publishes whole: the published rows and this run's
-- newest, the newest record of each plan, requirement and item winning (sc_record_rank; a tie
-- goes to this run's). An item once landed stays until a newer record replaces it, except that
-- a rebuilt source (a snapshot whose files changed or went) holds only what it holds now.
CREATE OR REPLACE TEMP TABLE status_register AS
SELECT * EXCLUDE (fresh_row)
FROM (
    SELECT *, 0 AS fresh_row FROM previous_status
    WHERE NOT list_contains(getvariable('rebuilt_sources'), source)
    UNION ALL BY NAME
    SELECT *, 1 AS fresh_row FROM status_fresh
)
QUALIFY row_number() OVER (
    PARTITION BY plan, requirement_id, item_id
    ORDER BY sc_record_rank(recorded_at, extracted_at, source_file, source_row) DESC, fresh_row DESC
) = 1;

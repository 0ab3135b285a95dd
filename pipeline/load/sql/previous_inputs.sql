-- previous_inputs.sql: the published figures' inputs fingerprint and the run that computed
-- them (out_inputs.sql, under the published state folder `previous_state`), and whether the
-- state this run loaded and staged (landed files, watermarks) is still the published one: a
-- file touched, gone or back changes it, and the run must then publish its own.
WITH published_files AS (
    (FROM landed_files LIMIT 0)
    UNION ALL BY NAME
    FROM read_parquet(getvariable('previous_state') || '/landed_files/data.parquet')
), published_marks AS (
    (FROM watermarks LIMIT 0)
    UNION ALL BY NAME
    FROM read_parquet(getvariable('previous_state') || '/watermarks/data.parquet')
)
SELECT i.inputs_sha256, i.run_id,
    NOT EXISTS (FROM landed_files EXCEPT ALL FROM published_files)
        AND NOT EXISTS (FROM published_files EXCEPT ALL FROM landed_files)
        AND NOT EXISTS (FROM watermarks EXCEPT ALL FROM published_marks)
        AND NOT EXISTS (FROM published_marks EXCEPT ALL FROM watermarks) AS unchanged
FROM read_parquet(getvariable('previous_state') || '/inputs/data.parquet') i

-- previous_timezone.sql: the time zone of the last successful run of the published version
-- (files in `previous_runs`).
SELECT timezone
FROM read_parquet(getvariable('previous_runs'), union_by_name = true)
WHERE status = 'succeeded'
ORDER BY started_at DESC
LIMIT 1

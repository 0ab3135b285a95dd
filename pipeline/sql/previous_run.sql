-- previous_run.sql: the time zone and rules fingerprint of the last successful run of the
-- published version (files in `previous_runs`). Runs of versions before the fingerprint have
-- none: the empty row adds the column, and NULL reads as "rules unknown".
SELECT timezone, rules_sha256
FROM (
    SELECT NULL::VARCHAR AS rules_sha256 WHERE false
    UNION ALL BY NAME
    FROM read_parquet(getvariable('previous_runs'), union_by_name = true)
)
WHERE status = 'succeeded'
ORDER BY started_at DESC
LIMIT 1

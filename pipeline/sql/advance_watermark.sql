-- advance_watermark.sql: move a source's ($1) watermark to the newest updated_at this run read.
INSERT OR REPLACE INTO watermarks
SELECT source, max(updated_ts), getvariable('run_id')
FROM parsed
WHERE source = $1 AND updated_ts IS NOT NULL
GROUP BY source
HAVING max(updated_ts) > coalesce((SELECT max(watermark) FROM watermarks WHERE source = $1), '-infinity'::TIMESTAMPTZ)

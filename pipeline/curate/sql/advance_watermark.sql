-- advance_watermark.sql: move a source's ($1) watermark to the newest updated_at this run read.
INSERT OR REPLACE INTO watermarks
SELECT source, max(sc_instant(sc_text(updated_at))), getvariable('run_id')
FROM raw
WHERE source = $1
GROUP BY source
HAVING max(sc_instant(sc_text(updated_at))) > coalesce((SELECT max(watermark) FROM watermarks WHERE source = $1), '-infinity'::TIMESTAMPTZ)

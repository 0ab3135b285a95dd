-- counts.sql: rows quarantined and merged (new or newer records) per source (the rows read are
-- counted as they land).
SELECT s.source,
    (SELECT count(*) FROM quarantine q WHERE q.source = s.source) AS rows_quarantined,
    (SELECT coalesce(sum(c.cases), 0)::BIGINT FROM changed_days c WHERE c.source = s.source) AS rows_written
FROM (SELECT unnest(getvariable('sources')) AS source) s
ORDER BY s.source

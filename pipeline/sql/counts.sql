-- counts.sql: rows read, quarantined and merged (new or newer records) per source.
SELECT s.source,
    (SELECT count(*) FROM raw p WHERE p.source = s.source)        AS rows_read,
    (SELECT count(*) FROM quarantine q WHERE q.source = s.source) AS rows_quarantined,
    (SELECT count(*) FROM changed c WHERE c.source = s.source)    AS rows_written
FROM (SELECT unnest(getvariable('sources')) AS source) s
ORDER BY s.source

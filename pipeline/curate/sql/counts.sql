-- counts.sql: rows quarantined and merged per source: new or newer case records, and a status
-- source's newest row per item (the rows read are counted as they land).
SELECT s.source,
    (SELECT count(*) FROM quarantine q WHERE q.source = s.source) AS rows_quarantined,
    (SELECT coalesce(sum(c.cases), 0)::BIGINT FROM changed_days c WHERE c.source = s.source)
        + (SELECT count(*) FROM status_fresh f WHERE f.source = s.source) AS rows_written
FROM (SELECT unnest(getvariable('sources')) AS source) s
ORDER BY s.source

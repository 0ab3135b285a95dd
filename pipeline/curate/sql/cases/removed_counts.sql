-- removed_counts.sql: per rebuilt source, its published cases and those this run removes.
SELECT s.source,
    (SELECT count(*) FROM published_case_parts p WHERE p.source = s.source) AS published,
    (SELECT count(*) FROM removed_cases r WHERE r.source = s.source) AS removed
FROM (SELECT unnest(getvariable('rebuilt_sources')) AS source) s
ORDER BY s.source

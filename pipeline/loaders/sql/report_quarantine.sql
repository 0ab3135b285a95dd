-- report_quarantine.sql: rows quarantined per source and reason, over every landing the lake
-- keeps.
SELECT source, reason, count(*) AS rows
FROM quarantine
GROUP BY source, reason
ORDER BY source, rows DESC, reason

-- reason_counts.sql: quarantined rows per reason.
SELECT reason, count(*) AS rows
FROM quarantine
GROUP BY reason
ORDER BY rows DESC, reason

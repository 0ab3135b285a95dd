-- top_reasons.sql: the three commonest quarantine reasons of one source ($1).
SELECT reason, count(*) AS rows
FROM quarantine
WHERE source = $1
GROUP BY reason
ORDER BY rows DESC, reason
LIMIT 3

-- at_risk_counts.sql: the at-risk cases per target, and how many are late already, for the run
-- summary.
SELECT plan, target_id, count(*) AS cases, count(*) FILTER (WHERE days_left < 0) AS late
FROM at_risk
GROUP BY ALL
ORDER BY plan, target_id

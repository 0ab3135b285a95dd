-- plan_totals.sql: each plan's points for its year (to date), for the run summary.
SELECT plan, period, bool_and(period_complete),
    coalesce(sum(points), 0)::DOUBLE, sum(max_points)::DOUBLE,
    count(*)::INTEGER,
    count(*) FILTER (WHERE met)::INTEGER,
    count(*) FILTER (WHERE met IS NULL)::INTEGER
FROM scorecard
WHERE period_ord = 0
GROUP BY plan, period
ORDER BY plan

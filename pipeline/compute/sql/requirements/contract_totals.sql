-- contract_totals.sql: each plan's contract points for its year (to date), every requirement
-- of every kind (requirement_rows), for the run summary; unknown: the requirements whose points
-- are not known yet (no data, no ladder, awaiting).
SELECT plan, period, bool_and(period_complete),
    coalesce(sum(points), 0)::DOUBLE, sum(max_points)::DOUBLE,
    count(*)::INTEGER,
    count(*) FILTER (WHERE met)::INTEGER,
    count(*) FILTER (WHERE points IS NULL)::INTEGER
FROM requirement_rows
WHERE period_ord = 0 -- the year
GROUP BY plan, period
ORDER BY plan

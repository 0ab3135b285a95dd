-- forecast_inputs.sql: what the forecast of each target (forecast.go, SPEC §8) is computed from,
-- as known on the as-of date: one row per target whose plan year has begun by then. Everything
-- is counted from the cases the target selects with a service target, as the scorecard counts
-- them, with a decision after the as-of date not known yet. `known` is as of `fc_date`, the
-- as-of date or the year's last day when the year is over.
WITH t AS (
    SELECT k.tkey, k.plan, k.target_id, k.target_days, k.year_start, k.year_end,
        least(getvariable('as_of'), k.year_end) AS fc_date, tg.min_pct, tg.points AS max_points
    FROM target_keys k
    JOIN targets tg ON tg.plan = k.plan AND tg.target_id = k.target_id
    WHERE k.year_start <= getvariable('as_of')
), known AS (
    -- The cases of three years before the plan year on, as known on fc_date: the decision
    -- date only when it is on or before it; elapsed the days to the decision, or to fc_date
    -- for a case still open then (so elapsed > target_days means late either way).
    SELECT t.tkey, c.submitted_date,
        CASE WHEN c.decided_date <= t.fc_date THEN c.decided_date END AS decided_date,
        coalesce(CASE WHEN c.decided_date <= t.fc_date THEN c.decided_date END, t.fc_date)
            - c.submitted_date AS elapsed,
        coalesce(c.decided_date <= t.fc_date, false) AS decided
    FROM (
        SELECT case_type, first_time, complex, submitted_date, decided_date
        FROM cases
        WHERE has_service_target
            AND submitted_date <= getvariable('as_of')
            AND (decided_date IS NULL OR decided_date >= (SELECT min(year_start) FROM t) - INTERVAL 3 YEAR)
    ) c
    JOIN target_types tt
        ON tt.case_type = c.case_type AND tt.first_time = c.first_time AND tt.complex = c.complex
    JOIN t ON t.tkey = tt.tkey
    WHERE c.submitted_date <= t.fc_date
        AND (c.decided_date IS NULL OR c.decided_date >= t.year_start - INTERVAL 3 YEAR)
), year_to_date AS (
    SELECT k.tkey,
        count(*) FILTER (WHERE decided AND decided_date >= t.year_start)                              AS decided,
        count(*) FILTER (WHERE decided AND decided_date >= t.year_start AND elapsed <= t.target_days) AS within_target,
        count(*) FILTER (WHERE NOT decided)                                                           AS backlog,
        count(*) FILTER (WHERE NOT decided AND elapsed > t.target_days)                               AS backlog_late
    FROM known k JOIN t USING (tkey)
    GROUP BY ALL
), seasons AS (
    -- Each of the three years before: the decisions up to the same day of the year and after
    -- it, and the year's share within target. A year counts when the cases reach back to its
    -- first month (a lake that begins within it would make its season look back-loaded).
    SELECT t.tkey, y.back,
        count(*) FILTER (WHERE k.decided_date BETWEEN t.year_start - to_years(y.back) AND t.fc_date - to_years(y.back)) AS before,
        count(*) FILTER (WHERE k.decided_date > t.fc_date - to_years(y.back) AND k.decided_date <= t.year_end - to_years(y.back)) AS after,
        count(*) FILTER (WHERE k.decided_date BETWEEN t.year_start - to_years(y.back) AND t.year_end - to_years(y.back)) AS year_decided,
        count(*) FILTER (WHERE k.decided_date BETWEEN t.year_start - to_years(y.back) AND t.year_end - to_years(y.back)
            AND k.elapsed <= t.target_days) AS year_within
    FROM t
    CROSS JOIN (VALUES (1), (2), (3)) y(back)
    JOIN known k ON k.tkey = t.tkey AND k.decided
    GROUP BY ALL
    HAVING min(k.decided_date) <= t.year_start - to_years(y.back) + INTERVAL 31 DAY
), season AS (
    SELECT tkey, list(before ORDER BY back) AS season_before, list(after ORDER BY back) AS season_after,
        max(year_decided) FILTER (WHERE back = 1) AS last_year_decided,
        max(year_within) FILTER (WHERE back = 1) AS last_year_within
    FROM seasons
    WHERE before > 0
    GROUP BY ALL
), cohorts AS (
    -- The cases whose outcome is known on fc_date (submitted target_days or more before it):
    -- those of the last 90 days of them give the recent in-target rate, those of the last year
    -- the chance that a case still open at an age is decided within target.
    SELECT k.tkey, k.elapsed, k.submitted_date >= t.fc_date - t.target_days - 89 AS recent,
        k.elapsed <= t.target_days AS within
    FROM known k JOIN t USING (tkey)
    WHERE k.submitted_date <= t.fc_date - t.target_days
        AND k.submitted_date > t.fc_date - t.target_days - 365
), rates AS (
    SELECT tkey,
        count(*) FILTER (WHERE recent) AS recent_cases, count(*) FILTER (WHERE recent AND within) AS recent_within,
        count(*) AS year_cases, count(*) FILTER (WHERE within) AS year_within
    FROM cohorts GROUP BY ALL
), open_ages AS (
    -- The open cases still able to make it, by age; and per age, of the year's cohort those
    -- not decided by that age (elapsed > age) and of them those decided within target.
    SELECT k.tkey, k.elapsed AS age, count(*) AS cases
    FROM known k JOIN t USING (tkey)
    WHERE NOT k.decided AND k.elapsed <= t.target_days
    GROUP BY ALL
), age_odds AS (
    SELECT a.tkey, a.age, a.cases,
        count(c.elapsed) AS still_open, count(c.elapsed) FILTER (WHERE c.within) AS then_within
    FROM open_ages a
    LEFT JOIN cohorts c ON c.tkey = a.tkey AND c.elapsed > a.age
    GROUP BY ALL
), backlog_odds AS (
    SELECT tkey, list({'cases': cases, 'still_open': still_open, 'then_within': then_within} ORDER BY age) AS odds
    FROM age_odds GROUP BY ALL
), ladders AS (
    SELECT plan, target_id, list({'min_pct': min_pct_bp / 100.0, 'share': share} ORDER BY min_pct_bp) AS ladder
    FROM ladder GROUP BY ALL
)
SELECT t.plan, t.target_id, t.year_start, t.year_end, t.fc_date, t.target_days, t.min_pct,
    t.max_points,
    coalesce(y.decided, 0) AS decided, coalesce(y.within_target, 0) AS within_target,
    coalesce(y.backlog, 0) AS backlog, coalesce(y.backlog_late, 0) AS backlog_late,
    coalesce(s.season_before, []) AS season_before, coalesce(s.season_after, []) AS season_after,
    s.last_year_decided, s.last_year_within,
    coalesce(r.recent_cases, 0) AS recent_cases, coalesce(r.recent_within, 0) AS recent_within,
    coalesce(r.year_cases, 0) AS year_cases, coalesce(r.year_within, 0) AS year_within,
    coalesce(b.odds, []) AS odds, coalesce(l.ladder, []) AS ladder
FROM t
LEFT JOIN year_to_date y USING (tkey)
LEFT JOIN season s USING (tkey)
LEFT JOIN rates r USING (tkey)
LEFT JOIN backlog_odds b USING (tkey)
LEFT JOIN ladders l ON l.plan = t.plan AND l.target_id = t.target_id
ORDER BY t.plan, t.target_id

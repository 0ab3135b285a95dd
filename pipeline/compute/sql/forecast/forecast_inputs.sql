-- forecast_inputs.sql: what the forecast of each target (forecast.go, SPEC §8) is computed from,
-- as known on the as-of date: one row per target whose plan year has begun by then. Everything
-- is counted from the cases the target selects with a service target, as the scorecard counts
-- them, with a decision after the as-of date not known yet. `known` is as of `fc_date`, the
-- as-of date or the year's last day when the year is over.
-- The forecast of a year that is over is the year's figure (forecast.go reads only its counts,
-- which are the year row's decided, within_target, pending and pending_breached): where the run
-- has that row (forecast_years, scorecard.sql), they are taken from it and the cases are not
-- read for the target (at ten million cases, reading them took 2.5 s of a nightly run).
WITH t_all AS (
    SELECT k.tkey, k.plan, k.target_id, k.target_days, k.year_start, k.year_end,
        least(getvariable('as_of'), k.year_end) AS fc_date, tg.min_pct, tg.points AS max_points,
        -- the cases read: those decided from three years before the plan year on (season,
        -- life table, rate moves), or, for a year that is over, in it (its figures only)
        CASE WHEN getvariable('as_of') < k.year_end THEN (k.year_start - INTERVAL 3 YEAR)::DATE
            ELSE k.year_start END AS hist_from
    FROM target_keys k
    JOIN targets tg ON tg.plan = k.plan AND tg.target_id = k.target_id
    WHERE k.year_start <= getvariable('as_of')
), years AS (
    SELECT y.* FROM (
        SELECT unnest(coalesce(getvariable('forecast_years'),
            []::year_counts[]), recursive := true)
    ) y
    SEMI JOIN t_all t ON t.plan = y.plan AND t.target_id = y.target_id AND t.fc_date = t.year_end
), t AS (
    -- the targets whose inputs are counted from the cases
    SELECT * FROM t_all ANTI JOIN years y ON y.plan = t_all.plan AND y.target_id = t_all.target_id
), known AS (
    -- The cases decided from hist_from on or still open, as known on fc_date: the decision
    -- date only when it is on or before it; elapsed the days to the decision, or to fc_date
    -- for a case still open then (so elapsed > target_days means late either way).
    SELECT t.tkey, c.submitted_date,
        CASE WHEN c.decided_date <= t.fc_date THEN c.decided_date END AS decided_date,
        sc_elapsed(c.submitted_date,
            coalesce(CASE WHEN c.decided_date <= t.fc_date THEN c.decided_date END, t.fc_date)) AS elapsed,
        coalesce(c.decided_date <= t.fc_date, false) AS decided
    FROM (
        SELECT case_type, first_time, complex, submitted_date, decided_date
        FROM cases
        WHERE coalesce(getvariable('forecast_reads_cases'), true)
            AND has_service_target
            AND submitted_date <= getvariable('as_of')
            AND (decided_date IS NULL OR decided_date >= (SELECT min(hist_from) FROM t))
    ) c
    JOIN target_types tt
        ON tt.case_type = c.case_type AND tt.first_time = c.first_time AND tt.complex = c.complex
    JOIN t ON t.tkey = tt.tkey
    WHERE c.submitted_date <= t.fc_date
        AND (c.decided_date IS NULL OR c.decided_date >= t.hist_from)
), year_to_date AS (
    SELECT k.tkey,
        count(*) FILTER (WHERE decided AND decided_date >= t.year_start)                              AS decided,
        count(*) FILTER (WHERE decided AND decided_date >= t.year_start AND sc_within_target(elapsed, t.target_days)) AS within_target,
        count(*) FILTER (WHERE NOT decided)                                                           AS backlog,
        count(*) FILTER (WHERE NOT decided AND NOT sc_within_target(elapsed, t.target_days))               AS backlog_late
    FROM known k JOIN t USING (tkey)
    GROUP BY ALL
), seasons AS (
    -- Each of the three years before: the decisions up to the same day of the year and after
    -- it. A year counts when the cases reach back to its
    -- first month (a lake that begins within it would make its season look back-loaded).
    SELECT t.tkey, y.back,
        count(*) FILTER (WHERE k.decided_date BETWEEN t.year_start - to_years(y.back) AND t.fc_date - to_years(y.back)) AS before,
        count(*) FILTER (WHERE k.decided_date > t.fc_date - to_years(y.back) AND k.decided_date <= t.year_end - to_years(y.back)) AS after
    FROM t
    CROSS JOIN (VALUES (1), (2), (3)) y(back)
    JOIN known k ON k.tkey = t.tkey AND k.decided
    GROUP BY ALL
    HAVING min(k.decided_date) <= t.year_start - to_years(y.back) + INTERVAL 31 DAY
), season AS (
    SELECT tkey, list(before ORDER BY back) AS season_before, list(after ORDER BY back) AS season_after
    FROM seasons
    WHERE before > 0
    GROUP BY ALL
), months AS (
    SELECT DISTINCT date_trunc('month', decided_date)::DATE AS m FROM known WHERE decided
), coverage AS (
    -- The first month of the lake's decisions up to fc_date without a month's gap: the lake
    -- holds the cases submitted before it only when decided after it (the slow ones), so
    -- their outcome is only counted from it on.
    SELECT t.tkey, coalesce(max(m.m), t.year_start) AS cov_start
    FROM t
    LEFT JOIN months m ON m.m <= t.fc_date AND (m.m - INTERVAL 1 MONTH)::DATE NOT IN (SELECT m FROM months)
    GROUP BY t.tkey, t.year_start
), cohorts AS (
    -- The cases whose outcome is known on fc_date (submitted more than target_days before it,
    -- from the coverage on; a case still open then is late): those of the last 90 days give
    -- the recent in-target rate, those of the last year the rate when they are too few, and
    -- those of the last three years, by 91-day block back from fc_date, how much the rate
    -- moves from one quarter to the next.
    SELECT k.tkey, k.submitted_date >= t.fc_date - t.target_days - 90 AS recent,
        k.submitted_date >= t.fc_date - t.target_days - 365 AS last_year,
        (t.fc_date - t.target_days - 1 - k.submitted_date) // 91 AS block,
        sc_within_target(k.elapsed, t.target_days) AS within
    FROM known k JOIN t USING (tkey) JOIN coverage c USING (tkey)
    WHERE k.submitted_date < t.fc_date - t.target_days
        AND k.submitted_date >= c.cov_start
        AND k.submitted_date >= t.year_start - INTERVAL 3 YEAR
), rates AS (
    SELECT tkey,
        count(*) FILTER (WHERE recent) AS recent_cases, count(*) FILTER (WHERE recent AND within) AS recent_within,
        count(*) FILTER (WHERE last_year) AS year_cases, count(*) FILTER (WHERE last_year AND within) AS year_within
    FROM cohorts GROUP BY ALL
), blocks AS (
    SELECT tkey, list({'block': block, 'cases': cases, 'within': within} ORDER BY block) AS blocks
    FROM (
        SELECT tkey, block, count(*) AS cases, count(*) FILTER (WHERE within) AS within
        FROM cohorts GROUP BY ALL
    )
    GROUP BY ALL
), life AS (
    -- The life tables of the last 365 and the last 91 days: every case open at some time in
    -- them is watched from its age on the first of them (or its submission, or the coverage's
    -- start, whichever is later) to its decision, or to fc_date while open. So each age's
    -- chance of a decision is how quickly cases of that age were being decided lately.
    SELECT k.tkey, w.days,
        greatest(c.cov_start - k.submitted_date, t.fc_date - w.days + 1 - k.submitted_date, 0) AS entry,
        k.elapsed AS exit, k.decided
    FROM known k JOIN t USING (tkey) JOIN coverage c USING (tkey)
    CROSS JOIN (VALUES (365), (91)) w(days)
    WHERE coalesce(k.decided_date, t.fc_date) >= greatest(c.cov_start, t.fc_date - w.days + 1)
), life_table AS (
    SELECT tkey,
        list({'age': age, 'entered': entered, 'decided': decided, 'left': left_open} ORDER BY age) FILTER (WHERE days = 365) AS life,
        list({'age': age, 'entered': entered, 'decided': decided, 'left': left_open} ORDER BY age) FILTER (WHERE days = 91) AS life_recent
    FROM (
        SELECT tkey, days, age, sum(entered)::BIGINT AS entered, sum(decided)::BIGINT AS decided, sum(left_open)::BIGINT AS left_open
        FROM (
            SELECT tkey, days, entry AS age, 1 AS entered, 0 AS decided, 0 AS left_open FROM life
            UNION ALL
            SELECT tkey, days, exit, 0, CASE WHEN decided THEN 1 ELSE 0 END, CASE WHEN decided THEN 0 ELSE 1 END FROM life
        )
        GROUP BY ALL
    )
    GROUP BY ALL
), open_ages AS (
    -- The open backlog on fc_date by age, late cases too.
    SELECT tkey, list({'age': age, 'cases': cases} ORDER BY age) AS open
    FROM (
        SELECT k.tkey, k.elapsed AS age, count(*) AS cases
        FROM known k
        WHERE NOT k.decided
        GROUP BY ALL
    )
    GROUP BY ALL
), ladders AS (
    SELECT plan, target_id, list({'min_pct': min_pct_bp / 100.0, 'share': share} ORDER BY min_pct_bp) AS ladder
    FROM ladder GROUP BY ALL
)
SELECT * FROM (
    SELECT t.plan, t.target_id, t.year_start, t.year_end, t.fc_date, t.target_days, t.min_pct,
        t.max_points,
        coalesce(y.decided, 0) AS decided, coalesce(y.within_target, 0) AS within_target,
        coalesce(y.backlog, 0) AS backlog, coalesce(y.backlog_late, 0) AS backlog_late,
        coalesce(s.season_before, []) AS season_before, coalesce(s.season_after, []) AS season_after,
        coalesce(r.recent_cases, 0) AS recent_cases, coalesce(r.recent_within, 0) AS recent_within,
        coalesce(r.year_cases, 0) AS year_cases, coalesce(r.year_within, 0) AS year_within,
        coalesce(lt.life, []) AS life, coalesce(lt.life_recent, []) AS life_recent, coalesce(o.open, []) AS open, coalesce(b.blocks, []) AS blocks,
        coalesce(l.ladder, []) AS ladder
    FROM t
    LEFT JOIN year_to_date y USING (tkey)
    LEFT JOIN season s USING (tkey)
    LEFT JOIN rates r USING (tkey)
    LEFT JOIN life_table lt USING (tkey)
    LEFT JOIN open_ages o USING (tkey)
    LEFT JOIN blocks b USING (tkey)
    LEFT JOIN ladders l ON l.plan = t.plan AND l.target_id = t.target_id
    UNION ALL BY NAME
    -- a year that is over, from its row: nothing of the history is needed
    SELECT t.plan, t.target_id, t.year_start, t.year_end, t.fc_date, t.target_days, t.min_pct,
        t.max_points,
        y.decided, y.within_target, y.pending AS backlog, y.pending_breached AS backlog_late,
        NULL AS season_before, NULL AS season_after,
        0 AS recent_cases, 0 AS recent_within, 0 AS year_cases, 0 AS year_within,
        NULL AS life, NULL AS life_recent, NULL AS open, NULL AS blocks,
        coalesce(l.ladder, []) AS ladder
    FROM t_all t
    JOIN years y ON y.plan = t.plan AND y.target_id = t.target_id
    LEFT JOIN ladders l ON l.plan = t.plan AND l.target_id = t.target_id
)
ORDER BY plan, target_id

-- scorecard.sql: one row per plan, target and period (SPEC §6). Met is decided in integer
-- arithmetic: within * 100 >= min_pct * decided, with min_pct held as hundredths.
CREATE OR REPLACE TEMP TABLE scorecard AS
-- The selected cases are counted by day first (by decision day; for the backlog, by submission
-- day and decision day), so that the periods are joined with those counts rather than with
-- each of millions of cases once per period it falls in (less than half the time at ten
-- million cases, the same figures).
-- (Each period meets its plan's targets through target_keys, whose numbers the selection holds.)
WITH decided_days AS (
    SELECT s.tkey, s.decided_date,
        count(*) FILTER (WHERE s.has_service_target) AS decided,
        count(*) FILTER (WHERE s.has_service_target
            AND sc_within_target(sc_elapsed(s.submitted_date, s.decided_date), k.target_days)) AS within_target,
        count(*) FILTER (WHERE NOT s.has_service_target) AS excluded
    FROM selected s
    JOIN target_keys k ON k.tkey = s.tkey
    WHERE s.decided_date IS NOT NULL
    GROUP BY ALL
), decided AS (
    SELECT p.plan, p.period, k.target_id,
        sum(d.decided)::BIGINT       AS decided,
        sum(d.within_target)::BIGINT AS within_target,
        sum(d.excluded)::BIGINT      AS excluded
    FROM periods p
    JOIN target_keys k ON k.plan = p.plan
    JOIN decided_days d
        ON d.tkey = k.tkey AND d.decided_date BETWEEN p.period_start AND p.period_end
    GROUP BY ALL
), open_days AS (
    SELECT tkey, submitted_date,
        coalesce(decided_date, DATE '9999-12-31') AS open_until, -- pending: open for good
        count(*) AS cases
    FROM selected
    WHERE has_service_target
    GROUP BY ALL
), backlog AS (
    SELECT p.plan, p.period, k.target_id,
        sum(s.cases)::BIGINT AS pending,
        coalesce(sum(s.cases) FILTER (WHERE NOT sc_within_target(sc_elapsed(s.submitted_date, p.period_end), k.target_days)), 0)::BIGINT AS pending_breached
    FROM periods p
    JOIN target_keys k ON k.plan = p.plan
    JOIN open_days s
        ON s.tkey = k.tkey
        AND s.submitted_date <= p.period_end
        -- without an OR, so the join is on two inequalities
        AND s.open_until > p.period_end
    GROUP BY ALL
), counts AS (
    SELECT t.plan, t.requirement_id, t.target_id, t.label, t.ord AS target_ord,
        p.period, p.ord AS period_ord, p.period_start, p.period_end, p.period_complete, p.period_group,
        t.target_days, t.min_pct, t.min_pct_bp, t.points AS max_points,
        coalesce(d.decided, 0)           AS decided,
        coalesce(d.within_target, 0)     AS within_target,
        coalesce(d.excluded, 0)          AS excluded,
        coalesce(b.pending, 0)           AS pending,
        coalesce(b.pending_breached, 0)  AS pending_breached
    FROM targets t
    JOIN periods p ON p.plan = t.plan
    LEFT JOIN decided d ON d.plan = t.plan AND d.period = p.period AND d.target_id = t.target_id
    LEFT JOIN backlog b ON b.plan = t.plan AND b.period = p.period AND b.target_id = t.target_id
), scored AS (
    SELECT c.*,
        CASE WHEN decided > 0 THEN within_target * 10000 >= min_pct_bp * decided END AS met,
        CASE WHEN decided > 0 THEN
            max_points * CASE
                WHEN within_target * 10000 >= min_pct_bp * decided THEN 1.0::DOUBLE
                ELSE coalesce((
                    SELECT max(l.share) FROM ladder l
                    WHERE l.plan = c.plan AND l.target_id = c.target_id
                        AND c.within_target * 10000 >= l.min_pct_bp * c.decided), 0.0)
            END::DOUBLE
        END AS points
    FROM counts c
), wilson AS (
    -- SPEC §8: the 95 % Wilson score interval of p = within_target / decided over n = decided
    -- cases, z = 1.959964: centre (p + z²/2n) / (1 + z²/n), half-width
    -- z·sqrt(p(1 − p)/n + z²/4n²) / (1 + z²/n). NULL where nothing was decided.
    SELECT *,
        (p + z * z / (2 * n)) / (1 + z * z / n) AS centre,
        z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n) AS half
    FROM (
        SELECT *, nullif(decided, 0)::DOUBLE AS n, within_target / nullif(decided, 0)::DOUBLE AS p,
            1.959964::DOUBLE AS z
        FROM scored
    )
)
SELECT
    plan, requirement_id, target_id, label, period, period_start, period_end, period_complete,
    target_days, min_pct, decided, within_target,
    CASE WHEN decided > 0 THEN CAST(100 * within_target AS DOUBLE) / decided END AS pct_within_target,
    -- The bounds in percent, within [0, 100]; none within starts at 0 and all within ends at
    -- 100 exactly, where the arithmetic would be a rounding error off.
    CASE WHEN decided = 0 THEN NULL WHEN within_target = 0 THEN 0::DOUBLE
        ELSE greatest(0::DOUBLE, 100 * (centre - half)) END AS pct_low,
    CASE WHEN decided = 0 THEN NULL WHEN within_target = decided THEN 100::DOUBLE
        ELSE least(100::DOUBLE, 100 * (centre + half)) END AS pct_high,
    met, points, max_points, excluded,
    -- SPEC §8: the share of the selected cases decided in the period that had no service target.
    CASE WHEN excluded + decided > 0 THEN CAST(100 * excluded AS DOUBLE) / (excluded + decided) END AS excluded_pct,
    pending, pending_breached,
    getvariable('run_id')      AS run_id,
    getvariable('computed_at') AS computed_at,
    target_ord, period_ord, period_group
FROM wilson;

-- forecast_years: the year rows of the years that are over, as the forecast of such a year
-- reads them (forecast_inputs.sql: its figures are the year's, counted from the same cases as
-- of the year's last day): this run's, and in a nightly run that recomputes only some periods
-- (`scoped`) the published ones of the years it did not recompute, which are what it would
-- compute (compute_scope.sql keeps only those; it set published_years). The targets of the
-- plans a backfill does not compute, of a year not over, and all in the backtest (which runs
-- no scorecard) are counted from the cases.
SET VARIABLE forecast_years = (
    SELECT coalesce(list(y), []::year_counts[])
    FROM (
        SELECT s.plan, s.target_id, s.period, s.decided, s.within_target, s.pending, s.pending_breached
        FROM scorecard s
        JOIN targets t ON t.plan = s.plan AND t.target_id = s.target_id
        WHERE s.period_complete AND s.period_start = t.year_start AND s.period_end = t.year_end
        UNION ALL
        SELECT p.plan, p.target_id, p.period, p.decided, p.within_target, p.pending, p.pending_breached
        FROM (SELECT unnest(coalesce(getvariable('published_years'),
            []::year_counts[]), recursive := true)) p
        WHERE getvariable('scoped')
            AND NOT EXISTS (SELECT 1 FROM scorecard s WHERE s.plan = p.plan AND s.period = p.period)
    ) y
);
-- forecast_reads_cases: whether any target's forecast is counted from the cases (a constant, so
-- that forecast_inputs.sql does not even scan them when none is). Unset (the backtest): true.
SET VARIABLE forecast_reads_cases = EXISTS (
    SELECT 1 FROM targets t
    WHERE t.year_start <= getvariable('as_of')
        AND (t.plan, t.target_id) NOT IN (
            SELECT (y.plan, y.target_id) FROM (SELECT unnest(getvariable('forecast_years'), recursive := true)) y)
);

-- forecast_kinds.sql: what the forecast of the requirements of the other kinds (forecast.go
-- forecastKinds, SPEC §8–§9) is computed from, one row per plan and requirement of kind
-- appointment_wait, milestones or kpi whose year has begun, as requirements.sql measures them
-- (it has filled appointment_day_rows, status_register and milestone_items). Assessment and
-- manual requirements have no forecast: their points come from scores and agreements entered
-- once, with nothing in the year to date to carry forward.
--   appointment_wait: the year's weekdays up to the as-of date (a weekday without a snapshot
--     is not met) and those met.
--   milestones: the year's counts of requirements.sql (milestone_counts): every milestone as
--     of the as-of date, or once the year is over as of the day after its end.
--   kpi: the newest value of the KPI's periods that have begun; the year's value wins.
WITH waits AS (
    SELECT plan, requirement_id, count(*) AS weekdays, count(*) FILTER (WHERE met) AS met_days
    FROM appointment_day_rows
    GROUP BY ALL
), years AS (
    SELECT DISTINCT plan, requirement_id, kind
    FROM requirement_specs
    WHERE kind IN ('appointment_wait', 'milestones', 'kpi')
), kpi AS (
    SELECT r.plan, r.requirement_id, s.value,
        sc_kpi_met(r.operator, s.value, r.threshold) AS met
    FROM requirement_specs r
    JOIN status_register s
        ON s.plan = r.plan AND s.requirement_id = r.requirement_id AND s.item_id = r.period
    WHERE r.kind = 'kpi' AND s.value IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY r.plan, r.requirement_id
        ORDER BY r.period_ord = 0 DESC, r.period_end DESC, r.period_start DESC) = 1
)
SELECT y.plan, y.requirement_id, y.kind,
    coalesce(w.weekdays, 0) AS weekdays, coalesce(w.met_days, 0) AS met_days,
    coalesce(m.items, 0) AS items, coalesce(m.on_time, 0) AS on_time,
    coalesce(m.done_late, 0) AS done_late, coalesce(m.open, 0) AS open,
    coalesce(m.overdue, 0) AS overdue, coalesce(m.ladder_share, 0) AS ladder_share,
    k.value AS kpi_value, k.met AS kpi_met
FROM years y
LEFT JOIN waits w USING (plan, requirement_id)
LEFT JOIN milestone_counts m ON m.plan = y.plan AND m.requirement_id = y.requirement_id
    AND m.period_ord = 0
LEFT JOIN kpi k USING (plan, requirement_id)
ORDER BY y.plan, y.requirement_id

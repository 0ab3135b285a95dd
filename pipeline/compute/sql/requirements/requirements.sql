-- requirements.sql: the contract scorecard (SPEC §9), one row per plan, requirement and period
-- (requirement_specs), each kind measured once here, as of the period's end:
--   case_share: its targets' rows of the scorecard for the period (this run's, or the published
--     ones a scoped run or a backfill kept); points their sum, NULL while no target has data.
--   appointment_wait: the share of the period's weekdays whose wait was within max_wait_days
--     (appointment_day_rows); met when met_days × 100 ≥ min_pct × weekdays.
--   milestones: every milestone as of the period's end (sc_milestone_status); all done on time
--     earn the weight, else the ladder's share of it over the percentage done on time.
--   kpi: the register's value for the period (item_id = the period) against the threshold.
--   assessment (the year): the sum of the register's scores of its scorers ("scorer" or
--     "scorer/element"), points by the ladder over the sum; no ladder = points NULL, no_ladder.
--   manual (the year): the register's newest points for the requirement; none = awaiting.
-- The points of a plan's year rows add up to what the contract awards so far.
CREATE OR REPLACE TEMP MACRO sc_dk_number(x) AS CASE
    WHEN x IS NULL THEN NULL
    WHEN x = trunc(x) THEN (x::BIGINT)::VARCHAR
    ELSE replace(round(x, 2)::VARCHAR, '.', ',')
END;

-- sc_kpi_met: whether a KPI's value meets its threshold by its operator (lt, le, gt, ge).
CREATE OR REPLACE TEMP MACRO sc_kpi_met(operator, value, threshold) AS CASE operator
    WHEN 'lt' THEN value < threshold
    WHEN 'le' THEN value <= threshold
    WHEN 'gt' THEN value > threshold
    WHEN 'ge' THEN value >= threshold
END;

-- milestone_counts: each milestones requirement's items per period by their status as of the
-- period's end (what was done by then; after a complete period, one not done by then is
-- overdue even when due on its last day), and the ladder's share over the share done on time.
-- The forecast reads the year's (forecast_kinds.sql).
CREATE OR REPLACE TEMP TABLE milestone_counts AS
WITH as_of_end AS (
    SELECT r.plan, r.requirement_id, r.period, r.period_ord,
        sc_milestone_status(m.due, CASE WHEN s.done_on <= r.period_end THEN s.done_on END,
            CASE WHEN r.period_complete THEN r.period_end + 1 ELSE r.period_end END) AS status
    FROM requirement_specs r
    JOIN milestone_items m ON m.plan = r.plan AND m.requirement_id = r.requirement_id
    LEFT JOIN status_register s
        ON s.plan = m.plan AND s.requirement_id = m.requirement_id AND s.item_id = m.item_id
    WHERE r.kind = 'milestones'
), counts AS (
    SELECT plan, requirement_id, period, period_ord,
        count(*) AS items,
        count(*) FILTER (WHERE status = 'done') AS on_time,
        count(*) FILTER (WHERE status = 'done_late') AS done_late,
        count(*) FILTER (WHERE status = 'overdue') AS overdue,
        count(*) FILTER (WHERE status = 'open') AS open
    FROM as_of_end
    GROUP BY ALL
)
SELECT c.*,
    (SELECT max(l.share) FROM requirement_ladder l
     WHERE l.plan = c.plan AND l.requirement_id = c.requirement_id
        AND c.on_time * 10000 >= l.min_bp * c.items) AS ladder_share
FROM counts c;

CREATE OR REPLACE TEMP TABLE requirement_rows AS
WITH period_rows AS (
    SELECT s.plan, s.period, s.target_id, s.met, s.points
    FROM scorecard s
    UNION ALL
    SELECT p.plan, p.period, p.target_id, p.met, p.points
    FROM previous_scorecard p
    WHERE NOT EXISTS (SELECT 1 FROM scorecard s WHERE s.plan = p.plan AND s.period = p.period)
), case_share AS (
    SELECT r.plan, r.requirement_id, r.period,
        count(*) AS targets,
        count(y.met) AS with_data,
        count(*) FILTER (WHERE y.met) AS met_targets,
        sum(y.points) AS points
    FROM requirement_specs r
    JOIN targets t ON t.plan = r.plan AND t.requirement_id = r.requirement_id
    LEFT JOIN period_rows y ON y.plan = t.plan AND y.period = r.period AND y.target_id = t.target_id
    WHERE r.kind = 'case_share'
    GROUP BY ALL
), waits AS (
    SELECT r.plan, r.requirement_id, r.period,
        count(*) AS weekdays,
        count(d.wait_days) AS measured,
        count(*) FILTER (WHERE d.met) AS met_days
    FROM requirement_specs r
    JOIN appointment_day_rows d ON d.plan = r.plan AND d.requirement_id = r.requirement_id
        AND d.day BETWEEN r.period_start AND r.period_end
    WHERE r.kind = 'appointment_wait'
    GROUP BY ALL
), kpi AS (
    SELECT r.plan, r.requirement_id, r.period, s.value
    FROM requirement_specs r
    JOIN status_register s
        ON s.plan = r.plan AND s.requirement_id = r.requirement_id AND s.item_id = r.period
    WHERE r.kind = 'kpi' AND s.value IS NOT NULL
), assessment AS (
    SELECT r.plan, r.requirement_id, sum(s.value) AS score, count(s.value) AS scores
    FROM requirement_specs r
    JOIN status_register s ON s.plan = r.plan AND s.requirement_id = r.requirement_id
    WHERE r.kind = 'assessment' AND s.value IS NOT NULL
        AND (r.items IS NULL OR list_contains(r.items, split_part(s.item_id, '/', 1)))
    GROUP BY ALL
), assessment_shares AS (
    SELECT a.plan, a.requirement_id, coalesce(max(l.share), 0) AS share
    FROM assessment a
    JOIN requirement_ladder l USING (plan, requirement_id)
    WHERE a.score >= l.min_bp
    GROUP BY ALL
), assessment_full AS ( -- the score that earns all the points
    SELECT plan, requirement_id, min(min_bp) AS min_score
    FROM requirement_ladder
    WHERE share >= 1
    GROUP BY ALL
), manual AS (
    SELECT r.plan, r.requirement_id,
        arg_max(s.points, s.recorded_at) AS points,
        arg_max(s.note, s.recorded_at) AS note
    FROM requirement_specs r
    JOIN status_register s ON s.plan = r.plan AND s.requirement_id = r.requirement_id
    WHERE r.kind = 'manual' AND s.points IS NOT NULL
    GROUP BY ALL
), measured AS (
    -- case_share
    SELECT r.plan, r.requirement_id, r.period,
        c.met_targets::DOUBLE AS measure,
        c.targets::DOUBLE AS threshold,
        CASE WHEN c.with_data > 0 THEN c.met_targets = c.targets END AS met,
        CASE WHEN c.with_data > 0 THEN coalesce(c.points, 0) END AS points,
        CASE
            WHEN c.with_data = 0 THEN 'missing_data'
            WHEN c.met_targets = c.targets THEN 'met'
            ELSE 'not_met'
        END AS status,
        CASE WHEN c.with_data = 0
            THEN format('Ingen af de {} servicemål har afgjorte sager i perioden endnu', c.targets)
            ELSE format('{} af {} servicemål opfyldt', c.met_targets, c.targets)
                || CASE WHEN c.targets > c.with_data
                    THEN format('; {} uden afgjorte sager', c.targets - c.with_data) ELSE '' END
        END AS detail
    FROM requirement_specs r
    JOIN case_share c USING (plan, requirement_id, period)
    UNION ALL
    -- appointment_wait
    SELECT r.plan, r.requirement_id, r.period,
        CASE WHEN w.measured > 0 THEN 100.0 * w.met_days / w.weekdays END,
        r.threshold,
        CASE WHEN w.measured > 0 THEN w.met_days * 10000 >= r.min_bp * w.weekdays END AS met,
        CASE WHEN w.measured > 0
            THEN CASE WHEN w.met_days * 10000 >= r.min_bp * w.weekdays THEN r.weight ELSE 0 END
        END,
        CASE
            WHEN coalesce(w.measured, 0) = 0 THEN 'missing_data'
            WHEN w.met_days * 10000 >= r.min_bp * w.weekdays THEN 'met'
            ELSE 'not_met'
        END,
        CASE WHEN coalesce(w.measured, 0) = 0
            THEN format('Ingen målinger af ventetiden på {} hverdage', coalesce(w.weekdays, 0))
            ELSE format('{} af {} hverdage med højst {} dages ventetid ({} pct.); kravet er {} pct.',
                w.met_days, w.weekdays, r.max_wait_days,
                sc_dk_number(round(100.0 * w.met_days / w.weekdays, 1)), sc_dk_number(r.threshold))
                || CASE WHEN w.weekdays > w.measured
                    THEN format('; {} uden måling', w.weekdays - w.measured) ELSE '' END
        END
    FROM requirement_specs r
    LEFT JOIN waits w USING (plan, requirement_id, period)
    WHERE r.kind = 'appointment_wait'
    UNION ALL
    -- milestones
    SELECT r.plan, r.requirement_id, r.period, m.on_time, m.items,
        m.on_time = m.items,
        CASE WHEN m.on_time = m.items THEN r.weight ELSE coalesce(m.ladder_share, 0) * r.weight END,
        CASE
            WHEN m.on_time = m.items THEN 'met'
            WHEN r.period_complete THEN 'not_met'
            WHEN m.done_late + m.overdue > 0 THEN 'overdue'
            ELSE 'on_track'
        END,
        format('{} af {} {} nået rettidigt', m.on_time, m.items,
            CASE WHEN m.items = 1 THEN 'milepæl' ELSE 'milepæle' END)
            || CASE WHEN m.done_late + m.overdue > 0
                THEN format('; {} {}', m.done_late + m.overdue,
                    CASE WHEN m.done_late + m.overdue = 1 THEN 'forsinket' ELSE 'forsinkede' END)
                ELSE '' END
            || CASE WHEN m.open > 0
                THEN format('; {} {}', m.open, CASE WHEN m.open = 1 THEN 'åben' ELSE 'åbne' END)
                ELSE '' END
    FROM requirement_specs r
    JOIN milestone_counts m USING (plan, requirement_id, period)
    UNION ALL
    -- kpi
    SELECT r.plan, r.requirement_id, r.period, k.value, r.threshold,
        sc_kpi_met(r.operator, k.value, r.threshold) AS met,
        NULL::DOUBLE, -- set below from met
        NULL::VARCHAR,
        CASE WHEN k.value IS NULL
            THEN format('Ingen værdi for {} i statusregistret endnu', r.period)
            ELSE format('{} {} for {}; kravet er {} {}', sc_dk_number(k.value), r.unit, r.period,
                r.symbol, sc_dk_number(r.threshold))
        END
    FROM requirement_specs r
    LEFT JOIN kpi k USING (plan, requirement_id, period)
    WHERE r.kind = 'kpi'
    UNION ALL
    -- assessment
    SELECT r.plan, r.requirement_id, r.period, a.score, af.min_score::DOUBLE,
        CASE WHEN r.has_ladder AND a.score IS NOT NULL THEN coalesce(s.share, 0) >= 1 END,
        CASE WHEN r.has_ladder AND a.score IS NOT NULL THEN coalesce(s.share, 0) * r.weight END,
        CASE
            WHEN NOT r.has_ladder THEN 'no_ladder'
            WHEN a.score IS NULL THEN 'missing_data'
            WHEN coalesce(s.share, 0) >= 1 THEN 'met'
            ELSE 'not_met'
        END,
        CASE WHEN a.score IS NULL THEN 'Ingen scorer indberettet endnu'
            ELSE format('Sum {} af {} mulige fra {} scorer', sc_dk_number(a.score), r.max_score, a.scores)
        END
            || CASE WHEN r.has_ladder THEN '' ELSE '; planen har endnu ingen pointskala' END
    FROM requirement_specs r
    LEFT JOIN assessment a USING (plan, requirement_id)
    LEFT JOIN assessment_shares s USING (plan, requirement_id)
    LEFT JOIN assessment_full af USING (plan, requirement_id)
    WHERE r.kind = 'assessment'
    UNION ALL
    -- manual
    SELECT r.plan, r.requirement_id, r.period, m.points, NULL,
        CASE WHEN m.points IS NOT NULL THEN true END,
        m.points,
        CASE WHEN m.points IS NULL THEN 'awaiting' ELSE 'met' END,
        CASE WHEN m.points IS NULL THEN format('Afventer point aftalt i {}', r.agreed_in)
            ELSE format('{} point indtastet', sc_dk_number(m.points))
                || CASE WHEN coalesce(m.note, '') <> '' THEN format(' ({})', m.note) ELSE '' END
                || CASE WHEN m.points > r.weight
                    THEN format('; mere end vægten på {}', sc_dk_number(r.weight)) ELSE '' END
        END
    FROM requirement_specs r
    LEFT JOIN manual m USING (plan, requirement_id)
    WHERE r.kind = 'manual'
)
SELECT r.plan, r.requirement_id, r.title, r.kind, r.period, r.period_end, r.period_complete,
    m.measure, m.threshold, m.met,
    CASE WHEN r.kind = 'kpi' THEN CASE WHEN m.met THEN r.weight WHEN NOT m.met THEN 0 END
        ELSE m.points END::DOUBLE AS points,
    r.weight AS max_points,
    CASE WHEN r.kind = 'kpi' THEN CASE WHEN m.met THEN 'met' WHEN NOT m.met THEN 'not_met' ELSE 'missing_data' END
        ELSE m.status END AS status,
    m.detail, getvariable('run_id') AS run_id, r.ord, r.period_ord
FROM requirement_specs r
JOIN measured m USING (plan, requirement_id, period)
ORDER BY r.plan, r.ord, r.period_ord;

-- compute_scope.sql: which periods a nightly run recomputes. All of them when a source was
-- rebuilt, the rules changed (rules_changed: the plans' targets and ladders or the catalogue,
-- by their fingerprint in the published run's record) or the as-of date moved back; else those
-- whose end moved with the as-of date, those not published yet, and those whose figures a
-- changed case can move. The other partitions stay as published. A published row without the
-- shares of SPEC §8 (written before them, or kept by a backfill since) has all periods
-- recomputed too.
SET VARIABLE full_compute = (
    len(getvariable('rebuilt_sources')) > 0
    OR getvariable('rules_changed')
    OR (SELECT coalesce(max(period_end), DATE '0001-01-01') FROM previous_scorecard) > getvariable('as_of')
    OR EXISTS (SELECT 1 FROM previous_scorecard WHERE decided + excluded > 0 AND excluded_pct IS NULL)
);

-- What a case gives a period [start, end] depends on its state there: decided in it (its
-- selection, service target, submission and decision date count: case_results.sql and
-- scorecard.sql), open at its end (submitted by then, decided after or not at all: its
-- selection, service target and submission count, pending and pending_breached), or neither.
-- A changed case can only move the figures of the periods where its old record (`replaced`,
-- merge.sql; none for a new case) and its new one differ in that:
--   - when the selection (case_type, first_time, complex), has_service_target or
--     submitted_date changed, or the case is new: every period either record is decided in or
--     open at the end of, i.e. that its life from submission to decision (or for good) overlaps;
--   - when only the decision changed (none to a date, a date to another, or back): the
--     periods between the two, from the earlier decision to the later one (or for good). Before
--     the earlier one the case was open at the period's end either way, with the same
--     submission; after the later one it was decided before the period began either way. So a
--     case open for years and decided yesterday touches only yesterday's periods;
--   - when neither changed (a record sent again, a new updated_at): none.
CREATE OR REPLACE TEMP TABLE touched_groups AS
WITH records AS (
    SELECT n.submitted_date, n.decided_date,
        o.submitted_date AS old_submitted_date, o.decided_date AS old_decided_date,
        coalesce(o.case_id IS NOT NULL
            AND n.case_type::VARCHAR = o.case_type::VARCHAR
            AND n.first_time = o.first_time
            AND n.complex = o.complex
            AND n.has_service_target = o.has_service_target
            AND n.submitted_date = o.submitted_date, false) AS same_but_decision
    FROM changed n
    LEFT JOIN replaced o ON o.source = n.source AND o.case_id = n.case_id
), spans AS (
    -- (an open case's span runs for good: to 9999-12-31)
    SELECT least(coalesce(decided_date, DATE '9999-12-31'), coalesce(old_decided_date, DATE '9999-12-31')) AS span_from,
        greatest(coalesce(decided_date, DATE '9999-12-31'), coalesce(old_decided_date, DATE '9999-12-31')) AS span_to
    FROM records
    WHERE same_but_decision AND decided_date IS DISTINCT FROM old_decided_date
    UNION ALL
    SELECT submitted_date, coalesce(decided_date, DATE '9999-12-31')
    FROM records WHERE NOT same_but_decision
    UNION ALL
    SELECT old_submitted_date, coalesce(old_decided_date, DATE '9999-12-31')
    FROM records WHERE NOT same_but_decision AND old_submitted_date IS NOT NULL
), published AS (
    SELECT DISTINCT plan, period, period_end FROM previous_scorecard
)
SELECT DISTINCT p.plan, p.period_group
FROM periods p
LEFT JOIN published u ON u.plan = p.plan AND u.period = p.period
WHERE getvariable('full_compute')
    OR u.period_end IS DISTINCT FROM p.period_end
    OR EXISTS (
        SELECT 1 FROM spans s
        WHERE s.span_from <= p.period_end AND s.span_to >= p.period_start
    );

DELETE FROM periods
WHERE (plan, period_group) NOT IN (SELECT (plan, period_group) FROM touched_groups);

DELETE FROM result_quarters
WHERE (plan, quarter) NOT IN (SELECT (plan, period_group) FROM touched_groups);

-- published_years: the published year rows of the years that are over, which a scoped run
-- keeps where it does not recompute them (scorecard.sql hands them to the forecast).
SET VARIABLE published_years = (
    SELECT coalesce(list({'plan': p.plan, 'target_id': p.target_id, 'period': p.period,
            'decided': p.decided, 'within_target': p.within_target, 'pending': p.pending,
            'pending_breached': p.pending_breached}), []::year_counts[])
    FROM previous_scorecard p
    JOIN targets t ON t.plan = p.plan AND t.target_id = p.target_id
    WHERE p.period_complete AND p.period_start = t.year_start AND p.period_end = t.year_end
);

-- compute_scope.sql: which periods a nightly run recomputes. All of them when a source was
-- rebuilt, the rules changed (rules_changed: the plans' targets and ladders or the catalogue,
-- by their fingerprint in the published run's record) or the as-of date moved back; else those
-- whose end moved with the as-of date, those not published yet, and those whose figures a
-- changed case can move: a case counts in a period when it was decided in it or still open at
-- its end, so its life from submission to decision (old record and new) must overlap the
-- period. The other partitions stay as published. A published row without the shares of SPEC
-- §8 (written before them, or kept by a backfill since) has all periods recomputed too.
SET VARIABLE full_compute = (
    len(getvariable('rebuilt_sources')) > 0
    OR getvariable('rules_changed')
    OR (SELECT coalesce(max(period_end), DATE '0001-01-01') FROM previous_scorecard) > getvariable('as_of')
    OR EXISTS (SELECT 1 FROM previous_scorecard WHERE decided + excluded > 0 AND excluded_pct IS NULL)
);

CREATE OR REPLACE TEMP TABLE touched_groups AS
WITH spans AS (
    SELECT submitted_date, decided_date FROM changed
    UNION ALL
    SELECT submitted_date, decided_date FROM replaced -- merge.sql: their published records
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
        WHERE s.submitted_date <= p.period_end
            AND (s.decided_date IS NULL OR s.decided_date >= p.period_start)
    );

DELETE FROM periods
WHERE (plan, period_group) NOT IN (SELECT (plan, period_group) FROM touched_groups);

DELETE FROM result_quarters
WHERE (plan, quarter) NOT IN (SELECT (plan, period_group) FROM touched_groups);

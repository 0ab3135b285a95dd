-- restatements.sql: scorecard rows an earlier run published for the same plan, target, period
-- and period end whose figures this run changes, each with the cases whose result changed.
-- (A period still running is not restated when the as-of date moves on: its end moves too.)
CREATE OR REPLACE TEMP TABLE restated_rows AS
SELECT n.plan, n.requirement_id, n.target_id, n.period, n.period_start, n.period_end,
    o.decided AS old_decided, n.decided AS new_decided,
    o.within_target AS old_within_target, n.within_target AS new_within_target,
    o.pct_within_target AS old_pct_within_target, n.pct_within_target AS new_pct_within_target,
    o.met AS old_met, n.met AS new_met,
    o.points AS old_points, n.points AS new_points,
    o.excluded AS old_excluded, n.excluded AS new_excluded,
    o.pending AS old_pending, n.pending AS new_pending,
    o.pending_breached AS old_pending_breached, n.pending_breached AS new_pending_breached,
    o.run_id AS old_run_id, n.run_id AS new_run_id
FROM scorecard n
JOIN previous_scorecard o
    ON o.plan = n.plan AND o.target_id = n.target_id AND o.period = n.period
    AND o.period_end = n.period_end
WHERE o.decided IS DISTINCT FROM n.decided
    OR o.within_target IS DISTINCT FROM n.within_target
    OR o.excluded IS DISTINCT FROM n.excluded
    OR o.pending IS DISTINCT FROM n.pending
    OR o.pending_breached IS DISTINCT FROM n.pending_breached
    OR o.met IS DISTINCT FROM n.met
    OR o.points IS DISTINCT FROM n.points;

-- case_changes: case results that differ between the published version and this one. Only
-- the quarters this run recomputed can differ (the others keep their published results), so
-- the published results compared are those of these quarters, and those of the cases this run
-- changed (a case whose record did not change was in the same quarter before). The quarters
-- are a constant, so the published files of the others are not opened.
-- A nightly run that recomputes only some periods (`scoped`: the rules, the time zone and the
-- sources' other cases are as published, and the as-of date did not move back) compares the
-- changed cases alone: an unchanged case has the same result in every published period, and
-- one the moving as-of date adds or removes lies in a period whose end moved, which is not
-- restated. And of those, only their results in the quarters it recomputed: a changed case's
-- result in a quarter it did not recompute is the same in both versions (compute_scope.sql
-- recomputes every quarter whose figures a changed case can move), and its new result there
-- is not computed, so comparing it would find it removed.
SET VARIABLE recomputed_quarters = (
    SELECT coalesce(list(plan || '/' || quarter), []::VARCHAR[]) FROM result_quarters);

-- Only the targets of restated rows are compared: none at all in a first run, where every
-- result would differ from the nothing published before.
CREATE OR REPLACE TEMP TABLE restated_targets AS SELECT DISTINCT plan, target_id FROM restated_rows;

CREATE OR REPLACE TEMP TABLE case_changes AS
WITH old_results AS (
    SELECT o.plan, o.target_id, o.source, o.case_id, o.decided_date, o.within_target
    FROM previous_results o
    WHERE NOT getvariable('scoped')
        AND list_contains(getvariable('recomputed_quarters'), o.plan || '/' || o.quarter)
    UNION ALL -- the two parts do not overlap, so need no search for duplicates
    SELECT o.plan, o.target_id, o.source, o.case_id, o.decided_date, o.within_target
    FROM previous_results o
    SEMI JOIN changed c ON c.source = o.source AND c.case_id = o.case_id
    -- a full run: the quarters it did not recompute; a scoped one: those it did
    WHERE list_contains(getvariable('recomputed_quarters'), o.plan || '/' || o.quarter) = getvariable('scoped')
), new_results AS (
    SELECT * FROM case_results n
    SEMI JOIN restated_targets r ON r.plan = n.plan AND r.target_id = n.target_id
    WHERE NOT getvariable('scoped')
    UNION ALL -- one part or the other: the variable is a constant
    SELECT * EXCLUDE (changed_case) FROM selected_results n
    SEMI JOIN restated_targets r ON r.plan = n.plan AND r.target_id = n.target_id
    WHERE getvariable('scoped') AND n.changed_case
)
SELECT coalesce(n.plan, o.plan) AS plan, coalesce(n.target_id, o.target_id) AS target_id,
    coalesce(n.source, o.source) AS source, coalesce(n.case_id, o.case_id) AS case_id,
    o.decided_date AS old_decided_date, n.decided_date AS new_decided_date,
    o.within_target AS old_within_target, n.within_target AS new_within_target
FROM new_results n
FULL OUTER JOIN (
    SELECT * FROM old_results o
    SEMI JOIN restated_targets r ON r.plan = o.plan AND r.target_id = o.target_id
) o
    ON o.plan = n.plan AND o.target_id = n.target_id AND o.source = n.source AND o.case_id = n.case_id
WHERE o.decided_date IS DISTINCT FROM n.decided_date
    OR o.within_target IS DISTINCT FROM n.within_target;

CREATE OR REPLACE TEMP TABLE restatements AS
WITH classified AS (
    SELECT r.plan, r.target_id, r.period, c.source, c.case_id,
        CASE
            WHEN NOT old_in THEN 'added'
            WHEN NOT new_in THEN 'removed'
            WHEN c.new_within_target AND NOT c.old_within_target THEN 'moved_in'
            WHEN c.old_within_target AND NOT c.new_within_target THEN 'moved_out'
        END AS change,
        c.old_decided_date, c.new_decided_date, c.old_within_target, c.new_within_target
    FROM restated_rows r
    JOIN (
        SELECT *,
            coalesce(old_decided_date BETWEEN p.period_start AND p.period_end, false) AS old_in,
            coalesce(new_decided_date BETWEEN p.period_start AND p.period_end, false) AS new_in,
            p.period
        FROM case_changes
        JOIN (SELECT DISTINCT plan AS pp, period, period_start, period_end FROM restated_rows) p
            ON p.pp = case_changes.plan
    ) c ON c.plan = r.plan AND c.target_id = r.target_id AND c.period = r.period
    WHERE c.old_in OR c.new_in
)
SELECT r.*,
    coalesce((
        SELECT list(struct_pack(source := k.source, case_id := k.case_id, change := k.change,
                old_decided_date := k.old_decided_date, new_decided_date := k.new_decided_date,
                old_within_target := k.old_within_target, new_within_target := k.new_within_target)
            ORDER BY k.source, k.case_id)
        FROM classified k
        WHERE k.plan = r.plan AND k.target_id = r.target_id AND k.period = r.period
            AND k.change IS NOT NULL
    ), []) AS changed_cases
FROM restated_rows r;

-- case_results.sql: the cases each target selects, and the result of every selected case
-- with a service target decided in the plan's year by the as-of date, for the quarters this
-- run writes.
-- (target_keys and target_types: target_selection.sql, run before.)

-- Only cases alive in the computed plans' years can count in their periods (decided in one,
-- or open at its end): years of history outside them are left out before the join, by a
-- filter on constants that the scan of the published files can use, and the published
-- partitions of the quarters before them are not even opened (parts_before_compute: the
-- labels of 1900-Q1 to the quarter before compute_from).
SET VARIABLE compute_from = (SELECT min(year_start) FROM targets WHERE plan IN (SELECT plan FROM periods));
SET VARIABLE compute_to = (SELECT max(year_end) FROM targets WHERE plan IN (SELECT plan FROM periods));
SET VARIABLE parts_before_compute = CASE WHEN sc_quarter_listed(getvariable('compute_from'))
    THEN getvariable('quarter_labels')[:sc_quarter_slot(getvariable('compute_from')) - 1]
    ELSE []::VARCHAR[] END;

CREATE OR REPLACE TEMP TABLE selected AS
SELECT tt.tkey, c.source, c.case_id, c.has_service_target, c.submitted_date, c.decided_date,
    c.changed_case
FROM (
    SELECT * FROM cases
    WHERE submitted_date <= getvariable('compute_to')
        AND (decided_date IS NULL OR decided_date >= getvariable('compute_from'))
        AND (decided_quarter IS NULL OR NOT list_contains(getvariable('parts_before_compute'), decided_quarter))
) c
JOIN target_types tt
    ON tt.case_type = c.case_type AND tt.first_time = c.first_time AND tt.complex = c.complex
JOIN targets t ON t.plan = tt.plan AND t.target_id = tt.target_id
WHERE t.plan IN (SELECT plan FROM periods) -- the plans this run computes something for
    -- and of those, the cases alive in this target's plan year
    AND c.submitted_date <= t.year_end
    AND (c.decided_date IS NULL OR c.decided_date >= t.year_start);

-- selected_results: a view, read once by its write (case_results) and once by restatements.sql
-- (those of the changed cases, in a nightly run): materialized, its two million rows at ten
-- million cases took 0.3 s to copy.
CREATE OR REPLACE TEMP VIEW selected_results AS
WITH decided AS (
    SELECT k.plan_e AS plan, k.target_e AS target_id, k.target_days, s.*,
        sc_quarter(decided_date) AS quarter
    FROM selected s
    JOIN target_keys k ON k.tkey = s.tkey
    WHERE s.has_service_target
        AND s.decided_date BETWEEN k.year_start AND least(k.year_end, getvariable('as_of'))
)
SELECT s.plan, s.target_id, s.case_id, s.source, s.submitted_date, s.decided_date,
    sc_elapsed(s.submitted_date, s.decided_date)       AS elapsed_days,
    s.target_days,
    sc_within_target(sc_elapsed(s.submitted_date, s.decided_date), s.target_days) AS within_target,
    getvariable('run_id')::this_run                    AS run_id,
    s.quarter,
    s.changed_case
FROM decided s
SEMI JOIN result_quarters r ON r.plan = s.plan AND r.quarter = s.quarter;

-- case_results: the results as the lake holds them.
CREATE OR REPLACE TEMP VIEW case_results AS SELECT * EXCLUDE (changed_case) FROM selected_results;

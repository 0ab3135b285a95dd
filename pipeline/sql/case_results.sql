-- case_results.sql: which cases each target selects, and the result of every selected case
-- with a service target decided in the plan's year by the as-of date.
CREATE OR REPLACE TEMP TABLE selected AS
SELECT t.plan, t.target_id, t.target_days, t.year_start, t.year_end,
    c.source, c.case_id, c.has_service_target, c.submitted_date, c.decided_date
FROM targets t
JOIN cases c
    ON (t.area IS NULL OR c.area = t.area)
    AND (t.case_types IS NULL OR list_contains(t.case_types, c.case_type))
    AND (t.first_time IS NULL OR c.first_time = t.first_time)
    AND (t.complex IS NULL OR c.complex = t.complex);

CREATE OR REPLACE TEMP TABLE case_results AS
SELECT plan, target_id, case_id, source, submitted_date, decided_date,
    decided_date - submitted_date                AS elapsed_days,
    target_days,
    decided_date - submitted_date <= target_days AS within_target,
    getvariable('run_id')                        AS run_id
FROM selected
WHERE has_service_target
    AND decided_date BETWEEN year_start AND least(year_end, getvariable('as_of'));

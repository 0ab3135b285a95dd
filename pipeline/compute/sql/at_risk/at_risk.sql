-- at_risk.sql: the open cases that decide the rest of the year (SPEC §8). For every plan whose
-- year holds the as-of date, each case a target selects, with a service target, submitted by
-- the as-of date and not decided by it, whose deadline (submitted_date + target_days, both
-- local dates, like elapsed_days) is at most at_risk_days after the as-of date, or has passed.
-- Read from all cases, not `selected`: a nightly run that recomputes no period still lists them.
-- at_risk_years: whether any plan's year holds the as-of date (a constant, so that when none
-- does, the cases are not even scanned: 0.1 s of a nightly run at ten million cases).
SET VARIABLE at_risk_years = EXISTS (
    SELECT 1 FROM targets WHERE getvariable('as_of') BETWEEN year_start AND year_end);

CREATE OR REPLACE TEMP TABLE at_risk AS
SELECT t.plan, t.target_id, c.case_id, c.source, c.submitted_date,
    c.submitted_date + t.target_days                                  AS deadline,
    (c.submitted_date + t.target_days - getvariable('as_of'))::INTEGER AS days_left,
    (getvariable('as_of') - c.submitted_date)::INTEGER                 AS age_days,
    getvariable('as_of')                                               AS as_of,
    getvariable('run_id')                                              AS run_id
FROM (
    SELECT source, case_id, case_type, first_time, complex, submitted_date
    FROM cases
    WHERE getvariable('at_risk_years')
        AND has_service_target
        AND submitted_date <= getvariable('as_of')
        AND (decided_date IS NULL OR decided_date > getvariable('as_of'))
) c
JOIN target_types tt
    ON tt.case_type = c.case_type AND tt.first_time = c.first_time AND tt.complex = c.complex
JOIN targets t ON t.plan = tt.plan AND t.target_id = tt.target_id
WHERE getvariable('as_of') BETWEEN t.year_start AND t.year_end
    AND c.submitted_date + t.target_days <= getvariable('as_of') + getvariable('at_risk_days');

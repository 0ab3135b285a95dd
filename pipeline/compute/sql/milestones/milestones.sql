-- milestones.sql: every milestone of the configured plans' milestones requirements as of the
-- as-of date (SPEC §9), from the status register: its status (sc_milestone_status) and the day
-- it was done, when that is known by the as-of date.
CREATE OR REPLACE TEMP TABLE milestone_status AS
SELECT m.plan, m.requirement_id, m.item_id, m.label, m.due,
    CASE WHEN s.done_on <= getvariable('as_of') THEN s.done_on END AS done_on,
    sc_milestone_status(m.due, s.done_on, getvariable('as_of')) AS status,
    getvariable('as_of') AS as_of, getvariable('run_id') AS run_id
FROM milestone_items m
LEFT JOIN status_register s USING (plan, requirement_id, item_id)
ORDER BY m.ord;

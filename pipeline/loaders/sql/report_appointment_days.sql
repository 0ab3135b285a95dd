-- report_appointment_days.sql: the published lake's weekday waits of every appointment_wait
-- requirement (SPEC §9), for the report's chart of the daily wait.
SELECT plan, requirement_id, day, site, wait_days, met, run_id
FROM appointment_days
ORDER BY plan, requirement_id, day

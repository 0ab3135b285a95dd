-- out_appointment_days.sql: the weekdays' waits, whole.
SELECT plan, requirement_id, day, site, wait_days, met, run_id
FROM appointment_day_rows
ORDER BY plan, requirement_id, day

-- out_milestones.sql: every milestone as of the run's as-of date, whole.
SELECT plan, requirement_id, item_id, label, due, done_on, status, as_of, run_id
FROM milestone_status
ORDER BY plan, requirement_id, due, item_id

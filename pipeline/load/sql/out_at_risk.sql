-- out_at_risk.sql: the at-risk cases of this run, the most urgent first.
SELECT * FROM at_risk
ORDER BY plan, target_id, deadline, case_id, source

-- report_at_risk.sql: the published lake's at-risk cases, the most urgent first (the earliest
-- deadline, then the case), for the at_risk_csv output and the reports' counts.
SELECT plan, target_id, case_id, source, submitted_date, deadline, days_left, age_days, as_of
FROM at_risk
ORDER BY deadline, case_id, plan, target_id, source

-- forecast_table.sql: the forecast of every target (forecast.go fills it; views.sql reads it),
-- and of every appointment_wait, milestones and kpi requirement (forecastKinds): target_id the
-- requirement's id, target_days NULL; min_pct a KPI's threshold, 100 for milestones.
CREATE OR REPLACE TEMP TABLE forecast (
    plan VARCHAR, target_id VARCHAR, as_of DATE, year_start DATE, year_end DATE,
    target_days INTEGER, min_pct DOUBLE, decided BIGINT, within_target BIGINT,
    backlog BIGINT, backlog_late BIGINT, backlog_in_time BIGINT,
    best_case_pct DOUBLE, worst_case_pct DOUBLE, expected_decided DOUBLE,
    needed_pct DOUBLE, expected_pct DOUBLE, expected_pct_low DOUBLE,
    expected_pct_high DOUBLE, p_met DOUBLE, expected_points DOUBLE, max_points DOUBLE,
    run_id VARCHAR
);

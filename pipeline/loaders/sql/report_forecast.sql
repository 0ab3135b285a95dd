-- report_forecast.sql: the published lake's forecast, one row per plan and target, for the
-- reports' "Forventet målopfyldelse" part.
SELECT plan, target_id, as_of, year_start, year_end, min_pct, decided, within_target, backlog,
    backlog_late, best_case_pct, worst_case_pct, expected_decided, needed_pct, expected_pct,
    expected_pct_low, expected_pct_high, p_met, expected_points, max_points
FROM forecast
ORDER BY plan, target_id

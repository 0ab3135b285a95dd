-- out_forecast.sql: this run's forecast, one row per plan and target.
SELECT * FROM forecast ORDER BY plan, target_id

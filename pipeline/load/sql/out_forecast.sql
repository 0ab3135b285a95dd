-- out_forecast.sql: this run's forecast, one row per plan and target or requirement (of the
-- kinds forecastKinds forecasts).
SELECT * FROM forecast ORDER BY plan, target_id

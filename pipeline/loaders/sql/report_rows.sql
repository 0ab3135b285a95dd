-- report_rows.sql: every scorecard row of the published lake, for the loaders, in the view's
-- column order (outputs.Columns; TestScorecardColumnsAreTheOutputs).
SELECT *
FROM scorecard
ORDER BY plan, target_id, period

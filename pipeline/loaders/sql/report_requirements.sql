-- report_requirements.sql: the published lake's contract scorecard (SPEC §9), every plan,
-- requirement and period, for the loaders. SQL does not know the config's plan order nor a
-- plan's requirement order; outputs.SortRequirements puts the rows in them.
SELECT plan, requirement_id, title, kind, period, period_end, period_complete, measure,
    threshold, met, points, max_points, status, detail, run_id
FROM requirements
ORDER BY plan, requirement_id, period

-- pg_prune.sql: rows of the report's plans that the published lake no longer has (a target
-- removed from a plan file), so the table mirrors the lake for those plans. Other plans'
-- rows are left alone. $1 is the report's plan ids.
DELETE FROM {{table}} AS t
WHERE t.plan = ANY($1)
  AND NOT EXISTS (
    SELECT 1 FROM scorecard_load l
    WHERE l.plan = t.plan AND l.target_id = t.target_id AND l.period = t.period)

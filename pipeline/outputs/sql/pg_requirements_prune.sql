-- pg_requirements_prune.sql: requirement rows of the report's plans that the published lake
-- no longer has (a requirement removed from a plan file, a period no longer scored), so the
-- table mirrors the lake for those plans. Other plans' rows are left alone. $1 is the
-- report's plan ids.
DELETE FROM {{table}} AS t
WHERE t.plan = ANY($1)
  AND NOT EXISTS (
    SELECT 1 FROM requirements_load l
    WHERE l.plan = t.plan AND l.requirement_id = t.requirement_id AND l.period = t.period)

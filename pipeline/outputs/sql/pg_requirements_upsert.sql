-- pg_requirements_upsert.sql: every staged requirement row replaces the row with its key, so
-- a rerun leaves no duplicates. {{updates}} sets every other column of RequirementColumns.
INSERT INTO {{table}} AS t
SELECT * FROM requirements_load
ON CONFLICT (plan, requirement_id, period) DO UPDATE SET {{updates}}

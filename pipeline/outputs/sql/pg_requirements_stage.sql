-- pg_requirements_stage.sql: a temporary table shaped like the requirements table, which
-- COPY fills before the upsert.
CREATE TEMP TABLE requirements_load (LIKE {{table}}) ON COMMIT DROP

-- pg_stage.sql: a temporary table shaped like the target, which COPY fills before the upsert.
CREATE TEMP TABLE scorecard_load (LIKE {{table}}) ON COMMIT DROP

-- pg_upsert.sql: every staged row replaces the row with its key, so a rerun leaves no duplicates.
-- {{updates}} sets every other column of Columns (postgres.go upsertSQL).
INSERT INTO {{table}} AS t
SELECT * FROM scorecard_load
ON CONFLICT (plan, target_id, period) DO UPDATE SET {{updates}}

-- pg_requirements_upsert.sql: every staged requirement row replaces the row with its key, so
-- a rerun leaves no duplicates.
INSERT INTO {{table}} AS t
SELECT * FROM requirements_load
ON CONFLICT (plan, requirement_id, period) DO UPDATE SET
    title           = excluded.title,
    kind            = excluded.kind,
    period_end      = excluded.period_end,
    period_complete = excluded.period_complete,
    measure         = excluded.measure,
    threshold       = excluded.threshold,
    met             = excluded.met,
    points          = excluded.points,
    max_points      = excluded.max_points,
    status          = excluded.status,
    detail          = excluded.detail,
    run_id          = excluded.run_id

-- pg_upsert.sql: every staged row replaces the row with its key, so a rerun leaves no duplicates.
INSERT INTO {{table}} AS t
SELECT * FROM scorecard_load
ON CONFLICT (plan, target_id, period) DO UPDATE SET
    requirement_id    = excluded.requirement_id,
    label             = excluded.label,
    period_start      = excluded.period_start,
    period_end        = excluded.period_end,
    period_complete   = excluded.period_complete,
    target_days       = excluded.target_days,
    min_pct           = excluded.min_pct,
    decided           = excluded.decided,
    within_target     = excluded.within_target,
    pct_within_target = excluded.pct_within_target,
    pct_low           = excluded.pct_low,
    pct_high          = excluded.pct_high,
    met               = excluded.met,
    points            = excluded.points,
    max_points        = excluded.max_points,
    excluded          = excluded.excluded,
    excluded_pct      = excluded.excluded_pct,
    pending           = excluded.pending,
    pending_breached  = excluded.pending_breached,
    run_id            = excluded.run_id,
    computed_at       = excluded.computed_at

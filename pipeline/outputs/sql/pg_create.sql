-- pg_create.sql: the scorecard table, the columns of SPEC §6 and the shares of SPEC §8.
-- {{table}} is the quoted name. A table an older version made gets the shares from
-- pg_columns.sql.
CREATE TABLE IF NOT EXISTS {{table}} (
    plan              text             NOT NULL,
    requirement_id    text             NOT NULL,
    target_id         text             NOT NULL,
    label             text             NOT NULL,
    period            text             NOT NULL,
    period_start      date             NOT NULL,
    period_end        date             NOT NULL,
    period_complete   boolean          NOT NULL,
    target_days       integer          NOT NULL,
    min_pct           numeric(5, 2)    NOT NULL,
    decided           bigint           NOT NULL,
    within_target     bigint           NOT NULL,
    pct_within_target double precision,
    pct_low           double precision,
    pct_high          double precision,
    met               boolean,
    points            double precision,
    max_points        double precision NOT NULL,
    excluded          bigint           NOT NULL,
    excluded_pct      double precision,
    pending           bigint           NOT NULL,
    pending_breached  bigint           NOT NULL,
    run_id            text             NOT NULL,
    computed_at       timestamptz      NOT NULL,
    PRIMARY KEY (plan, target_id, period)
)

-- pg_requirements_create.sql: the requirements table beside the scorecard table, the
-- requirements view's columns (SPEC §9). {{table}} is its quoted name, the scorecard table's
-- with "_requirements" appended.
CREATE TABLE IF NOT EXISTS {{table}} (
    plan            text             NOT NULL,
    requirement_id  text             NOT NULL,
    title           text             NOT NULL,
    kind            text             NOT NULL,
    period          text             NOT NULL,
    period_end      date             NOT NULL,
    period_complete boolean          NOT NULL,
    measure         double precision,
    threshold       double precision,
    met             boolean,
    points          double precision,
    max_points      double precision NOT NULL,
    status          text             NOT NULL,
    detail          text             NOT NULL,
    run_id          text             NOT NULL,
    PRIMARY KEY (plan, requirement_id, period)
)

-- rules_tables.sql: the catalogue and the plans as tables, filled from Go before curation.
CREATE OR REPLACE TEMP TABLE case_types (
    slug  VARCHAR PRIMARY KEY,
    label VARCHAR NOT NULL,
    area  VARCHAR NOT NULL
);

CREATE OR REPLACE TEMP TABLE targets (
    plan           VARCHAR NOT NULL,
    requirement_id VARCHAR NOT NULL,
    target_id      VARCHAR NOT NULL,
    label          VARCHAR NOT NULL,
    ord            INTEGER NOT NULL,
    area           VARCHAR,
    case_types     VARCHAR[],
    first_time     BOOLEAN,
    complex        BOOLEAN,
    target_days    INTEGER NOT NULL,
    min_pct        DOUBLE  NOT NULL,
    min_pct_bp     BIGINT  NOT NULL, -- min_pct * 100, exact
    points         DOUBLE  NOT NULL,
    year_start     DATE    NOT NULL,
    year_end       DATE    NOT NULL
);

-- ladder: partial credit below min_pct.
CREATE OR REPLACE TEMP TABLE ladder (
    plan       VARCHAR NOT NULL,
    target_id  VARCHAR NOT NULL,
    min_pct_bp BIGINT  NOT NULL,
    share      DOUBLE  NOT NULL
);

-- periods: the periods this run computes (all of them, or those a backfill window touches).
CREATE OR REPLACE TEMP TABLE periods (
    plan            VARCHAR NOT NULL,
    period          VARCHAR NOT NULL,
    ord             INTEGER NOT NULL,
    period_start    DATE    NOT NULL,
    period_end      DATE    NOT NULL,
    period_complete BOOLEAN NOT NULL,
    period_group    VARCHAR NOT NULL -- the scorecard partition: the year, or a quarter and its months
);

-- result_quarters: the case_results partitions this run writes.
CREATE OR REPLACE TEMP TABLE result_quarters (
    plan    VARCHAR NOT NULL,
    quarter VARCHAR NOT NULL
);

-- requirements: every requirement of the configured plans and its kind (status rows name one).
CREATE OR REPLACE TEMP TABLE requirements (
    plan           VARCHAR NOT NULL,
    requirement_id VARCHAR NOT NULL,
    kind           VARCHAR NOT NULL,
    ord            INTEGER NOT NULL
);

-- milestone_items: the milestones of the plans' milestones requirements, with their due dates.
CREATE OR REPLACE TEMP TABLE milestone_items (
    plan           VARCHAR NOT NULL,
    requirement_id VARCHAR NOT NULL,
    item_id        VARCHAR NOT NULL,
    label          VARCHAR NOT NULL,
    due            DATE    NOT NULL,
    ord            INTEGER NOT NULL
);

-- year_counts: a target's counts for its plan year once the year is over, as a scoped run keeps
-- the published ones (compute_scope.sql) and the forecast reads them (scorecard.sql sets
-- forecast_years, forecast_inputs.sql reads it).
DROP TYPE IF EXISTS year_counts;
CREATE TYPE year_counts AS STRUCT(plan VARCHAR, target_id VARCHAR, period VARCHAR, decided BIGINT,
    within_target BIGINT, pending BIGINT, pending_breached BIGINT);

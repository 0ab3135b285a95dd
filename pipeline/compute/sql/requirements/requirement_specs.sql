-- requirement_specs.sql: what the requirements table (requirements.sql) needs of each
-- requirement of the configured plans, one row per period it is scored for, filled from Go
-- (requirements.go).
CREATE OR REPLACE TEMP TABLE requirement_specs (
    plan            VARCHAR NOT NULL,
    requirement_id  VARCHAR NOT NULL,
    title           VARCHAR NOT NULL,
    kind            VARCHAR NOT NULL,
    ord             INTEGER NOT NULL, -- the requirement's place in its plan
    weight          DOUBLE  NOT NULL,
    period          VARCHAR NOT NULL, -- as the scorecard names it: 2024, 2024-Q2, 2024-05
    period_ord      INTEGER NOT NULL, -- the year, its quarters, its months
    period_start    DATE    NOT NULL,
    period_end      DATE    NOT NULL, -- the as-of date while the period runs, else its last day
    period_complete BOOLEAN NOT NULL,
    operator        VARCHAR,          -- kpi: lt, le, gt or ge
    symbol          VARCHAR,          -- kpi: the operator as a reader writes it
    threshold       DOUBLE,           -- kpi: the threshold; appointment_wait: min_pct
    unit            VARCHAR,          -- kpi: what the value counts
    min_bp          BIGINT,           -- appointment_wait: min_pct in hundredths
    max_wait_days   INTEGER,          -- appointment_wait: the longest wait within target
    has_ladder      BOOLEAN NOT NULL, -- milestones, assessment: the plan sets a ladder
    items           VARCHAR[],        -- assessment: the scorers (NULL: any item counts)
    max_score       INTEGER,          -- assessment: the highest sum
    agreed_in       VARCHAR           -- manual: where the points are agreed
);

-- requirement_ladder: the rungs of the milestones ladders (min_bp: the percentage done on time
-- in hundredths) and the assessment ladders (min_bp: the score), highest first.
CREATE OR REPLACE TEMP TABLE requirement_ladder (
    plan           VARCHAR NOT NULL,
    requirement_id VARCHAR NOT NULL,
    min_bp         BIGINT  NOT NULL,
    share          DOUBLE  NOT NULL
);

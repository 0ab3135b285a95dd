-- requirement_specs.sql: what the requirements table (requirements.sql) needs of each
-- requirement of the configured plans, for its plan's year period, filled from Go
-- (requirements.go). Quarters and months are not scored here yet.
CREATE OR REPLACE TEMP TABLE requirement_specs (
    plan            VARCHAR NOT NULL,
    requirement_id  VARCHAR NOT NULL,
    title           VARCHAR NOT NULL,
    kind            VARCHAR NOT NULL,
    ord             INTEGER NOT NULL,
    weight          DOUBLE  NOT NULL,
    period          VARCHAR NOT NULL, -- the plan's year, as the scorecard's year row names it
    period_end      DATE    NOT NULL, -- the as-of date while the year runs, else its last day
    period_complete BOOLEAN NOT NULL,
    operator        VARCHAR,          -- kpi: lt, le, gt or ge
    symbol          VARCHAR,          -- kpi: the operator as a reader writes it
    threshold       DOUBLE,           -- kpi: the threshold; appointment_wait: min_pct
    unit            VARCHAR,          -- kpi: what the value counts
    items           VARCHAR[],        -- assessment: the scorers (NULL: any item counts)
    max_score       INTEGER,          -- assessment: the highest sum
    has_ladder      BOOLEAN NOT NULL, -- milestones, assessment: the plan sets a ladder
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

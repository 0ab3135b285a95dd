-- appointment_days_rules.sql: the weekdays each appointment_wait requirement measures (its
-- calendar's, less the config's closed_days, from its year's first day to the as-of date or
-- the year's last), with the requirement's rule, filled from Go (requirements.go).
CREATE OR REPLACE TEMP TABLE wait_weekdays (
    plan           VARCHAR NOT NULL,
    requirement_id VARCHAR NOT NULL,
    day            DATE    NOT NULL,
    max_wait_days  INTEGER NOT NULL,
    sites          VARCHAR NOT NULL -- earliest or each
);

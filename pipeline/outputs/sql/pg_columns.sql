-- pg_columns.sql: the columns added since the table's first version, for a table an older
-- version made (there they come last; the loader names its columns, so that does no harm).
-- Run only when pg_missing.sql finds one missing: ALTER TABLE locks out the table's readers
-- until the load commits.
ALTER TABLE {{table}}
    ADD COLUMN IF NOT EXISTS pct_low      double precision,
    ADD COLUMN IF NOT EXISTS pct_high     double precision,
    ADD COLUMN IF NOT EXISTS excluded_pct double precision

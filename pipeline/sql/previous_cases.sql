-- previous_cases.sql: the curated cases of the published version (files in `previous_cases`),
-- read where they lie rather than copied into memory.
CREATE OR REPLACE TEMP VIEW previous_cases AS
SELECT * EXCLUDE (decided_quarter)
FROM read_parquet(getvariable('previous_cases'),
    hive_partitioning = true, hive_types = {'decided_quarter': VARCHAR});

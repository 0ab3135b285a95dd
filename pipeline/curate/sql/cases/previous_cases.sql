-- previous_cases.sql: the curated cases of the published version (files in `previous_cases`),
-- read where they lie rather than copied into memory (previous_rebuilt.sql leaves out those of
-- a rebuilt source).
CREATE OR REPLACE TEMP VIEW published_case_parts AS
SELECT * FROM read_parquet(getvariable('previous_cases'),
    hive_partitioning = true, hive_types = {'decided_quarter': VARCHAR});

-- previous_case_parts: the published cases this run merges with, keeping their partition key
-- so that a filter on it skips whole files (cases_to_write).
CREATE OR REPLACE TEMP VIEW previous_case_parts AS SELECT * FROM published_case_parts;

CREATE OR REPLACE TEMP VIEW previous_cases AS
SELECT * EXCLUDE (decided_quarter) FROM previous_case_parts;

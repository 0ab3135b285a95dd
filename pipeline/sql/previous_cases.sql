-- previous_cases.sql: the curated cases of the published version (files in `previous_cases`),
-- read where they lie rather than copied into memory; those of a rebuilt source are replaced
-- by what it holds now, so they are left out.
CREATE OR REPLACE TEMP VIEW published_cases AS
SELECT * EXCLUDE (decided_quarter)
FROM read_parquet(getvariable('previous_cases'),
    hive_partitioning = true, hive_types = {'decided_quarter': VARCHAR});

CREATE OR REPLACE TEMP VIEW previous_cases AS
SELECT * FROM published_cases
WHERE NOT list_contains(getvariable('rebuilt_sources'), source);

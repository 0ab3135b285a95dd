-- previous_cases.sql: the curated cases of the published version (files in `previous_cases`),
-- read where they lie rather than copied into memory (previous_rebuilt.sql leaves out those of
-- a rebuilt source).

-- published_case_rows: each published case with where it lies, its file and its row there, by
-- which merge.sql reads a few records without reading every file whole. The other views leave
-- those two out: they are not part of a case.
CREATE OR REPLACE TEMP VIEW published_case_rows AS
SELECT * FROM read_parquet(getvariable('previous_cases'),
    hive_partitioning = true, hive_types = {'decided_quarter': VARCHAR},
    filename = true, file_row_number = true);
CREATE OR REPLACE TEMP VIEW published_case_parts AS
SELECT * EXCLUDE (filename, file_row_number) FROM published_case_rows;

-- previous_case_rows and previous_case_parts: the published cases this run merges with,
-- keeping their partition key so that a filter on it skips whole files (cases_to_write).
CREATE OR REPLACE TEMP VIEW previous_case_rows AS SELECT * FROM published_case_rows;
CREATE OR REPLACE TEMP VIEW previous_case_parts AS
SELECT * EXCLUDE (filename, file_row_number) FROM previous_case_rows;

CREATE OR REPLACE TEMP VIEW previous_cases AS
SELECT * EXCLUDE (decided_quarter) FROM previous_case_parts;

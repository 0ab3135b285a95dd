-- case_file_bounds.sql: the lowest and highest case_id of each published cases file, from
-- the statistics in its footer (curate.go caseFileBounds fills it): merge.sql reads the ids of
-- a file only when one of this run's ids lies between them. A file whose footer has none is
-- not listed, and is read.
CREATE OR REPLACE TEMP TABLE case_file_bounds (
    file   VARCHAR NOT NULL, -- as in previous_cases, so as `filename` reads it
    min_id VARCHAR NOT NULL,
    max_id VARCHAR NOT NULL
);

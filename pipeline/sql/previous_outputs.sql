-- previous_outputs.sql: the scorecard and case_results of the published version, to find what
-- this run restates.
CREATE OR REPLACE TEMP TABLE previous_scorecard AS
SELECT * FROM read_parquet(getvariable('previous_scorecard'),
    hive_partitioning = true, hive_types = {'plan': VARCHAR, 'period_group': VARCHAR});

-- previous_results: a view, read only for the quarters this run recomputes.
CREATE OR REPLACE TEMP VIEW previous_results AS
SELECT * FROM read_parquet(getvariable('previous_results'),
    hive_partitioning = true, hive_types = {'plan': VARCHAR, 'quarter': VARCHAR});

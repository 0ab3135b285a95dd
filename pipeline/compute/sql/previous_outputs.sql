-- previous_outputs.sql: the scorecard and case_results of the published version, to find what
-- this run restates.
-- Partitions published before pct_low, pct_high and excluded_pct (SPEC §8), some or all, read
-- them as NULL (the empty row adds the columns when no file has them), so that
-- compute_scope.sql sees what must be recomputed.
CREATE OR REPLACE TEMP TABLE previous_scorecard AS
SELECT NULL::DOUBLE AS pct_low, NULL::DOUBLE AS pct_high, NULL::DOUBLE AS excluded_pct WHERE false
UNION ALL BY NAME
FROM read_parquet(getvariable('previous_scorecard'), union_by_name = true,
    hive_partitioning = true, hive_types = {'plan': VARCHAR, 'period_group': VARCHAR});

-- previous_results: a view, read only for the quarters this run recomputes.
CREATE OR REPLACE TEMP VIEW previous_results AS
SELECT * FROM read_parquet(getvariable('previous_results'),
    hive_partitioning = true, hive_types = {'plan': VARCHAR, 'quarter': VARCHAR});

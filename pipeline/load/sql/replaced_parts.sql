-- replaced_parts.sql: the partition folders this run replaces, written or left empty: the cases
-- partitions a case moved in or out of, and the quarters and period groups it computed.
SELECT 'cases/decided_quarter=' || part FROM touched_case_parts
UNION ALL
SELECT 'case_results/plan=' || plan || '/quarter=' || quarter FROM result_quarters
UNION ALL
SELECT DISTINCT 'scorecard/plan=' || plan || '/period_group=' || period_group FROM periods

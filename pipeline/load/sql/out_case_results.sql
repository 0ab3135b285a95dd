-- out_case_results.sql: the case_results of the quarters this run computed, partitioned by
-- plan and quarter.
SELECT * FROM case_results

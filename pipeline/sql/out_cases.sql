-- out_cases.sql: the cases partitions this run rewrites (those a case moved in or out of),
-- partitioned by decided_quarter.
SELECT *, sc_quarter(decided_date) AS decided_quarter FROM cases_to_write

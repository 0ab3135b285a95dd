-- out_cases.sql: the cases partitions this run rewrites (those a case moved in or out of),
-- partitioned by decided_quarter (an enum of those partitions: case_parts.sql).
SELECT *, sc_case_part(decided_date, submitted_date) AS decided_quarter FROM cases_to_write

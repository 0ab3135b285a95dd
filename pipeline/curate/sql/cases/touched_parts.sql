-- touched_parts.sql: the cases partitions this run rewrites, as a constant for cases_to_write.
SET VARIABLE touched_parts = (SELECT coalesce(list(part), []::VARCHAR[]) FROM touched_case_parts);

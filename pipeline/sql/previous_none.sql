-- previous_none.sql: the first run of a lake starts from no cases.
CREATE OR REPLACE TEMP TABLE previous_cases AS SELECT * FROM fresh WHERE false;

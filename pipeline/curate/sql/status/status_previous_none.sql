-- status_previous_none.sql: no status register published yet.
CREATE OR REPLACE TEMP VIEW previous_status AS SELECT * FROM status_fresh WHERE false;

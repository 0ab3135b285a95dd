-- appointments_previous_none.sql: no appointment snapshots published yet.
CREATE OR REPLACE TEMP VIEW previous_appointments AS SELECT * FROM appointments_fresh WHERE false;

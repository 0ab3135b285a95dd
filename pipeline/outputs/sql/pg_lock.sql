-- pg_lock.sql: one loader at a time per table, so two runs never race to create the table
-- or interleave their upserts. Released at commit.
SELECT pg_advisory_xact_lock(hashtext($1))

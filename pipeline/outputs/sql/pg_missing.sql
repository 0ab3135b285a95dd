-- pg_missing.sql: how many of the columns $2 the table $1 (its quoted name) lacks.
SELECT count(*)
FROM unnest($2::text[]) AS c(name)
WHERE NOT EXISTS (
    SELECT 1 FROM pg_attribute a
    WHERE a.attrelid = $1::regclass AND a.attname = c.name AND NOT a.attisdropped)

-- landed_gone.sql: the landed files of a source ($1) that are not among the files present now
-- ($2), and whether an earlier run already found them gone.
SELECT path, gone_run_id IS NOT NULL AS gone_before
FROM landed_files
WHERE source = $1 AND NOT list_contains($2::VARCHAR[], path)
ORDER BY path

-- out_state.sql: every file landed so far, so a nightly run lands only new or changed files.
SELECT *
FROM landed_files
ORDER BY source, path

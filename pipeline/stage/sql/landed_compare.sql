-- landed_compare.sql: the files of a source ($1) that were landed before, among those found
-- now ($2 paths, $3 sizes, $4 modification times): the sha256 they were landed with, and
-- whether they still have the size and modification time they had then.
SELECT l.path, l.sha256, coalesce(l.size = f.size AND l.mtime = f.mtime, false) AS unchanged
FROM (
    SELECT unnest($2::VARCHAR[]) AS path, unnest($3::BIGINT[]) AS size,
        unnest($4::VARCHAR[])::TIMESTAMPTZ AS mtime
) f
JOIN landed_files l ON l.source = $1 AND l.path = f.path

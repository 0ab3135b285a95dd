-- parsed_keep.sql: the parsed table, once its rejected rows are in the quarantine, narrowed to
-- the rows `fresh` reads (parsed_file_keep.sql does the same by filters for the file).

-- The rejected rows are in the quarantine, and the parsed rows keep the good ones only: the
-- columns that judged them are dropped, so that less of the table competes for memory with
-- the reads and writes to come.
DELETE FROM parsed WHERE rejected IS NOT NULL;
ALTER TABLE parsed DROP COLUMN rejected;

-- losers: the good rows of a case that arrived more than once, other than its newest
-- (sc_parsed_rank, curate.sql). Most cases arrive
-- once, so only the rows of a repeated case are looked at; each case's newest row is picked by
-- one aggregate (a window that ranks them all costs a fifth more), and the others are deleted
-- by row id, which costs far less than filtering every later read.
DELETE FROM parsed
WHERE flags & 8 <> 0
    AND rowid NOT IN (
        SELECT arg_max(rowid, sc_parsed_rank(updated_ts, enum_code(source), enum_code(source_file), source_row))
        FROM parsed
        WHERE flags & 8 <> 0
        GROUP BY source, id_v
    );

-- parsed_file_keep.sql: parsed_keep.sql for the file of parsed_file.sql: a file's rows are not
-- deleted, so the view parsed is narrowed to the rows `fresh` reads by filters: the good rows,
-- and of a case that arrived more than once only its newest (the row parsed_newest names).

-- parsed_newest: each repeated case's newest good row, by its place in the file (the same
-- pick as parsed_keep.sql's, sc_parsed_rank, on the few rows of repeated cases).
CREATE OR REPLACE TEMP TABLE parsed_newest AS
SELECT arg_max(file_row_number,
        sc_parsed_rank(updated_ts, enum_code(source), enum_code(source_file), source_row)) AS file_row_number
FROM parsed_rows
WHERE flags & 8 <> 0 AND rejected IS NULL
GROUP BY source, id_v;

CREATE OR REPLACE TEMP VIEW parsed AS
SELECT * EXCLUDE (rejected, file_row_number)
FROM parsed_rows
WHERE rejected IS NULL
    AND (flags & 8 = 0 OR file_row_number IN (SELECT file_row_number FROM parsed_newest));

-- parsed_file.sql: parsed, for a run larger than memory: the rows of parsed.sql as curate.go
-- parse wrote them to a Parquet file in the staging folder (parsed_file), rather than a temp
-- table that spills and is read back from the spill by every read of `fresh`. Written, the
-- enums are their strings (from their dictionaries); they are read back as the enums, so that
-- what reads parsed sees the temp table's types. parsed_rows keeps each row's place in the
-- file, by which parsed_file_keep.sql picks a repeated case's newest row.
CREATE OR REPLACE TEMP VIEW parsed_rows AS
SELECT * REPLACE (source::landed_source AS source, source_file::landed_file AS source_file,
        type_v::case_slug AS type_v)
FROM read_parquet(getvariable('parsed_file'), file_row_number = true);
CREATE OR REPLACE TEMP VIEW parsed AS SELECT * EXCLUDE (file_row_number) FROM parsed_rows;

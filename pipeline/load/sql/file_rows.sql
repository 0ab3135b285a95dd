-- file_rows.sql: the rows of each Parquet file a partitioned write left (written_files), from
-- its footer: one query for them all, where one a file took a millisecond or two each (the
-- twelve partitions of a nightly run's cases 16 ms).
SELECT file_name, num_rows FROM parquet_file_metadata(getvariable('written_files'))

-- curate.sql: the types, lookups and macros the parse of the cases needs and the ids that
-- arrive more than once; then curate.go parse makes the parsed rows (parsed.sql) and the view
-- `fresh` of the good ones.

-- landed_file: the run's few distinct source files as an enum, so that each parsed row holds a
-- byte or two rather than the path (the run id is the run's, added where rows leave): the
-- smaller parsed is, the less of it spills at ten million rows. In the order of the paths, so
-- that ordering by its number is ordering by the path.
DROP TYPE IF EXISTS landed_file;
CREATE TYPE landed_file AS ENUM (SELECT DISTINCT source_file FROM raw ORDER BY source_file);

-- The same for the sources, the case types, the areas and the run: a byte in memory, and the
-- Parquet writer takes an enum's dictionary as it is, where it would hash a string on every row.
-- Written, they are plain strings.
DROP TYPE IF EXISTS landed_source;
CREATE TYPE landed_source AS ENUM (SELECT DISTINCT unnest(getvariable('sources')));
DROP TYPE IF EXISTS case_slug;
CREATE TYPE case_slug AS ENUM (SELECT slug FROM case_types ORDER BY slug);
DROP TYPE IF EXISTS case_area;
CREATE TYPE case_area AS ENUM (SELECT DISTINCT area FROM case_types);
-- slug_areas: the area of each case type, in the order of the enum, so that a case's area is
-- looked up by its type's number rather than joined on the text (as a case_area already: a
-- text would be cast row by row).
SET VARIABLE slug_areas = (SELECT list(area::case_area ORDER BY slug) FROM case_types);
DROP TYPE IF EXISTS this_run;
CREATE TYPE this_run AS ENUM (SELECT getvariable('run_id'));

-- landed_extracted: the extraction time of each source this run landed, in the order of
-- landed_source, looked up by sc_extracted. A source lands all its files with one time
-- (landed_times, from the stage), so the parsed rows need not hold an instant each (8 bytes in
-- each of millions of rows, in a table larger than memory_limit).
SET VARIABLE landed_extracted = (
    SELECT list(getvariable('landed_times')[list_position(getvariable('landed_time_sources'), s.v)]
        ORDER BY enum_code(s.v::landed_source))
    FROM unnest(enum_range(NULL::landed_source)) s(v));
CREATE OR REPLACE TEMP MACRO sc_extracted(source_code) AS
    getvariable('landed_extracted')[source_code + 1];
-- sc_parsed_rank: sc_record_rank of a parsed row, given the numbers of its source and file
-- (enum_code: the file by its place in the sorted list of landed files), by which
-- parsed_keep.sql and parsed_file_keep.sql keep a repeated case's newest.
CREATE OR REPLACE TEMP MACRO sc_parsed_rank(updated_ts, source_code, file_code, source_row) AS
    sc_record_rank(updated_ts, sc_extracted(source_code), file_code, source_row);

-- repeated_keys: the hashes of the case ids that arrive more than once in this run. Only the
-- rows of those cases need ranking; hashing the ids first keeps that count on integers, and a
-- collision merely ranks a few more rows. (Read from the landing files: from parsed, which
-- may lie partly on disk by then, it takes longer.) A hash is repeated when it equals the one
-- before it in order: sorting the hashes costs less than grouping them, whose hash table is
-- rebuilt as it grows to one entry per case (0.17 against 0.25 s at three million cases, 0.62
-- against 0.76 s at ten million, about the same at thirty million). Grouping in passes over
-- ranges of the hash, each within memory, was measured and costs more: 1.3 to 1.8 times the
-- CPU of one spilling pass.
CREATE OR REPLACE TEMP TABLE repeated_keys AS
SELECT DISTINCT key FROM (
    SELECT key, lag(key) OVER (ORDER BY key) AS previous
    FROM (SELECT hash(sc_text(case_id)) AS key FROM raw)
) WHERE key = previous;

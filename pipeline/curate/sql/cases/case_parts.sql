-- case_parts.sql: the cases partitions this run writes (touched_case_parts) as an enum, the
-- partition key of out_cases.sql: partitioning by an enum's number and writing its dictionary
-- cost less than hashing the text of every row (0.2 s at ten million cases).
DROP TYPE IF EXISTS case_part;
CREATE TYPE case_part AS ENUM (SELECT part FROM touched_case_parts ORDER BY 1);

-- case_part_labels: sc_quarter's label of each quarter of 1900 to 2199 as a case_part, NULL
-- for a quarter not written (every row written lies in one that is).
SET VARIABLE case_part_labels = (
    SELECT list(CASE WHEN l IN (SELECT part FROM touched_case_parts) THEN l::case_part END ORDER BY i)
    FROM (SELECT unnest(getvariable('quarter_labels')) AS l,
        generate_subscripts(getvariable('quarter_labels'), 1) AS i));

-- sc_case_part: sc_case_part_text as a case_part; a partition outside the written ones fails
-- the run.
CREATE OR REPLACE TEMP MACRO sc_case_part(d, submitted) AS CASE
    WHEN d IS NULL THEN sc_case_part_text(d, submitted)::case_part
    WHEN sc_quarter_listed(d) THEN coalesce(
        getvariable('case_part_labels')[sc_quarter_slot(d)],
        error('decided_quarter ' || sc_quarter_text(d) || ' is not a partition this run writes'))
    ELSE sc_quarter_text(d)::case_part
END;

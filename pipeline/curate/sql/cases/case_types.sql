-- case_types.sql: sc_case_type, a source's own case-type value (its codes, or Danish labels
-- such as "Lønarbejde") as the catalogue slug that its `case_types:` map names, else the value
-- itself. Go sets case_type_map (source || chr(31) || value -> slug). Without any map the
-- CASE folds to the value, so that curate.sql's cast still runs once per distinct cell.
CREATE OR REPLACE TEMP MACRO sc_case_type(source, value) AS
    CASE WHEN cardinality(getvariable('case_type_map')) = 0 THEN value
    ELSE coalesce(
        map_extract_value(getvariable('case_type_map'), source::VARCHAR || chr(31) || value),
        value)
    END;

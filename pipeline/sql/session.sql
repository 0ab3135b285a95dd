-- session.sql: helpers every stage uses. Dates are local calendar dates in the zone held in
-- the variable `tz`; the session itself runs in UTC so the machine's zone never changes a figure.

-- sc_text: a trimmed cell, NULL when empty.
CREATE OR REPLACE TEMP MACRO sc_text(s) AS nullif(trim(s), '');

-- sc_bool: true/false, 1/0, yes/no, ja/nej in any letter case; NULL for anything else.
CREATE OR REPLACE TEMP MACRO sc_bool(s) AS CASE
    WHEN lower(s) IN ('true', '1', 'yes', 'ja') THEN true
    WHEN lower(s) IN ('false', '0', 'no', 'nej') THEN false
END;

-- sc_local_date: a bare date is already local; a timestamp without offset is local wall time;
-- a timestamp with Z or an offset is an instant, converted to the zone before taking its date.
-- The pattern decides which, because a plain TIMESTAMP cast would silently drop an offset.
CREATE OR REPLACE TEMP MACRO sc_local_date(s) AS CASE
    WHEN regexp_full_match(s, '\d{4}-\d{2}-\d{2}')
        THEN TRY_CAST(s AS DATE)
    WHEN regexp_full_match(s, '\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?')
        THEN CAST(TRY_CAST(s AS TIMESTAMP) AS DATE)
    WHEN regexp_full_match(s, '\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)')
        THEN CAST(timezone(getvariable('tz'), TRY_CAST(s AS TIMESTAMPTZ)) AS DATE)
END;

-- sc_instant: the same three forms as an instant, for ordering updates.
CREATE OR REPLACE TEMP MACRO sc_instant(s) AS CASE
    WHEN regexp_full_match(s, '\d{4}-\d{2}-\d{2}')
        THEN timezone(getvariable('tz'), CAST(TRY_CAST(s AS DATE) AS TIMESTAMP))
    WHEN regexp_full_match(s, '\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?')
        THEN timezone(getvariable('tz'), TRY_CAST(s AS TIMESTAMP))
    WHEN regexp_full_match(s, '\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)')
        THEN TRY_CAST(s AS TIMESTAMPTZ)
END;

-- sc_quarter: the partition of a date in cases and case_results: 2024-Q2, or undecided.
CREATE OR REPLACE TEMP MACRO sc_quarter(d) AS
    coalesce(strftime(d, '%Y') || '-Q' || CAST(quarter(d) AS VARCHAR), 'undecided');

-- sc_in_window: true when a backfill window is set and d falls in it; always true for a run.
CREATE OR REPLACE TEMP MACRO sc_in_window(d) AS
    getvariable('window_from') IS NULL
    OR d BETWEEN getvariable('window_from') AND getvariable('window_to');

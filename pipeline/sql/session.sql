-- session.sql: helpers every stage uses. Dates are local calendar dates in the zone held in
-- the variable `tz`; the session itself runs in UTC so the machine's zone never changes a figure.

-- sc_text: a trimmed cell, NULL when empty.
CREATE OR REPLACE TEMP MACRO sc_text(s) AS nullif(trim(s), '');

-- sc_bool: true/false, 1/0, yes/no, ja/nej in any letter case; NULL for anything else.
CREATE OR REPLACE TEMP MACRO sc_bool(s) AS CASE
    WHEN lower(s) IN ('true', '1', 'yes', 'ja') THEN true
    WHEN lower(s) IN ('false', '0', 'no', 'nej') THEN false
END;

-- sc_stamp: the parts of an ISO date or timestamp, split by one regular expression: the date,
-- the time (empty for a bare date) and the zone (empty for local wall time). NULL when the
-- text is not of that shape.
CREATE OR REPLACE TEMP MACRO sc_stamp(s) AS CASE WHEN s IS NOT NULL THEN
    regexp_extract(s,
        '^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?))?(Z|[+-]\d{2}(?::?\d{2})?)?$',
        ['d', 't', 'z'])
END;

-- sc_local_date: a bare date is already local; a timestamp without offset is local wall time;
-- a timestamp with Z or an offset is an instant, converted to the zone before taking its date.
-- The shape decides which, because a plain TIMESTAMP cast would silently drop an offset.
CREATE OR REPLACE TEMP MACRO sc_stamp_date(s, p) AS CASE
    WHEN p.d = '' THEN NULL
    WHEN p.t = '' AND p.z = '' THEN TRY_CAST(s AS DATE)
    WHEN p.t = '' THEN NULL -- a zone without a time
    WHEN p.z = '' THEN CAST(TRY_CAST(s AS TIMESTAMP) AS DATE)
    ELSE CAST(timezone(getvariable('tz'), TRY_CAST(s AS TIMESTAMPTZ)) AS DATE)
END;
CREATE OR REPLACE TEMP MACRO sc_local_date(s) AS sc_stamp_date(s, sc_stamp(s));

-- sc_instant: the same three forms as an instant, for ordering updates.
CREATE OR REPLACE TEMP MACRO sc_stamp_instant(s, p) AS CASE
    WHEN p.d = '' THEN NULL
    WHEN p.t = '' AND p.z = '' THEN timezone(getvariable('tz'), CAST(TRY_CAST(s AS DATE) AS TIMESTAMP))
    WHEN p.t = '' THEN NULL
    WHEN p.z = '' THEN timezone(getvariable('tz'), TRY_CAST(s AS TIMESTAMP))
    ELSE TRY_CAST(s AS TIMESTAMPTZ)
END;
CREATE OR REPLACE TEMP MACRO sc_instant(s) AS sc_stamp_instant(s, sc_stamp(s));

-- sc_quarter: the partition of a date in cases and case_results: 2024-Q2, or undecided.
CREATE OR REPLACE TEMP MACRO sc_quarter(d) AS
    coalesce(strftime(d, '%Y') || '-Q' || CAST(quarter(d) AS VARCHAR), 'undecided');

-- sc_in_window: true when a backfill window is set and d falls in it; always true for a run.
CREATE OR REPLACE TEMP MACRO sc_in_window(d) AS
    getvariable('window_from') IS NULL
    OR d BETWEEN getvariable('window_from') AND getvariable('window_to');

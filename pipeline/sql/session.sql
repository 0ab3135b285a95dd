-- session.sql: helpers every stage uses. Dates are local calendar dates in the zone held in
-- the variable `tz`; the session itself runs in UTC so the machine's zone never changes a figure.

-- sc_text: a trimmed cell (trim drops Unicode spaces), NULL when empty. Trimming copies every
-- string, so it is done only to a cell that starts or ends with a space or is not all ASCII.
CREATE OR REPLACE TEMP MACRO sc_text(s) AS CASE
    WHEN s = '' THEN NULL
    WHEN starts_with(s, ' ') OR ends_with(s, ' ') OR strlen(s) <> length(s) THEN nullif(trim(s), '')
    ELSE s
END;

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
-- The shape decides which, because a plain TIMESTAMP cast would silently drop an offset. The
-- steps are macros of their own so that curate.sql can compute each once per cell: within a
-- CASE branch DuckDB would compute a repeated argument again at every use.
CREATE OR REPLACE TEMP MACRO sc_stamp_instant_of(s, p) AS CASE
    WHEN p.t <> '' AND p.z <> '' THEN TRY_CAST(s AS TIMESTAMPTZ)
END;
CREATE OR REPLACE TEMP MACRO sc_stamp_date(s, p, i) AS CASE
    WHEN p.d = '' THEN NULL
    WHEN p.t = '' AND p.z = '' THEN TRY_CAST(s AS DATE)
    WHEN p.t = '' THEN NULL -- a zone without a time
    WHEN p.z = '' THEN CAST(TRY_CAST(s AS TIMESTAMP) AS DATE)
    ELSE sc_zone_date(i)
END;
CREATE OR REPLACE TEMP MACRO sc_local_date(s) AS
    sc_stamp_date(s, sc_stamp(s), sc_stamp_instant_of(s, sc_stamp(s)));

-- sc_zone_date: the local date of an instant. From 1970-01-02 to 2100 the zone's UTC offset
-- lies between tz_offset_min_us and tz_offset_max_us (timezone.sql); when both give the same
-- date, that is the date. ICU, many times slower, is asked only for the instants within those
-- hours of local midnight, and for those outside the sampled years.
CREATE OR REPLACE TEMP MACRO sc_zone_date(i) AS CASE
    WHEN epoch_us(i) >= 86400000000 AND epoch_us(i) < 4102444800000000
        AND (epoch_us(i) + getvariable('tz_offset_min_us')) // 86400000000
            = (epoch_us(i) + getvariable('tz_offset_max_us')) // 86400000000
    THEN DATE '1970-01-01' + CAST((epoch_us(i) + getvariable('tz_offset_min_us')) // 86400000000 AS INTEGER)
    ELSE CAST(timezone(getvariable('tz'), i) AS DATE)
END;

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

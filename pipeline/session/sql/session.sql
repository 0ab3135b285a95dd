-- session.sql: helpers every stage uses. Dates are local calendar dates in the zone held in
-- the variable `tz`; the session itself runs in UTC so the machine's zone never changes a figure.

-- sc_text: a trimmed cell (trim drops Unicode spaces), NULL when empty. Trimming copies every
-- string, so it is done only to a cell that starts or ends with a space or is not all ASCII.
CREATE OR REPLACE TEMP MACRO sc_text(s) AS CASE
    WHEN s = '' THEN NULL
    WHEN starts_with(s, ' ') OR ends_with(s, ' ') OR strlen(s) <> length(s) THEN nullif(trim(s), '')
    ELSE s
END;

-- sc_bool: true/false, 1/0, yes/no, ja/nej in any letter case; NULL for anything else. The
-- spelling's place in one list says which (the false ones first, 0 for none): one search and
-- no CASE, whose branches DuckDB evaluates by splitting and sorting the rows (8% of the parse
-- of ten million rows, three booleans each, measured against two IN lists).
CREATE OR REPLACE TEMP MACRO sc_bool(s) AS
    nullif(list_position(['false', '0', 'no', 'nej', 'true', '1', 'yes', 'ja'], lower(s)), 0) > 4;

-- sc_stamp: the parts of an ISO date or timestamp, split by one regular expression: the date,
-- the time (empty for a bare date) and the zone (empty for local wall time; Z, or an offset as
-- +hh:mm, +hhmm or +hh). NULL when the text is not of that shape, or its offset is not one the
-- world uses: from -12:00 to +14:00, minutes 00 to 59. (DuckDB reads any two digits, +99:99 as
-- four days; a stamp with an offset outside that range is bad_date, not an instant a day or
-- more away.) The bound is written twice, in the zone's alternatives here and in the patterns of
-- sc_offset_after, and TestOffsetBound holds both to it: a check on the zone once matched would
-- run the expression again for each use of a part (four times slower on these texts).
CREATE OR REPLACE TEMP MACRO sc_stamp(s) AS CASE WHEN s IS NOT NULL THEN
    regexp_extract(s,
        '^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?))?(Z|[+-](?:0\d|1[01])(?::?[0-5]\d)?|\+1[23](?::?[0-5]\d)?|\+14(?::?00)?|-12(?::?00)?)?$',
        ['d', 't', 'z'])
END;

-- sc_offset_after(s, head): whether s is the GLOB pattern head followed by a UTC offset +hh:mm
-- that the world uses, the bound of sc_stamp. Six patterns, the usual ones first: DuckDB tries
-- each only on the texts the ones before it did not match, so a text in +01:00 costs one GLOB,
-- as the shape check alone did (comparing the offset's digits as text doubled the cost of
-- sc_form_common on ten million stamps).
CREATE OR REPLACE TEMP MACRO sc_offset_after(s, head) AS
    s GLOB (head || '[+]0[0-9]:[0-5][0-9]') OR s GLOB (head || '[-]0[0-9]:[0-5][0-9]')
    OR s GLOB (head || '[+]1[0-3]:[0-5][0-9]') OR s GLOB (head || '[-]1[01]:[0-5][0-9]')
    OR s GLOB (head || '[+]14:00') OR s GLOB (head || '[-]12:00');

-- sc_form: which of the forms of sc_stamp a text has, as a number: 1 a bare date, 2 a date with
-- a zone but no time (rejected), 3 local wall time, 4 an instant (Z or an offset); NULL when it
-- is none. sc_form_common knows the four forms nearly every source writes, by their length and
-- a GLOB or two, several times faster than the regular expression; sc_form asks the expression
-- only for the rest. Two steps, so that curate.sql computes each once per cell (DuckDB evaluates a
-- CASE branch only for the rows that reach it, but a macro argument again at every use).
CREATE OR REPLACE TEMP MACRO sc_form_common(s) AS CASE strlen(s)
    WHEN 10 THEN CASE WHEN s GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' THEN 1 END
    WHEN 19 THEN CASE WHEN s GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][T ][0-9][0-9]:[0-9][0-9]:[0-9][0-9]' THEN 3 END
    WHEN 20 THEN CASE WHEN s GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][T ][0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z' THEN 4 END
    WHEN 25 THEN CASE WHEN sc_offset_after(s, '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][T ][0-9][0-9]:[0-9][0-9]:[0-9][0-9]') THEN 4 END
END;
-- (regexp_extract gives empty parts, not NULL, for a text that does not match)
CREATE OR REPLACE TEMP MACRO sc_form_of(p) AS CASE
    WHEN p.d = '' THEN NULL
    WHEN p.t = '' AND p.z = '' THEN 1
    WHEN p.t = '' THEN 2
    WHEN p.z = '' THEN 3
    ELSE 4
END;
CREATE OR REPLACE TEMP MACRO sc_form(s, common) AS CASE
    WHEN common IS NULL AND s IS NOT NULL THEN sc_form_of(sc_stamp(s))
    ELSE common
END;
-- sc_text_form: the form of a (trimmed) text, whatever its shape.
CREATE OR REPLACE TEMP MACRO sc_text_form(s) AS sc_form(s, sc_form_common(s));
-- sc_raw_text and sc_raw_form: a raw date cell as sc_text reads it, and the form of that text,
-- given raw_common, sc_form_common of the raw cell. A cell of a common form is digits and
-- separators, which sc_text would return as they are, so only the others are trimmed
-- (trimming checks every cell) and their form is taken again from the trimmed text.
CREATE OR REPLACE TEMP MACRO sc_raw_text(raw, raw_common) AS
    CASE WHEN raw_common IS NULL THEN sc_text(raw) ELSE raw END;
CREATE OR REPLACE TEMP MACRO sc_raw_form(s, raw_common) AS
    CASE WHEN raw_common IS NULL THEN sc_text_form(s) ELSE raw_common END;

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

-- sc_local_date: a bare date is already local; a timestamp without offset is local wall time;
-- a timestamp with Z or an offset is an instant, converted to the zone before taking its date.
-- The form decides which, because a plain TIMESTAMP cast would silently drop an offset. The
-- steps are macros of their own so that curate.sql can compute each once per cell.
CREATE OR REPLACE TEMP MACRO sc_form_instant(s, k) AS CASE WHEN k = 4 THEN TRY_CAST(s AS TIMESTAMPTZ) END;
CREATE OR REPLACE TEMP MACRO sc_form_date(s, k, i) AS CASE k
    WHEN 1 THEN TRY_CAST(s AS DATE)
    WHEN 3 THEN CAST(TRY_CAST(s AS TIMESTAMP) AS DATE)
    WHEN 4 THEN sc_zone_date(i)
END;
CREATE OR REPLACE TEMP MACRO sc_local_date(s) AS
    sc_form_date(s, sc_text_form(s), sc_form_instant(s, sc_text_form(s)));

-- sc_instant: the same three forms as an instant, for ordering updates; NULL for any other text.
CREATE OR REPLACE TEMP MACRO sc_form_to_instant(s, k) AS CASE k
    WHEN 1 THEN timezone(getvariable('tz'), CAST(TRY_CAST(s AS DATE) AS TIMESTAMP))
    WHEN 3 THEN timezone(getvariable('tz'), TRY_CAST(s AS TIMESTAMP))
    WHEN 4 THEN TRY_CAST(s AS TIMESTAMPTZ)
END;
CREATE OR REPLACE TEMP MACRO sc_instant(s) AS sc_form_to_instant(s, sc_text_form(s));

-- sc_quarter: the quarter of a date, 2024-Q2 (undecided for none): the partition of a result in
-- case_results, and of a decided case in cases (sc_case_part_text). The labels of 1900 to 2199
-- are built once and looked up: formatting one per row cost half a second of a ten-million-case
-- run.
CREATE OR REPLACE TEMP MACRO sc_quarter_text(d) AS
    coalesce(strftime(d, '%Y') || '-Q' || CAST(quarter(d) AS VARCHAR), 'undecided');
SET VARIABLE quarter_labels = (
    SELECT list(sc_quarter_text(make_date(y::INTEGER, q::INTEGER * 3 - 2, 1)) ORDER BY y, q)
    FROM range(1900, 2200) AS years(y), range(1, 5) AS quarters(q));
-- sc_quarter_listed and sc_quarter_slot: whether a date's quarter is one of quarter_labels,
-- and its place there (case_parts.sql keeps a list in the same places).
CREATE OR REPLACE TEMP MACRO sc_quarter_listed(d) AS year(d) BETWEEN 1900 AND 2199;
CREATE OR REPLACE TEMP MACRO sc_quarter_slot(d) AS (year(d) - 1900) * 4 + quarter(d);
CREATE OR REPLACE TEMP MACRO sc_quarter(d) AS CASE
    WHEN sc_quarter_listed(d) THEN getvariable('quarter_labels')[sc_quarter_slot(d)]
    ELSE sc_quarter_text(d)
END;

-- sc_case_part_text: a case's partition in `cases`: the quarter of its decision, or, while it
-- is open, undecided- and the year it was submitted in (undecided-2024): a day's new
-- submissions then rewrite the open cases of their own year, not the whole backlog
-- (case_parts.sql makes it the enum the cases are written with, sc_case_part).
CREATE OR REPLACE TEMP MACRO sc_case_part_text(decided, submitted) AS CASE
    WHEN decided IS NULL THEN 'undecided-' || strftime(submitted, '%Y')
    ELSE sc_quarter(decided)
END;

-- sc_elapsed: the days from a case's submission to a later local date (its decision, or a
-- period's end while it is open): a difference of local dates, so a DST day is one day (SPEC §2).
CREATE OR REPLACE TEMP MACRO sc_elapsed(submitted_date, until_date) AS until_date - submitted_date;

-- sc_within_target: the service-target rule, written once: "inden for 31 dage" is <= 31 days
-- (SPEC §2). A case decided, or still open, more days after its submission is late.
CREATE OR REPLACE TEMP MACRO sc_within_target(elapsed_days, target_days) AS elapsed_days <= target_days;

-- sc_record_rank: which record of a case wins, written once (curate.sql among a run's rows,
-- merge.sql against the published record): the newest updated_at (an empty one is the oldest;
-- a parsed updated_at is never infinite), then the later extraction, then the later file and
-- row (files are read in sorted order). The greatest rank wins.
CREATE OR REPLACE TEMP MACRO sc_record_rank(updated_at, extracted_at, file_key, row_number) AS
    (coalesce(updated_at, '-infinity'::TIMESTAMPTZ), extracted_at, file_key, row_number);

-- sc_in_window: true when a backfill window is set and d falls in it; always true for a run.
CREATE OR REPLACE TEMP MACRO sc_in_window(d) AS
    getvariable('window_from') IS NULL
    OR d BETWEEN getvariable('window_from') AND getvariable('window_to');

-- sc_number: a number cell (status values and points): a decimal point, or a decimal comma as
-- a Danish spreadsheet writes it (7,5); NULL for anything else, an infinity or NaN included.
CREATE OR REPLACE TEMP MACRO sc_finite(x) AS CASE WHEN isfinite(x) THEN x END;
CREATE OR REPLACE TEMP MACRO sc_number(s) AS sc_finite(TRY_CAST(
    CASE WHEN s GLOB '*,*' AND NOT s GLOB '*.*' THEN replace(s, ',', '.') ELSE s END AS DOUBLE));

-- sc_milestone_status: a milestone as of a date (SPEC §9), written once: done on or before its
-- due date is done, after it done_late; not done, it is open up to and including the due date
-- and overdue from the day after. A done_on after the as-of date is not known yet.
CREATE OR REPLACE TEMP MACRO sc_milestone_status(due, done_on, as_of) AS CASE
    WHEN done_on <= as_of AND done_on <= due THEN 'done'
    WHEN done_on <= as_of THEN 'done_late'
    WHEN as_of <= due THEN 'open'
    ELSE 'overdue'
END;

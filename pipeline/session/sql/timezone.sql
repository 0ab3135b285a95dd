-- timezone.sql: the smallest and the largest UTC offset of the zone in `tz` from 1970 to 2100,
-- for sc_zone_date. Sampled once a week: every offset a zone has had lasted months (for all
-- 638 zones of ICU, the same bounds as sampled once a day, which TestOffsetBoundsOfEveryZone
-- checks; ICU is slow, and this is 40 ms less in every run).
CREATE OR REPLACE TEMP TABLE tz_offsets AS
SELECT min(off) AS lo, max(off) AS hi
FROM (
    SELECT epoch_us(timezone(getvariable('tz'), u)) - epoch_us(u) AS off
    FROM (SELECT range::TIMESTAMPTZ AS u
          FROM range(TIMESTAMP '1970-01-01', TIMESTAMP '2100-01-01', INTERVAL 7 DAY))
);
SET VARIABLE tz_offset_min_us = (SELECT lo FROM tz_offsets);
SET VARIABLE tz_offset_max_us = (SELECT hi FROM tz_offsets);

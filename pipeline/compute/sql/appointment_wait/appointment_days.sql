-- appointment_days.sql: the wait of every weekday an appointment_wait requirement measures
-- (SPEC §9). A site's wait on a day is the calendar days from the day to the next free day in
-- its first snapshot of the day; across sites `earliest` takes the shortest (the next free
-- time anywhere) and `each` the longest (every site must be within), site naming the site that
-- decides (the first by name on a tie). A weekday without a snapshot has no wait and is not met.
CREATE OR REPLACE TEMP TABLE appointment_day_rows AS
WITH first_snapshots AS (
    SELECT snapshot_date AS day, site, wait_days
    FROM appointment_snapshots
    QUALIFY row_number() OVER (PARTITION BY site, snapshot_date ORDER BY snapshot_at) = 1
), days AS (
    SELECT w.plan, w.requirement_id, w.day, w.max_wait_days,
        CASE WHEN w.sites = 'each'
            THEN first(f.site ORDER BY f.wait_days DESC, f.site)
            ELSE first(f.site ORDER BY f.wait_days, f.site)
        END AS site,
        CASE WHEN w.sites = 'each' THEN max(f.wait_days) ELSE min(f.wait_days) END AS wait_days
    FROM wait_weekdays w
    LEFT JOIN first_snapshots f ON f.day = w.day
    GROUP BY w.plan, w.requirement_id, w.day, w.max_wait_days, w.sites
)
SELECT plan, requirement_id, day, site, wait_days,
    coalesce(wait_days <= max_wait_days, false) AS met, getvariable('run_id') AS run_id
FROM days
ORDER BY plan, requirement_id, day;

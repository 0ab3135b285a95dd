-- baseline_regular.sql: baseline.sql for the regular export, from the Parquet copy of what
-- read_csv auto-detected: submitted_on and decided_on are the stamps' local dates (TIMESTAMPTZ
-- cast to DATE in Europe/Copenhagen, added by the copy); the booleans are BOOLEAN (cast, should
-- the sniffer have left them text), an empty complex false.
WITH c AS (
    SELECT case_type,
        CAST(first_time AS BOOLEAN) AS ft,
        coalesce(CAST(complex AS BOOLEAN), false) AS cx,
        decided_on - submitted_on AS days,
        decided_on AS decided
    FROM read_parquet({parquet})
)
SELECT {shares}
FROM c
WHERE year(decided) = {year}

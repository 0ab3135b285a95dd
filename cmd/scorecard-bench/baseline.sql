-- baseline.sql: every target's share within target for one plan's year, from the Parquet copy
-- of the CSV: dates are the first ten characters, booleans a few spellings. The shares are one
-- conditional aggregate per target, built from the plan.
WITH c AS (
    SELECT case_type,
        lower(first_time) IN ('true', '1', 'ja', 'yes') AS ft,
        lower(coalesce(complex, '')) IN ('true', '1', 'ja', 'yes') AS cx,
        TRY_CAST(decided_at[1:10] AS DATE) - TRY_CAST(submitted_at[1:10] AS DATE) AS days,
        TRY_CAST(decided_at[1:10] AS DATE) AS decided
    FROM read_parquet({parquet})
)
SELECT {shares}
FROM c
WHERE year(decided) = {year}

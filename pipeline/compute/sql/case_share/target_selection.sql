-- target_selection.sql: which cases each target selects, as tables that case_results.sql,
-- at_risk.sql and forecast_inputs.sql join the cases with.
-- target_keys: a number for each target, which the millions of selected rows hold in place of
-- its plan and id (half the width of a row, written and read several times); and the plan and
-- id as enums, which the case results are written with: the Parquet writer takes an enum's
-- dictionary as it is, where it would hash a string on every row (0.1 s at 10M).
-- An enum needs a value: plans without service targets (all of whose requirements are of other
-- kinds) give target_name a '' that no row holds.
DROP TYPE IF EXISTS plan_name;
CREATE TYPE plan_name AS ENUM (SELECT DISTINCT plan FROM requirements ORDER BY plan);
DROP TYPE IF EXISTS target_name;
CREATE TYPE target_name AS ENUM (
    SELECT DISTINCT target_id FROM targets
    UNION ALL SELECT '' WHERE NOT EXISTS (SELECT 1 FROM targets)
    ORDER BY 1);
-- (Also each target's days and plan year, which the selected rows need not hold each.)
CREATE OR REPLACE TEMP TABLE target_keys AS
SELECT row_number() OVER (ORDER BY plan, target_id)::INTEGER AS tkey, plan, target_id,
    plan::plan_name AS plan_e, target_id::target_name AS target_e,
    target_days, year_start, year_end
FROM targets;

-- target_types: each target's case types, with the first_time and complex values it takes
-- (both, when it does not say), so that selecting is a join on equality, not a test of every
-- case against every target. A case's first_time is never NULL (it is required) nor its
-- complex (it defaults to false).
CREATE OR REPLACE TEMP TABLE target_types AS
SELECT k.tkey, t.plan, t.target_id, ct.slug AS case_type, ft.v AS first_time, cx.v AS complex
FROM targets t
JOIN target_keys k ON k.plan = t.plan AND k.target_id = t.target_id
JOIN case_types ct
    ON (t.area IS NULL OR ct.area = t.area)
    AND (t.case_types IS NULL OR list_contains(t.case_types, ct.slug))
JOIN (VALUES (true), (false)) ft(v) ON t.first_time IS NULL OR ft.v = t.first_time
JOIN (VALUES (true), (false)) cx(v) ON t.complex IS NULL OR cx.v = t.complex;


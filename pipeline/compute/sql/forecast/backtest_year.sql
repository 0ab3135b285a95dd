-- backtest_year.sql: whether the year in $1 can be backtested (backtest.go): the newest as-of
-- date of the lake's successful runs, which the year must be over by, and the cases with a
-- service target decided in it.
SELECT
    (SELECT max(as_of) FROM runs WHERE status = 'succeeded') AS newest_as_of,
    (SELECT count(*) FROM cases
        WHERE has_service_target
            AND decided_date BETWEEN make_date($1::INTEGER, 1, 1) AND make_date($1::INTEGER, 12, 31)) AS decided

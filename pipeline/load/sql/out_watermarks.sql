-- out_watermarks.sql: the watermarks, published with the version so they advance only when a
-- run publishes.
SELECT * FROM watermarks ORDER BY source

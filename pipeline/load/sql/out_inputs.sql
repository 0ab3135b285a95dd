-- out_inputs.sql: the fingerprint of what the published figures were computed with besides the
-- landed rows (quiet.go: the as-of date, rules, plans, config and software version), and the
-- run that computed them. A run with nothing new and the same fingerprint keeps them.
SELECT getvariable('inputs_fingerprint')::VARCHAR AS inputs_sha256, getvariable('run_id') AS run_id

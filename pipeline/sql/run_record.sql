-- run_record.sql: the run manifest row, typed from the JSON that Go hands over as $1.
SELECT unnest(json_transform(CAST($1 AS JSON), '{
    "run_id": "VARCHAR",
    "command": "VARCHAR",
    "mode": "VARCHAR",
    "backfill_window": "VARCHAR",
    "as_of": "DATE",
    "started_at": "TIMESTAMPTZ",
    "ended_at": "TIMESTAMPTZ",
    "status": "VARCHAR",
    "error": "VARCHAR",
    "version": "VARCHAR",
    "timezone": "VARCHAR",
    "plans": [{"plan": "VARCHAR", "source": "VARCHAR", "sha256": "VARCHAR"}],
    "rules_sha256": "VARCHAR",
    "sources": [{"source": "VARCHAR", "kind": "VARCHAR", "files_landed": "BIGINT",
                 "rows_read": "BIGINT", "rows_quarantined": "BIGINT", "rows_written": "BIGINT"}],
    "quarantine": [{"reason": "VARCHAR", "rows": "BIGINT"}],
    "outputs": [{"path": "VARCHAR", "rows": "BIGINT", "sha256": "VARCHAR"}],
    "restatements": "BIGINT",
    "loaders": [{"name": "VARCHAR", "status": "VARCHAR", "error": "VARCHAR"}]
}'))

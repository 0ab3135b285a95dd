// Package session opens the DuckDB a run, a query or a backtest works in: the engine with the
// config's threads and memory limit, the macros every step uses (sql/session.sql) and the time
// zone local dates are taken in (sql/timezone.sql).
package session

import (
	"context"
	"embed"

	"scorecard/pipeline/config"
	"scorecard/pipeline/engine"
)

//go:embed sql
var sqlFiles embed.FS

// Open opens the engine with the config's threads and memory limit, the session's macros
// made, and the .sql files of the steps it runs besides (each stage's SQL); tempDir is where
// it may spill ("" none).
func Open(ctx context.Context, d config.DuckDBConfig, tempDir string, steps ...engine.Files) (*engine.Engine, error) {
	files := append([]engine.Files{{Dir: "pipeline/session", FS: sqlFiles}}, steps...)
	e, err := engine.Open(ctx, d.Threads, d.MemoryLimit, tempDir, files...)
	if err != nil {
		return nil, err
	}
	if err := e.RunFile(ctx, "session.sql"); err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

// SetTimeZone sets the zone local dates are taken in, with the range of its UTC offsets.
func SetTimeZone(ctx context.Context, e *engine.Engine, tz string) error {
	if err := e.SetVariable(ctx, "tz", engine.Quote(tz)); err != nil {
		return err
	}
	return e.RunFile(ctx, "timezone.sql")
}

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
// made (Macros), and the .sql files of the steps it runs besides (each stage's SQL); tempDir is
// where it may spill ("" none).
func Open(ctx context.Context, d config.DuckDBConfig, tempDir string, steps ...engine.Files) (*engine.Engine, error) {
	e, err := OpenWithoutMacros(ctx, d, tempDir, steps...)
	if err != nil {
		return nil, err
	}
	if err := Macros(ctx, e); err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

// OpenWithoutMacros opens the engine as Open does, but leaves the macros to Macros: a run
// makes them once it has something to curate, so that a run with nothing new to land (which
// keeps the published version) does not make them for nothing (25 to 33 ms, a tenth of it).
func OpenWithoutMacros(ctx context.Context, d config.DuckDBConfig, tempDir string, steps ...engine.Files) (*engine.Engine, error) {
	files := append([]engine.Files{{Dir: "pipeline/session", FS: sqlFiles}}, steps...)
	return engine.Open(ctx, d.Threads, d.MemoryLimit, tempDir, files...)
}

// Macros makes the macros the steps use (sql/session.sql).
func Macros(ctx context.Context, e *engine.Engine) error { return e.RunFile(ctx, "session.sql") }

// SetTimeZone sets the zone local dates are taken in, with the range of its UTC offsets.
func SetTimeZone(ctx context.Context, e *engine.Engine, tz string) error {
	if err := SetZone(ctx, e, tz); err != nil {
		return err
	}
	return ZoneOffsets(ctx, e)
}

// SetZone sets the zone local dates are taken in, without the range of its UTC offsets that
// sc_zone_date needs (ZoneOffsets): a run makes that range along with the macros, once it has
// something to curate (8 to 14 ms of a run with nothing new).
func SetZone(ctx context.Context, e *engine.Engine, tz string) error {
	return e.SetVariable(ctx, "tz", engine.Quote(tz))
}

// ZoneOffsets finds the range of UTC offsets of the zone SetZone set (sql/timezone.sql).
func ZoneOffsets(ctx context.Context, e *engine.Engine) error { return e.RunFile(ctx, "timezone.sql") }

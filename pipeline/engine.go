package pipeline

import (
	"context"
	"embed"

	"scorecard/pipeline/engine"
)

// sqlFiles are the stages' SQL, one file per step, run on the run's engine.
//
//go:embed sql/*.sql
var sqlFiles embed.FS

// openEngine opens the DuckDB a run or a query works in, with the config's threads and memory
// limit and the macros every step uses (session.sql); tempDir is where it may spill.
func openEngine(ctx context.Context, d DuckDBConfig, tempDir string) (*engine.Engine, error) {
	e, err := engine.Open(ctx, d.Threads, d.MemoryLimit, tempDir, sqlFiles)
	if err != nil {
		return nil, err
	}
	if err := e.RunFile(ctx, "session.sql"); err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

// setTimeZone sets the zone local dates are taken in, with the range of its UTC offsets.
func setTimeZone(ctx context.Context, e *engine.Engine, tz string) error {
	if err := e.SetVariable(ctx, "tz", engine.Quote(tz)); err != nil {
		return err
	}
	return e.RunFile(ctx, "timezone.sql")
}

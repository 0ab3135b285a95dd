package pipeline

import (
	"context"
	"embed"

	"scorecard/pipeline/engine"
)

// sqlFiles are the stages' SQL, one file per step, in a folder per stage: sql/stage (the
// landed files' state and watermarks), sql/curate/<dataset> (cases, status, appointments),
// sql/compute/<kind> (case_share, appointment_wait, milestones, the requirements, at_risk,
// forecast), sql/load (what a version is written from) and sql/outputs (what the loaders
// read), beside the macros every step uses (session.sql, timezone.sql) and the lake's views
// (views.sql). The engine finds a file by its name, which is unique.
//
//go:embed sql
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

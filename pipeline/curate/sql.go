package curate

import (
	"embed"

	"scorecard/pipeline/engine"
)

//go:embed sql
var sqlFiles embed.FS

// SQL are the package's .sql files: a folder per dataset (cases, status, appointments) and the counts of the run.
var SQL = engine.Files{Dir: "pipeline/curate", FS: sqlFiles}

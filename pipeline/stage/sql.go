package stage

import (
	"embed"

	"scorecard/pipeline/engine"
)

//go:embed sql
var sqlFiles embed.FS

// SQL are the package's .sql files: the landed files' state and the watermarks.
var SQL = engine.Files{Dir: "pipeline/stage", FS: sqlFiles}

package loaders

import (
	"embed"

	"scorecard/pipeline/engine"
)

//go:embed sql
var sqlFiles embed.FS

// SQL are the package's .sql files: what the outputs read from the published lake's views.
var SQL = engine.Files{Dir: "pipeline/loaders", FS: sqlFiles}

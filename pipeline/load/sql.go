package load

import (
	"embed"

	"scorecard/pipeline/engine"
)

//go:embed sql
var sqlFiles embed.FS

// SQL are the package's .sql files: one out_<table>.sql per table a version is written from, and the partitions it replaces.
var SQL = engine.Files{Dir: "pipeline/load", FS: sqlFiles}

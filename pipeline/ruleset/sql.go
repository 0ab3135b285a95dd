package ruleset

import (
	"embed"

	"scorecard/pipeline/engine"
)

//go:embed sql
var sqlFiles embed.FS

// SQL are the package's .sql files: the rules tables (rules_tables.sql).
var SQL = engine.Files{Dir: "pipeline/ruleset", FS: sqlFiles}

package compute

import (
	"embed"

	"scorecard/pipeline/engine"
)

//go:embed sql
var sqlFiles embed.FS

// SQL are the package's .sql files: a folder per requirement kind (case_share, appointment_wait, milestones, requirements) and for at_risk and forecast, beside the compute scope.
var SQL = engine.Files{Dir: "pipeline/compute", FS: sqlFiles}

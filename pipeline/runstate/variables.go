package runstate

// sessionVariables are the DuckDB session variables the stages hand each other, declared in one
// place: what each holds and which step sets it (Go's setVariable, or a SET in the named SQL
// file). The SQL reads them with getvariable; TestSessionVariablesDeclared holds
// every name the code sets or reads to this list, and this list to the code.
var sessionVariables = map[string]string{
	// The run (run.go setVariables), for every step.
	"run_date":           "run.go: the run's local date, the bound of future_date",
	"as_of":              "run.go: --as-of; decisions after it count as pending",
	"at_risk_days":       "run.go: at_risk_days of the config (at_risk.sql)",
	"run_id":             "run.go: this run's id, written into every row it makes",
	"computed_at":        "run.go: the run's start, the scorecard's computed_at",
	"sources":            "run.go: the configured sources' names",
	"window_from":        "run.go: a backfill's first day (NULL for a run)",
	"window_to":          "run.go: a backfill's last day (NULL for a run)",
	"inputs_fingerprint": "run.go: the inputs fingerprint (quiet.go; NULL in a backfill), kept in the state",
	"tz":                 "session.go SetZone: the zone local dates are taken in",
	// timezone.sql, for sc_zone_date.
	"tz_offset_min_us": "timezone.sql: the zone's smallest UTC offset, microseconds",
	"tz_offset_max_us": "timezone.sql: the zone's largest UTC offset, microseconds",
	// The published version, as the run found it.
	"lake":                  "query.go, loaders/loaders.go: the lake folder the views read",
	"previous_runs":         "run.go readPublishedRun: the published run files",
	"previous_state":        "quiet.go keptRun: the published state folder",
	"previous_cases":        "curate.go mergeCases: the published cases files",
	"previous_scorecard":    "compute.go loadPreviousOutputs: the published scorecard files",
	"previous_results":      "compute.go loadPreviousOutputs: the published case_results files",
	"previous_status":       "registers.go curateRegister: the published status register's file",
	"previous_appointments": "registers.go curateRegister: the published appointment snapshots' file",
	// Stage and curate.
	"rebuilt_sources":     "stage.go stage: the sources whose cases are replaced whole",
	"landed_time_sources": "curate.go setLandedTimes: the landed sources, in order",
	"landed_times":        "curate.go setLandedTimes: their extraction times",
	"landed_extracted":    "curate.sql: the extraction time per landed source's number",
	"case_type_map":       "curate.go setCaseTypeMap: the sources' case_types: maps",
	"slug_areas":          "curate.sql: each case type's area, by the type's number",
	"parsed_file":         "large.go parse: the Parquet file of parsed rows of a large run",
	// Merge.
	"previous_cases_count": "curate.go caseFileBounds (the published files' rows), previous_rebuilt.sql: the rows of previous_cases",
	"unmatched_files":      "merge.sql: the published cases files no id of this run's rows lies within",
	"match_parts":          "merge.sql: the cases partitions holding published records of this run's cases",
	"cases_count":          "merge.sql, merge_first.sql: the cases of the new version",
	"quarter_labels":       "session.sql: the labels of the cases partitions by quarter",
	"case_part_labels":     "case_parts.sql: every cases partition label",
	"touched_parts":        "touched_parts.sql: the cases partitions this run rewrites",
	// Compute.
	"rules_changed":        "compute.go compute: the rules differ from the published ones",
	"full_compute":         "compute_scope.sql: every period is recomputed",
	"scoped":               "compute.go compute: a nightly run recomputing some periods",
	"compute_from":         "case_results.sql: the first day of the computed plans' years",
	"compute_to":           "case_results.sql: the last day of the computed plans' years",
	"parts_before_compute": "case_results.sql: the cases partitions before compute_from",
	"recomputed_quarters":  "restatements.sql: the quarters whose results were recomputed",
	"published_years":      "compute_scope.sql: the published year rows of years that are over",
	"forecast_years":       "scorecard.sql: the year rows the forecast of a year over reads",
	"forecast_reads_cases": "scorecard.sql: whether a forecast is counted from the cases",
	"at_risk_years":        "at_risk.sql: whether a plan's year holds the as-of date",
	"part_a":               "load.go writeParts: the partition written one by one (first key)",
	"part_b":               "load.go writeParts: its second key ('' for one-key tables)",
	"written_files":        "load.go fileRows: the files a partitioned write left, for file_rows.sql",
}

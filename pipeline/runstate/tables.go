package runstate

// handedTables are the DuckDB temp tables one stage makes and a later stage reads, declared in
// one place beside the session variables: which package's SQL makes each, what it holds, and
// who reads it. TestHandedTablesDeclared holds every temp table one package's SQL reads from
// another's to this list, and this list to the SQL. Each stage's other temp tables are its own.
var handedTables = map[string]string{
	// The rules (ruleset, rules_tables.sql), for curation, compute and load.
	"case_types":      "ruleset: the catalogue; curate types cases with it, compute selects",
	"targets":         "ruleset: every case-share target of the plans; compute",
	"ladder":          "ruleset: the targets' point ladders; compute",
	"periods":         "ruleset: the periods this run computes; compute narrows them, load writes them",
	"result_quarters": "ruleset: the quarters of case_results this run computes; compute, load",
	"requirements":    "ruleset: every requirement of the plans; curate judges status rows by it, compute",
	"milestone_items": "ruleset: the milestones requirements' items; compute",
	// Stage.
	"landed_files": "stage: the landed files' state of the new version; load writes it",
	"watermarks":   "stage: the SQL sources' watermarks; curate advances them, load writes them",
	// Curate.
	"quarantine":            "curate: the rejected rows of every dataset; load",
	"cases":                 "curate: the cases of the new version; compute",
	"changed":               "curate: the cases new or changed in this run; compute scopes the periods with it",
	"replaced":              "curate: the published records of the changed cases; compute scopes with them",
	"cases_to_write":        "curate: the cases of the partitions this run rewrites; load",
	"touched_case_parts":    "curate: the cases partitions this run rewrites; load",
	"removed_cases":         "curate: the published cases this run removes; load",
	"status_register":       "curate: the status register of the new version; compute, load",
	"appointment_snapshots": "curate: the appointment snapshots of the new version; compute, load",
	// Compute.
	"case_results":         "compute: the result of every selected case in the computed quarters; load",
	"scorecard":            "compute: the case-share scorecard rows of the computed periods; load",
	"restatements":         "compute: published scorecard rows this run changes; load",
	"at_risk":              "compute: the open cases at risk as of the as-of date; load",
	"milestone_status":     "compute: every milestone judged as of the as-of date; load",
	"appointment_day_rows": "compute: the wait of every measured weekday; load",
	"requirement_rows":     "compute: the contract scorecard, every requirement and period; load",
	"forecast":             "compute: the forecast of every requirement; load",
}

package pipeline

import "path/filepath"

// The lake's tables, declared once: their partition keys, how a run writes them and what a new
// version keeps of the published one. load (publish.go), keepPrevious, the views (views.sql,
// checked against this list by TestViewsFollowTheTables) and the reports read it.

// keepRule says which files of a table a new version keeps from the published one.
type keepRule int

const (
	// keepNone: the run writes the table whole (forecast, at_risk, the registers, milestones,
	// appointment_days, requirements, state).
	keepNone keepRule = iota
	// keepHistory: every earlier run's partitions stay (quarantine, restatements, runs...).
	keepHistory
	// keepRetained: the raw landings of runs within raw_retention_days.
	keepRetained
	// keepUnwritten: the partitions this run did not rewrite (cases).
	keepUnwritten
	// keepUncomputed: in a backfill or a nightly run that recomputes only some periods, the
	// partitions it did not compute, of the plans still configured (results, scorecard).
	keepUncomputed
)

// tableFile is a file a run writes whole: its query, and its folder under the table ("" for
// the table's own folder; runIDKey for run_id=<this run>).
type tableFile struct{ sql, dir string }

const runIDKey = "run_id"

// lakeTable is one table of a version.
type lakeTable struct {
	name string
	// keys are the Hive partition keys of its folders, in path order; a run_id key is the
	// run that wrote the partition.
	keys []string
	keep keepRule
	// partitioned: written with one partitioned COPY of out_<name>.sql by keys.
	partitioned bool
	// files are written whole by every run.
	files []tableFile
}

// lakeTables are the tables in the order a run builds them. Raw is landed by the stage, the
// quarantine's partitions and the empty result quarters are written one by one (parts.sql),
// and runs holds one file per run (writeRunRecord).
var lakeTables = []lakeTable{
	{name: TableRaw, keys: []string{"source", runIDKey}, keep: keepRetained},
	{name: TableCases, keys: []string{"decided_quarter"}, keep: keepUnwritten, partitioned: true},
	{name: TableQuarantine, keys: []string{"source", runIDKey}, keep: keepHistory},
	{name: TableCaseResults, keys: []string{"plan", "quarter"}, keep: keepUncomputed, partitioned: true},
	{name: TableScorecard, keys: []string{"plan", "period_group"}, keep: keepUncomputed, partitioned: true},
	{name: TableRestatements, keys: []string{runIDKey}, keep: keepHistory,
		files: []tableFile{{"out_restatements.sql", runIDKey}}},
	{name: TableRemovedCases, keys: []string{runIDKey}, keep: keepHistory,
		files: []tableFile{{"out_removed_cases.sql", runIDKey}}},
	{name: TableForecast, keep: keepNone, files: []tableFile{{"out_forecast.sql", ""}}},
	{name: TableAtRisk, keep: keepNone, files: []tableFile{{"out_at_risk.sql", ""}}},
	// The registers (SPEC §9) are small: every run writes them whole, merged (registers.go).
	{name: TableStatus, keep: keepNone, files: []tableFile{{"out_status.sql", ""}}},
	{name: TableAppointments, keep: keepNone, files: []tableFile{{"out_appointments.sql", ""}}},
	{name: TableMilestones, keep: keepNone, files: []tableFile{{"out_milestones.sql", ""}}},
	// The weekdays' waits and the contract scorecard (requirements.go), whole.
	{name: TableAppointmentDays, keep: keepNone, files: []tableFile{{"out_appointment_days.sql", ""}}},
	{name: TableRequirements, keep: keepNone, files: []tableFile{{"out_requirements.sql", ""}}},
	{name: TableState, keep: keepNone, files: []tableFile{{"out_state.sql", "landed_files"}, {"out_watermarks.sql", "watermarks"}}},
	{name: TableRuns, keep: keepHistory},
}

// Tables are the names of every table of a version, in the order they are built.
var Tables = func() []string {
	names := make([]string, len(lakeTables))
	for i, t := range lakeTables {
		names[i] = t.name
	}
	return names
}()

// tableNamed returns the declaration of a table.
func tableNamed(name string) lakeTable {
	for _, t := range lakeTables {
		if t.name == name {
			return t
		}
	}
	panic("pipeline: no lake table " + name)
}

// partRel is the file of one partition of a table, its key values in order; a run_id key
// takes the run's id.
func (t lakeTable) partRel(runID string, values ...string) string {
	parts := []string{t.name}
	for _, k := range t.keys {
		v := runID
		if k != runIDKey {
			v, values = values[0], values[1:]
		}
		parts = append(parts, k+"="+v)
	}
	return filepath.Join(append(parts, partitionFile)...)
}

// fileRel is where a file the run writes whole goes.
func (t lakeTable) fileRel(f tableFile, runID string) string {
	dir := f.dir
	if dir == runIDKey {
		dir = runIDKey + "=" + runID
	}
	return filepath.Join(t.name, dir, partitionFile)
}

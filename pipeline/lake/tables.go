package lake

import "path/filepath"

// The lake's tables, declared once: their partition keys, how a run writes them and what a new
// version keeps of the published one. load (pipeline/load), keepPrevious, the views (views.sql,
// checked against this list by TestViewsFollowTheTables) and the reports read it.

// KeepRule says which files of a table a new version keeps from the published one.
type KeepRule int

const (
	// KeepNone: the run writes the table whole (forecast, at_risk, the registers, milestones,
	// appointment_days, requirements, state).
	KeepNone KeepRule = iota
	// KeepHistory: every earlier run's partitions stay (quarantine, restatements, runs...).
	KeepHistory
	// KeepRetained: the raw landings of runs within raw_retention_days.
	KeepRetained
	// KeepUnwritten: the partitions this run did not rewrite (cases).
	KeepUnwritten
	// KeepUncomputed: in a backfill or a nightly run that recomputes only some periods, the
	// partitions it did not compute, of the plans still configured (results, scorecard).
	KeepUncomputed
)

// TableFile is a file a run writes whole: its query, and its folder under the table ("" for
// the table's own folder; RunIDKey for run_id=<this run>).
type TableFile struct{ SQL, Dir string }

// RunIDKey is the partition key naming the run that wrote a partition.
const RunIDKey = "run_id"

// Spec is one table of a version.
type Spec struct {
	Name string
	// Keys are the Hive partition keys of its folders, in path order; a run_id key is the
	// run that wrote the partition.
	Keys []string
	Keep KeepRule
	// Partitioned: written with one partitioned COPY of out_<name>.sql by keys.
	Partitioned bool
	// DictionaryLimit, when not 0, is the Parquet dictionary limit of that COPY in place of
	// engine.ParquetWriteOptions' 4096 (load.go writePartitioned).
	DictionaryLimit int
	// Files are written whole by every run.
	Files []TableFile
}

// Specs are the tables in the order a run builds them. Raw is landed by the stage, the
// quarantine's partitions and the empty result quarters are written one by one (parts.sql),
// and runs holds one file per run (WriteRunRecord).
var Specs = []Spec{
	{Name: TableRaw, Keys: []string{"source", RunIDKey}, Keep: KeepRetained},
	// The cases' texts (ids, date texts) never keep a dictionary, and their dates are
	// delta-encoded as small: giving a dictionary up after 16 values rather than 4096 wrote
	// the cases of the 10M regular export 5% faster (4.17 against 4.38 s, medians of three),
	// the files as large, and those of the 1M mixed history 3% smaller.
	{Name: TableCases, Keys: []string{"decided_quarter"}, Keep: KeepUnwritten, Partitioned: true,
		DictionaryLimit: 16},
	{Name: TableQuarantine, Keys: []string{"source", RunIDKey}, Keep: KeepHistory},
	{Name: TableCaseResults, Keys: []string{"plan", "quarter"}, Keep: KeepUncomputed, Partitioned: true},
	{Name: TableScorecard, Keys: []string{"plan", "period_group"}, Keep: KeepUncomputed, Partitioned: true},
	{Name: TableRestatements, Keys: []string{RunIDKey}, Keep: KeepHistory,
		Files: []TableFile{{"out_restatements.sql", RunIDKey}}},
	{Name: TableRemovedCases, Keys: []string{RunIDKey}, Keep: KeepHistory,
		Files: []TableFile{{"out_removed_cases.sql", RunIDKey}}},
	{Name: TableForecast, Keep: KeepNone, Files: []TableFile{{"out_forecast.sql", ""}}},
	{Name: TableAtRisk, Keep: KeepNone, Files: []TableFile{{"out_at_risk.sql", ""}}},
	// The registers (SPEC §9) are small: every run writes them whole, merged (registers.go).
	{Name: TableStatus, Keep: KeepNone, Files: []TableFile{{"out_status.sql", ""}}},
	{Name: TableAppointments, Keep: KeepNone, Files: []TableFile{{"out_appointments.sql", ""}}},
	{Name: TableMilestones, Keep: KeepNone, Files: []TableFile{{"out_milestones.sql", ""}}},
	// The weekdays' waits and the contract scorecard (requirements.go), whole.
	{Name: TableAppointmentDays, Keep: KeepNone, Files: []TableFile{{"out_appointment_days.sql", ""}}},
	{Name: TableRequirements, Keep: KeepNone, Files: []TableFile{{"out_requirements.sql", ""}}},
	{Name: TableState, Keep: KeepNone, Files: []TableFile{{"out_state.sql", "landed_files"}, {"out_watermarks.sql", "watermarks"}, {"out_inputs.sql", "inputs"}}},
	{Name: TableRuns, Keep: KeepHistory},
}

// Tables are the names of every table of a version, in the order they are built.
var Tables = func() []string {
	names := make([]string, len(Specs))
	for i, t := range Specs {
		names[i] = t.Name
	}
	return names
}()

// TableNamed returns the declaration of a table.
func TableNamed(name string) Spec {
	for _, t := range Specs {
		if t.Name == name {
			return t
		}
	}
	panic("pipeline: no lake table " + name)
}

// PartRel is the file of one partition of a table, its key values in order; a run_id key
// takes the run's id.
func (t Spec) PartRel(runID string, values ...string) string {
	parts := []string{t.Name}
	for _, k := range t.Keys {
		v := runID
		if k != RunIDKey {
			v, values = values[0], values[1:]
		}
		parts = append(parts, k+"="+v)
	}
	return filepath.Join(append(parts, PartitionFile)...)
}

// FileRel is where a file the run writes whole goes.
func (t Spec) FileRel(f TableFile, runID string) string {
	dir := f.Dir
	if dir == RunIDKey {
		dir = RunIDKey + "=" + runID
	}
	return filepath.Join(t.Name, dir, PartitionFile)
}

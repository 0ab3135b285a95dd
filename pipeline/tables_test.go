package pipeline

import (
	"slices"
	"strings"
	"testing"
)

// TestViewsFollowTheTables: each view of views.sql reads its table's files at the depth of the
// table's partition keys (tables.go), and every table but the raw landing and the state has a
// view.
func TestViewsFollowTheTables(t *testing.T) {
	text, err := sqlFiles.ReadFile("sql/views.sql")
	if err != nil {
		t.Fatal(err)
	}
	var viewed []string
	for _, line := range strings.Split(string(text), "\n") {
		head, ok := strings.CutPrefix(line, "-- view: ")
		if !ok || strings.HasPrefix(head, "NAME") {
			continue
		}
		name, glob, _ := strings.Cut(head, " ")
		table := tableNamed(name)
		if want := name + strings.Repeat("/*", len(table.keys)) + "/*.parquet"; glob != want {
			t.Errorf("view %s reads %s, want %s (keys %v)", name, glob, want, table.keys)
		}
		viewed = append(viewed, name)
	}
	var want []string
	for _, table := range Tables {
		if table != TableRaw && table != TableState {
			want = append(want, table)
		}
	}
	slices.Sort(viewed)
	slices.Sort(want)
	if !slices.Equal(viewed, want) {
		t.Errorf("views %v, want one per table %v", viewed, want)
	}
}

// TestPartitionPaths: the file of a partition, a run's own files and the table order.
func TestPartitionPaths(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{outPart{Table: TableQuarantine, A: "export"}.rel("R1"), "quarantine/source=export/run_id=R1/data.parquet"},
		{outPart{Table: TableCaseResults, A: "2024", B: "2024-Q2"}.rel("R1"), "case_results/plan=2024/quarter=2024-Q2/data.parquet"},
		{tableNamed(TableRestatements).fileRel(tableNamed(TableRestatements).files[0], "R1"), "restatements/run_id=R1/data.parquet"},
		{tableNamed(TableForecast).fileRel(tableNamed(TableForecast).files[0], "R1"), "forecast/data.parquet"},
		{tableNamed(TableState).fileRel(tableNamed(TableState).files[1], "R1"), "state/watermarks/data.parquet"},
		{strings.Join(Tables, " "), "raw cases quarantine case_results scorecard restatements removed_cases forecast at_risk status appointments milestones appointment_days requirements state runs"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %s, want %s", tt.got, tt.want)
		}
	}
}

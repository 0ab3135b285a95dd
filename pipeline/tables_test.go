package pipeline

import (
	"slices"
	"strings"
	"testing"

	"scorecard/pipeline/lake"
)

// TestViewsFollowTheTables: each view of views.sql reads its table's files at the depth of the
// table's partition keys (lake/tables.go), and every table but the raw landing and the state has a
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
		table := lake.TableNamed(name)
		if want := name + strings.Repeat("/*", len(table.Keys)) + "/*.parquet"; glob != want {
			t.Errorf("view %s reads %s, want %s (keys %v)", name, glob, want, table.Keys)
		}
		viewed = append(viewed, name)
	}
	var want []string
	for _, table := range lake.Tables {
		if table != lake.TableRaw && table != lake.TableState {
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
		{outPart{Table: lake.TableQuarantine, A: "export"}.rel("R1"), "quarantine/source=export/run_id=R1/data.parquet"},
		{outPart{Table: lake.TableCaseResults, A: "2024", B: "2024-Q2"}.rel("R1"), "case_results/plan=2024/quarter=2024-Q2/data.parquet"},
		{lake.TableNamed(lake.TableRestatements).FileRel(lake.TableNamed(lake.TableRestatements).Files[0], "R1"), "restatements/run_id=R1/data.parquet"},
		{lake.TableNamed(lake.TableForecast).FileRel(lake.TableNamed(lake.TableForecast).Files[0], "R1"), "forecast/data.parquet"},
		{lake.TableNamed(lake.TableState).FileRel(lake.TableNamed(lake.TableState).Files[1], "R1"), "state/watermarks/data.parquet"},
		{strings.Join(lake.Tables, " "), "raw cases quarantine case_results scorecard restatements removed_cases forecast at_risk status appointments milestones appointment_days requirements state runs"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %s, want %s", tt.got, tt.want)
		}
	}
}

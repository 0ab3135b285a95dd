package load

import (
	"strings"
	"testing"

	"scorecard/pipeline/lake"
)

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

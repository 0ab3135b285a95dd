package pipeline

import (
	"fmt"
	"testing"
)

// TestCaseTypeMap: a source's case_types map turns the export's own values (a Danish label, a
// code; after trimming) into catalogue slugs; a slug still reads as itself; a value neither
// mapped nor a slug is unknown_case_type with its raw cell; another source's map does not
// apply. Before the map, every such row was quarantined as unknown_case_type.
func TestCaseTypeMap(t *testing.T) {
	body := `plans: [2024]
sources:
  - name: export
    kind: csv
    path: export.csv
    case_types: {"Lønarbejde": loenarbejde, "FT": fasttrack}
  - name: other
    kind: csv
    path: other.csv
`
	f := newFixture(t, body, map[string]string{
		"export.csv": caseHeader + dedent(`
			E1,Lønarbejde,ja,nej,,2024-03-01,2024-03-05,
			E2, FT ,ja,,,2024-03-01,2024-03-05,
			E3,fasttrack,ja,,,2024-03-01,2024-03-05,
			E4,Ukendt,ja,,,2024-03-01,2024-03-05,
		`),
		"other.csv": caseHeader + "O1,FT,ja,,,2024-03-01,2024-03-05,\n",
	})
	f.run("2024-12-31")
	got := f.query("SELECT source, case_id, case_type, area FROM cases ORDER BY source, case_id")
	want := "[map[area:erhverv case_id:E1 case_type:loenarbejde source:export] " +
		"map[area:erhverv case_id:E2 case_type:fasttrack source:export] " +
		"map[area:erhverv case_id:E3 case_type:fasttrack source:export]]"
	if fmt.Sprint(got) != want {
		t.Errorf("cases:\n got %v\nwant %s", got, want)
	}
	rejected := f.query("SELECT source, case_id, case_type, reason FROM quarantine ORDER BY source, case_id")
	if fmt.Sprint(rejected) != "[map[case_id:E4 case_type:Ukendt reason:unknown_case_type source:export] map[case_id:O1 case_type:FT reason:unknown_case_type source:other]]" {
		t.Errorf("quarantine: %v", rejected)
	}
	if row := counts(f.scorecardRow("2024", "erhverv.fasttrack", "2024-03")); row != "decided=2 within=2 excluded=0 pending=0 breached=0 met=true points=20" {
		t.Errorf("fasttrack March: %s", row)
	}
}

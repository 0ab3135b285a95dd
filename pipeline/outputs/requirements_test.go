package outputs

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestXLSXContract: the workbook opens with a sheet per plan of its whole contract: the
// sections, each requirement's title, id, weight, Danish status, points (an empty cell when
// NULL) and sentence, and the total of the points awarded against the weights' 100.
func TestXLSXContract(t *testing.T) {
	r := testReport(t)
	f := writeWorkbook(t, r)
	if sheets := f.GetSheetList(); sheets[0] != "Kontrakt 2020" || sheets[1] != "Kontrakt 2024" {
		t.Fatalf("sheets %q, want the contracts first", sheets)
	}
	tests := []struct {
		sheet string
		rows  [][]string // from row 3 on, as a reader sees them; the weights and points raw
	}{
		{"Kontrakt 2020", [][]string{
			{"Område", "Resultatkrav", "Vægt", "Status", "Point", "Bemærkning"},
			{"3.1 Faglige mål"},
			{"Virksomhedsrettet integrationsindsats", "1.1", "5", "Opfyldt", "5", "3 af 3 milepæle nået rettidigt"},
			{"Nationalt Center for Forebyggelse af Ekstremisme", "1.2", "5", "Ikke opfyldt", "2.5", "2 af 4 milepæle nået rettidigt; 2 forsinkede"},
			{"Kvalitet i SIRIs sagsbehandling og afgørelser", "1.3", "5", "Opfyldt", "4", "4 point indtastet (allonge 2)"},
			{"Servicemål", "1.5", "70", "Ikke opfyldt", "20", "4 af 12 servicemål opfyldt"},
			{"3.2 Koncernfælles mål"},
			{"Effektiv understøttelse af ministerbetjening og politikudvikling", "2.1", "5", "Ingen pointskala", "", "Sum 81 af 108 mulige fra 36 scorer; planen har endnu ingen pointskala"},
			{"Informationssikkerhed", "2.2", "5", "Opfyldt", "5", "5 af 5 milepæle nået rettidigt"},
			{"God arbejdsgiveradfærd", "2.3", "5", "Opfyldt", "5", "6,2 dage pr. årsværk for 2020; kravet er < 7"},
			{"Point i alt", "", "100", "", "41.5", "41,5 af 100 point tildelt for 2020"},
		}},
		{"Kontrakt 2024", [][]string{
			{"Område", "Resultatkrav", "Vægt", "Status", "Point", "Bemærkning"},
			{"3.1 Faglige mål"},
			{"Effektiv sagsbehandling", "1.1", "60", "Ikke opfyldt", "40", "2 af 3 servicemål opfyldt"},
			{"Borgerservice", "1.2", "10", "Opfyldt", "10", "80 af 95 hverdage med højst 10 dages ventetid"},
			{"Kvalitet i sagsbehandlingen", "1.3", "5", "Afventer", "", "Afventer point aftalt i allonge"},
			{"Forebyggelse af negativ social kontrol", "1.4", "10", "På vej", "0", "1 af 3 milepæle nået rettidigt; 2 åbne"},
			{"3.2 Koncernfælles mål"},
			{"Informationssikkerhed", "2.1", "2.5", "Opfyldt", "2.5", "2 af 2 milepæle nået rettidigt"},
			{"Leverandørstyring/databehandlerforhold", "2.2", "2.5", "Forsinket", "0", "0 af 2 milepæle nået rettidigt; 1 forsinket; 1 åben"},
			{"Intern finansiel kontrol", "2.3", "5", "Mangler data", "", "Ingen værdi for 2024 i statusregistret endnu"},
			{"Bæredygtighed", "2.4", "5", "Opfyldt", "5", "1 af 1 milepæl nået rettidigt"},
			{"Point i alt", "", "100", "", "57.5", "57,5 af 100 point tildelt for 2024"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.sheet, func(t *testing.T) {
			s := openSheet(t, f, tt.sheet)
			for i, want := range tt.rows {
				line := i + 3
				got := make([]string, len(want))
				for col := range want {
					got[col] = s.raw(col+1, line)
				}
				if !slices.Equal(got, want) {
					t.Errorf("row %d = %q, want %q", line, got, want)
				}
			}
			if !strings.HasPrefix(s.rows[0][0], "Resultatkontrakt ") || !strings.HasPrefix(s.rows[1][0], "Opgjort pr. 20. maj 2024") {
				t.Errorf("header %q, %q", s.rows[0][0], s.rows[1][0])
			}
		})
	}
}

// TestJSONRequirements: the JSON document's requirements array holds every row of the
// requirements view, quarter and month rows too, under its column names in SPEC §9 order,
// NULL as null.
func TestJSONRequirements(t *testing.T) {
	r := testReport(t)
	data := loadFile(t, Config{Kind: "json", Path: filepath.Join(t.TempDir(), "scorecard.json")}, r)
	var doc struct {
		Scorecard    []json.RawMessage
		Requirements []map[string]any
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Scorecard) != len(r.Rows) || len(doc.Requirements) != len(r.Requirements) || len(r.Requirements) != 17 {
		t.Fatalf("%d scorecard rows and %d requirements, want %d and %d (17)", len(doc.Scorecard), len(doc.Requirements), len(r.Rows), len(r.Requirements))
	}
	_, rest, _ := strings.Cut(string(data), `"requirements": [`)
	if keys := firstObjectKeys(t, []byte(`{"x": [`+rest)); !slices.Equal(keys, RequirementColumns) {
		t.Errorf("keys %v, want %v", keys, RequirementColumns)
	}
	tests := []struct {
		i    int
		want map[string]any
	}{
		{4, map[string]any{"plan": "2020", "requirement_id": "2.1", "kind": "assessment", "period": "2020",
			"period_end": "2020-12-31", "period_complete": true, "measure": nil, "met": nil, "points": nil,
			"max_points": json.Number("5"), "status": "no_ladder", "run_id": fixtureRunID}},
		{7, map[string]any{"requirement_id": "2.3", "period": "2020-Q4", "met": false, "points": json.Number("0"),
			"detail": "7,4 dage pr. årsværk for 2020-Q4; kravet er < 7"}},
		{9, map[string]any{"plan": "2024", "requirement_id": "1.2", "title": "Borgerservice", "kind": "appointment_wait",
			"period": "2024", "period_end": "2024-05-20", "period_complete": false, "threshold": json.Number("80"),
			"met": true, "points": json.Number("10"), "max_points": json.Number("10"), "status": "met"}},
		{12, map[string]any{"requirement_id": "1.4", "status": "on_track", "met": nil, "points": json.Number("0")}},
	}
	for _, tt := range tests {
		got := doc.Requirements[tt.i]
		for k, want := range tt.want {
			if got[k] != want {
				t.Errorf("requirement %d %s = %#v, want %#v", tt.i, k, got[k], want)
			}
		}
	}
}

// TestRequirementsCSV: requirements_csv writes the requirements view in the contract's order
// under its columns; NULL is an empty field, and text a spreadsheet would run is neutralised.
func TestRequirementsCSV(t *testing.T) {
	r := testReport(t)
	r.Requirements[0].Detail = "=cmd|' /C calc'!A0"
	data := loadFile(t, Config{Kind: "requirements_csv", Path: filepath.Join(t.TempDir(), "requirements.csv")}, r)
	records, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != len(r.Requirements)+1 || !slices.Equal(records[0], RequirementColumns) {
		t.Fatalf("%d records under %q", len(records), records[0])
	}
	want := map[int][]string{
		1:  {"2020", "1.1", "Virksomhedsrettet integrationsindsats", "milestones", "2020", "2020-12-31", "true", "", "", "true", "5", "5", "met", `'=cmd|' /C calc'!A0`, fixtureRunID},
		5:  {"2020", "2.1", "Effektiv understøttelse af ministerbetjening og politikudvikling", "assessment", "2020", "2020-12-31", "true", "", "", "", "", "5", "no_ladder", "Sum 81 af 108 mulige fra 36 scorer; planen har endnu ingen pointskala", fixtureRunID},
		11: {"2024", "1.2", "Borgerservice", "appointment_wait", "2024-03", "2024-03-31", "true", "84.21052631578948", "80", "true", "10", "10", "met", "16 af 19 hverdage med højst 10 dages ventetid", fixtureRunID},
		12: {"2024", "1.3", "Kvalitet i sagsbehandlingen", "manual", "2024", "2024-05-20", "false", "", "", "", "", "5", "awaiting", "Afventer point aftalt i allonge", fixtureRunID},
	}
	for i, w := range want {
		if !slices.Equal(records[i], w) {
			t.Errorf("record %d = %q, want %q", i, records[i], w)
		}
	}
}

package outputs

import (
	"bytes"
	"encoding/csv"
	"path/filepath"
	"slices"
	"testing"
)

// TestAtRiskCSV: the at-risk cases are written in the report's order (the most urgent
// first) under the at_risk view's columns, dates as dates, days as whole numbers, negative
// ones too, and a case id or a source that a spreadsheet would run as a formula neutralised.
func TestAtRiskCSV(t *testing.T) {
	r := testReport(t)
	data := loadFile(t, Config{Kind: "at_risk_csv", Path: filepath.Join(t.TempDir(), "at_risk.csv")}, r)
	records, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"plan", "target_id", "case_id", "source", "submitted_date", "deadline", "days_left", "age_days", "as_of"},
		{"2024", "erhverv.alle", `'=HYPERLINK("x")`, "export", "2024-04-02", "2024-05-03", "-17", "48", "2024-05-20"},
		{"2024", "erhverv.fasttrack", `'=HYPERLINK("x")`, "export", "2024-04-02", "2024-05-03", "-17", "48", "2024-05-20"},
		{"2024", "eu.1", "EU-17", "legacy", "2024-05-02", "2024-05-03", "-17", "18", "2024-05-20"},
		{"2024", "erhverv.alle", "F-1001", "export", "2024-04-18", "2024-05-19", "-1", "32", "2024-05-20"},
		{"2024", "erhverv.fasttrack", "F-1001", "export", "2024-04-18", "2024-05-19", "-1", "32", "2024-05-20"},
		{"2024", "eu.1", "EU-18", "'@legacy", "2024-05-19", "2024-05-20", "0", "1", "2024-05-20"},
		{"2024", "erhverv.alle", "A-2002", "export", "2024-04-24", "2024-05-25", "5", "26", "2024-05-20"},
	}
	if len(records) != len(want) {
		t.Fatalf("%d records, want %d:\n%q", len(records), len(want), records)
	}
	for i := range want {
		if !slices.Equal(records[i], want[i]) {
			t.Errorf("record %d = %q, want %q", i, records[i], want[i])
		}
	}
}

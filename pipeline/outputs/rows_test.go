package outputs

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"
)

func TestCSV(t *testing.T) {
	r := testReport(t)
	data := loadFile(t, Config{Kind: "csv", Path: filepath.Join(t.TempDir(), "scorecard.csv")}, r)
	records, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(records[0], Columns) {
		t.Fatalf("header = %v", records[0])
	}
	if len(records)-1 != len(r.Rows) {
		t.Fatalf("%d rows, want %d", len(records)-1, len(r.Rows))
	}
	for i, rec := range records[1:] {
		got := map[string]string{}
		for j, col := range Columns {
			got[col] = rec[j]
		}
		checkRowFields(t, "csv row "+strconv.Itoa(i), r.Rows[i], got, "")
	}
}

func TestJSON(t *testing.T) {
	r := testReport(t)
	data := loadFile(t, Config{Kind: "json", Path: filepath.Join(t.TempDir(), "scorecard.json")}, r)
	var doc struct{ Scorecard []map[string]any }
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	objs := doc.Scorecard
	if len(objs) != len(r.Rows) {
		t.Fatalf("%d objects, want %d", len(objs), len(r.Rows))
	}
	if keys := firstObjectKeys(t, data); !slices.Equal(keys, Columns) {
		t.Errorf("keys = %v, want SPEC §6 order", keys)
	}
	for i, obj := range objs {
		got := map[string]string{}
		for k, v := range obj {
			switch v := v.(type) {
			case nil:
				got[k] = "null"
			case json.Number:
				got[k] = v.String()
			case bool:
				got[k] = strconv.FormatBool(v)
			case string:
				got[k] = v
			default:
				t.Fatalf("object %d: %s is a %T", i, k, v)
			}
		}
		checkRowFields(t, "json object "+strconv.Itoa(i), r.Rows[i], got, "null")
	}
}

// firstObjectKeys reads the keys of the document's first array's first object in file order.
func firstObjectKeys(t *testing.T, data []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(data))
	var keys []string
	dec.Token() // {
	dec.Token() // "scorecard"
	dec.Token() // [
	dec.Token() // {
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip any
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

// checkRowFields compares an output's fields, as text, with the row: null is
// how the output writes NULL.
func checkRowFields(t *testing.T, what string, row Row, got map[string]string, null string) {
	t.Helper()
	want := map[string]string{
		"plan": row.Plan, "requirement_id": row.RequirementID, "target_id": row.TargetID,
		"label": row.Label, "period": row.Period,
		"period_start": row.PeriodStart.Format("2006-01-02"), "period_end": row.PeriodEnd.Format("2006-01-02"),
		"period_complete": strconv.FormatBool(row.PeriodComplete), "target_days": strconv.Itoa(row.TargetDays),
		"decided": strconv.FormatInt(row.Decided, 10), "within_target": strconv.FormatInt(row.WithinTarget, 10),
		"excluded": strconv.FormatInt(row.Excluded, 10), "pending": strconv.FormatInt(row.Pending, 10),
		"pending_breached": strconv.FormatInt(row.PendingBreached, 10), "run_id": row.RunID,
		"met": null,
	}
	if row.Met != nil {
		want["met"] = strconv.FormatBool(*row.Met)
	}
	if row.Points == nil {
		want["points"] = null
	}
	for col, v := range map[string]*float64{"pct_within_target": row.PctWithinTarget, "pct_low": row.PctLow,
		"pct_high": row.PctHigh, "excluded_pct": row.ExcludedPct} {
		if v == nil {
			want[col] = null
		}
	}
	for col, w := range want {
		if got[col] != w {
			t.Errorf("%s: %s = %q, want %q", what, col, got[col], w)
		}
	}
	floats := map[string]*float64{"min_pct": &row.MinPct, "max_points": &row.MaxPoints,
		"pct_within_target": row.PctWithinTarget, "points": row.Points,
		"pct_low": row.PctLow, "pct_high": row.PctHigh, "excluded_pct": row.ExcludedPct}
	for col, w := range floats {
		if w == nil {
			continue
		}
		if v, err := strconv.ParseFloat(got[col], 64); err != nil || v != *w {
			t.Errorf("%s: %s = %q, want %v", what, col, got[col], *w)
		}
	}
	if ts, err := time.Parse(time.RFC3339Nano, got["computed_at"]); err != nil || !ts.Equal(row.ComputedAt) {
		t.Errorf("%s: computed_at = %q, want %v", what, got["computed_at"], row.ComputedAt)
	}
}

// The columns are SPEC §6's, with SPEC §8's shares placed beside the figures
// they qualify.
func TestColumns(t *testing.T) {
	want := []string{"plan", "requirement_id", "target_id", "label", "period", "period_start",
		"period_end", "period_complete", "target_days", "min_pct", "decided", "within_target",
		"pct_within_target", "pct_low", "pct_high", "met", "points", "max_points", "excluded",
		"excluded_pct", "pending", "pending_breached", "run_id", "computed_at"}
	if !slices.Equal(Columns, want) {
		t.Errorf("Columns = %v\nwant %v", Columns, want)
	}
	if n := len(testReport(t).Rows[0].values()); n != len(Columns) {
		t.Errorf("a row has %d values for %d columns", n, len(Columns))
	}
}

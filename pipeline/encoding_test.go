package pipeline

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rs/zerolog"
)

// TestEncodingWindows1252 runs over a Danish export in Windows-1252 (ø, æ and å are the bytes
// F8, E6 and E5) declared as such: its cases and its rejected rows hold the letters as UTF-8.
func TestEncodingWindows1252(t *testing.T) {
	rows := "S\xf8-1,studie,ja,,,2024-01-02,2024-01-05,\n" +
		"S-2,f\xe6rdig \xe5r,ja,,,2024-01-02,2024-01-05,\n" +
		"S-3,studie,ja,,,2024-01-02,2024-01-06,\n"
	for _, encoding := range []string{"windows-1252", "cp1252"} {
		t.Run(encoding, func(t *testing.T) {
			f := newFixture(t, "plans: [2024]\nsources:\n  - {name: export, kind: csv, path: cases.csv, encoding: "+encoding+"}\n",
				map[string]string{"cases.csv": caseHeader + rows})
			f.run("2024-12-31")
			var cases []string
			for _, r := range f.query("SELECT case_id, source_row FROM cases ORDER BY case_id") {
				cases = append(cases, fmt.Sprintf("%v:%v", r["case_id"], r["source_row"]))
			}
			if want := []string{"S-3:4", "S\u00f8-1:2"}; !slices.Equal(cases, want) {
				t.Errorf("cases = %q, want %q", cases, want)
			}
			q := f.query("SELECT reason, case_id, case_type, source_row FROM quarantine")
			if len(q) != 1 || q[0]["case_type"] != "f\u00e6rdig \u00e5r" || q[0]["reason"] != "unknown_case_type" || q[0]["source_row"] != int64(3) {
				t.Errorf("quarantine = %v, want S-2 on line 3 as unknown_case_type \"f\u00e6rdig \u00e5r\"", q)
			}
		})
	}
}

// TestEncodingBadBytesQuarantined runs over a UTF-8 export (no encoding key) with one row in
// Windows-1252: DuckDB's reader fails on the file, the streaming reader reads it again, and the
// run quarantines that row as bad_encoding, its bad bytes escaped, and keeps the others. The
// row also has a bad boolean: bytes that cannot be read are the first fault.
func TestEncodingBadBytesQuarantined(t *testing.T) {
	f := newFixture(t, "plans: [2024]\nsources:\n  - {name: export, kind: csv, path: '*.csv'}\n", map[string]string{
		"a.csv": caseHeader + "A1,studie,ja,,,2024-01-02,2024-01-05,\n",
		"b.csv": caseHeader + "B1,studie,ja,,,2024-01-02,2024-01-05,\n" +
			"S\xf8-2,f\xe6rdig,maybe,,,2024-01-02,2024-01-05,\n" +
			"B3,studie,ja,,,2024-01-02,2024-01-05,\n",
	})
	var logs bytes.Buffer
	log := zerolog.New(&logs)
	f.log = &log
	sum := f.run("2024-12-31")

	var cases []string
	for _, r := range f.query("SELECT case_id, source_file, source_row FROM cases ORDER BY case_id") {
		cases = append(cases, fmt.Sprintf("%v %s:%v", r["case_id"], filepath.Base(r["source_file"].(string)), r["source_row"]))
	}
	if want := []string{"A1 a.csv:2", "B1 b.csv:2", "B3 b.csv:4"}; !slices.Equal(cases, want) {
		t.Errorf("cases = %v, want %v", cases, want)
	}
	q := f.query("SELECT * FROM quarantine")
	if len(q) != 1 {
		t.Fatalf("quarantine = %v, want one row", q)
	}
	want := map[string]any{
		"reason": "bad_encoding", "source": "export", "source_file": filepath.Join(f.dir, "b.csv"), "source_row": int64(3),
		"case_id": `S\xF8-2`, "case_type": `f\xE6rdig`, "first_time": "maybe", "submitted_at": "2024-01-02",
	}
	for k, v := range want {
		if q[0][k] != v {
			t.Errorf("quarantined %s = %q, want %q", k, q[0][k], v)
		}
	}
	if len(sum.Quarantine) != 1 || sum.Quarantine[0].Reason != "bad_encoding" || sum.Quarantine[0].Rows != 1 {
		t.Errorf("summary reasons = %+v, want bad_encoding=1", sum.Quarantine)
	}
	if !strings.Contains(logs.String(), `"file":"`+filepath.Join(f.dir, "b.csv")+`"`) ||
		!strings.Contains(logs.String(), "file left to the streaming reader") {
		t.Errorf("no log of b.csv left to the streaming reader:\n%s", logs.String())
	}
}

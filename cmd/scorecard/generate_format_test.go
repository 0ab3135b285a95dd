package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestGenerateFormatRegular: --format regular writes the regular export (UTC stamps,
// true/false, no updated_at, no bad or duplicate rows); --format mixed is the default and
// writes what no --format writes; an unknown format, or one with appointments, is bad usage.
func TestGenerateFormatRegular(t *testing.T) {
	dir := t.TempDir()
	gen := func(name string, extra ...string) string {
		out := filepath.Join(dir, name)
		mustCLI(t, append([]string{"generate", "--cases", "500", "--year", "2024", "--seed", "3",
			"--today", "2025-01-31", "--out", out}, extra...)...)
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	def, mixed, regular := gen("d.csv"), gen("m.csv", "--format", "mixed"), gen("r.csv", "--format", "regular")
	if def != mixed {
		t.Error("--format mixed differs from the default")
	}
	lines := strings.Split(strings.TrimSuffix(regular, "\n"), "\n")
	if lines[0] != "case_id,case_type,first_time,complex,has_service_target,submitted_at,decided_at" {
		t.Fatalf("header %q", lines[0])
	}
	if len(lines) != 501 {
		t.Errorf("%d rows, want 500", len(lines)-1)
	}
	row := regexp.MustCompile(`^SIRI-\d{4}-\d{7},[a-z_]+,(true|false),(true|false),(true|false),` +
		`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ,(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)?$`)
	for _, l := range lines[1:] {
		if !row.MatchString(l) {
			t.Fatalf("row %q is not a regular export's", l)
		}
	}
	if bytes.Contains([]byte(mixed), []byte(lines[1])) {
		t.Error("the regular row is also in the mixed file: no format changed")
	}
	out := filepath.Join(dir, "x.csv")
	for _, args := range [][]string{
		{"generate", "--cases", "10", "--year", "2024", "--format", "iso", "--out", out},
		{"generate", "--dataset", "appointments", "--year", "2024", "--format", "regular", "--out", out},
	} {
		if _, code, err := cli(t, args...); code != exitUsage {
			t.Errorf("%v: exit %d (%v), want 2", args, code, err)
		}
	}
}

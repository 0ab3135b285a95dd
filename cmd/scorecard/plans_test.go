package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"scorecard/rules"
)

// TestPlansValidate: good files print ok; every problem of every bad file comes back in one
// error, FILE:LINE:COL first, and the command exits 2.
func TestPlansValidate(t *testing.T) {
	const (
		good   = "testdata/plans/good.yaml"
		pct    = "testdata/plans/min_pct.bad.yaml"
		key    = "testdata/plans/unknown_key.bad.yaml"
		okLine = good + ": ok (plan mini, 1 targets)\n"
		pctErr = pct + `:13:18: target "eu.1": field "min_pct": must be greater than 0 and at most 100, got 101`
		keyErr = key + `:4:1: field "titel": unknown field; allowed: version, id, year, title, requirements`
	)
	for _, tt := range []struct {
		name  string
		files []string
		out   string
		code  int
		lines []string // the error, line by line
	}{
		{"good", []string{good}, okLine, exitOK, nil},
		{"two bad", []string{pct, key}, "", exitUsage, []string{pctErr, keyErr}},
		{"good and bad", []string{key, good}, okLine, exitUsage, []string{keyErr}},
		{"missing file", []string{"testdata/plans/nosuch.yaml"}, "", exitUsage, []string{"open testdata/plans/nosuch.yaml: no such file or directory"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, code, err := cli(t, append([]string{"plans", "validate"}, tt.files...)...)
			if out != tt.out || code != tt.code {
				t.Errorf("exit %d, printed %q; want exit %d, %q", code, out, tt.code, tt.out)
			}
			var lines []string
			if err != nil {
				lines = strings.Split(err.Error(), "\n")
			}
			if !slices.Equal(lines, tt.lines) {
				t.Errorf("error lines:\n%q\nwant\n%q", lines, tt.lines)
			}
			if tt.code == exitUsage && strings.HasSuffix(tt.files[0], ".bad.yaml") && !errors.Is(err, rules.ErrInvalid) {
				t.Errorf("err does not wrap rules.ErrInvalid: %v", err)
			}
		})
	}
}

// TestPlansShow prints the built-in 2024 plan with the contract's own labels.
func TestPlansShow(t *testing.T) {
	out := mustCLI(t, "plans", "show", "2024")
	if !strings.HasPrefix(out, "plan 2024 (2024): ") || !strings.Contains(out, "\nsource: builtin:2024\n") {
		t.Errorf("heading:\n%s", out)
	}
	for _, want := range [][]string{
		{"erhverv.fasttrack", "Fast-track, 1. gang", "fasttrack, first time", "31", "85", "20"},
		{"erhverv.alle", "Hele erhvervsområdet, 1. gang", "area erhverv, first time", "31", "75", "20"},
		{"eu.1", "EU-området", "area eu", "1", "70", "20"},
	} {
		if got := findRow(out, want[0]); !slices.Equal(got, want) {
			t.Errorf("target %s: %q, want %q", want[0], got, want)
		}
	}
}

// TestPlansValidateBounded: `plans validate` reads at most the limit of a plan file, and no
// device or folder at all, so /dev/zero or a data export named by mistake is a clear error.
func TestPlansValidateBounded(t *testing.T) {
	huge := filepath.Join(t.TempDir(), "export.csv")
	if err := os.WriteFile(huge, bytes.Repeat([]byte("case_id,case_type\n"), 1<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ file, want string }{
		{"/dev/zero", "open /dev/zero: not a regular file (a device)"},
		{huge, huge + ": file is larger than the limit of 262144 bytes (256 KiB) for a plan file"},
	} {
		out, code, err := cli(t, "plans", "validate", tt.file)
		if out != "" || code != exitUsage || err == nil || err.Error() != tt.want {
			t.Errorf("%s: exit %d, printed %q, err = %v; want exit %d and %s", tt.file, code, out, err, exitUsage, tt.want)
		}
	}
}

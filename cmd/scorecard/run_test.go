package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestRunSummary checks what `run` prints: per source counts, quarantine by reason, the
// plan's points and where the lake is.
func TestRunSummary(t *testing.T) {
	dir := workspace(t, map[string]string{"scorecard.yaml": minimalConfig, "cases.csv": cases})
	cfg := filepath.Join(dir, "scorecard.yaml")
	out := mustCLI(t, "run", "--config", cfg, "--as-of", "2024-12-31")
	for _, want := range [][]string{
		{"export", "4", "1", "3"},
		{"bad_boolean", "1"},
		{"2024", "2024", "20 of 60", "1 of 3", "1"},
	} {
		if got := findRow(out, want[0]); !slices.Equal(got, want) {
			t.Errorf("row %s: %q, want %q", want[0], got, want)
		}
	}
	for _, want := range []string{
		" as of 2024-12-31\n", "\nquarantined by reason:\n", "\ncases: 3\n",
		"\nlake: " + filepath.Join(dir, "lake") + "\n", "\nquery it: scorecard query --config " + cfg + " ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}

var generated = regexp.MustCompile(`^(.+): (\d+) rows \((\d+) cases, \d+ pending, \d+ duplicates, (\d+) bad\)\n$`)

// TestGenerateThenRun: the same seed gives the same file, another seed another; a run over
// the file reads every row and quarantines exactly the bad ones.
func TestGenerateThenRun(t *testing.T) {
	dir := t.TempDir()
	gen := func(seed, name string) (string, []byte) {
		out := filepath.Join(dir, name)
		printed := mustCLI(t, "generate", "--cases", "200", "--year", "2024", "--seed", seed, "--today", "2025-01-31", "--out", out)
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return printed, data
	}
	printed, first := gen("7", "a.csv")
	_, again := gen("7", "b.csv")
	_, other := gen("8", "c.csv")
	if !bytes.Equal(first, again) || bytes.Equal(first, other) {
		t.Errorf("seed 7 twice equal: %v (want true); seeds 7 and 8 equal: %v (want false)", bytes.Equal(first, again), bytes.Equal(first, other))
	}
	m := generated.FindStringSubmatch(printed)
	if m == nil || m[1] != filepath.Join(dir, "a.csv") || m[3] != "200" || strconv.Itoa(bytes.Count(first, []byte("\n"))-1) != m[2] {
		t.Fatalf("generate printed %q for a file of %d lines", printed, bytes.Count(first, []byte("\n")))
	}
	rows, cases, bad := m[2], m[3], m[4]

	cfg := filepath.Join(dir, "scorecard.yaml")
	body := strings.Replace(minimalConfig, "cases.csv", "a.csv", 1)
	if err := os.WriteFile(cfg, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	out := mustCLI(t, "run", "--config", cfg, "--as-of", "2025-01-31")
	if got, want := findRow(out, "export"), []string{"export", rows, bad, cases}; !slices.Equal(got, want) {
		t.Errorf("source row %q, want %q", got, want)
	}
	if !strings.Contains(out, "\ncases: "+cases+"\n") || !strings.Contains(out, "\nlake: "+filepath.Join(dir, "lake")+"\n") {
		t.Errorf("summary:\n%s", out)
	}
}

// TestRunSummaryAtRisk: the summary counts the at-risk cases per target.
func TestRunSummaryAtRisk(t *testing.T) {
	body := "case_id,case_type,first_time,complex,has_service_target,submitted_at,decided_at,updated_at\n" +
		"F1,fasttrack,ja,,,2024-03-01,,\n" + // deadline 1 April: 2 days left on 30 March
		"F2,fasttrack,ja,,,2024-02-01,,\n" + // deadline 3 March: late
		"F3,fasttrack,ja,,,2024-03-20,,\n" // deadline 20 April: not yet at risk
	dir := workspace(t, map[string]string{"scorecard.yaml": minimalConfig, "cases.csv": body})
	out := mustCLI(t, "run", "--config", filepath.Join(dir, "scorecard.yaml"), "--as-of", "2024-03-30")
	if !strings.Contains(out, "\nat risk (open, deadline within 7 days or passed; see the at_risk view):\n") {
		t.Fatalf("summary lacks the at-risk part:\n%s", out)
	}
	for _, want := range [][]string{
		{"2024", "erhverv.alle", "2", "1"},
		{"2024", "erhverv.fasttrack", "2", "1"},
	} {
		if !regexp.MustCompile(`\n  ` + strings.Join(want, ` +`) + `\n`).MatchString(out) {
			t.Errorf("summary lacks the row %q:\n%s", want, out)
		}
	}
}

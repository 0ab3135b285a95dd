package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"scorecard/pipeline"
)

// minimalConfig is the smallest minimalConfig of SPEC §7 with one plan, in a workspace beside cases.csv;
// one row in four is bad on purpose, so the quarantine limit is raised.
const minimalConfig = `lake: ./lake
max_quarantine_pct: 50
plans: [2024]
sources:
  - {name: export, kind: csv, path: cases.csv}
`

// cases has two EU cases, one decided within a day; one first-time erhverv case, so
// erhverv.fasttrack has no decided cases; and one row quarantined as bad_boolean.
const cases = `case_id,case_type,first_time,complex,has_service_target,submitted_at,decided_at,updated_at
E1,eu_ophold,ja,,,2024-03-01,2024-03-02,
E2,eu_ophold,nej,,,2024-03-01,2024-03-05,
L1,loenarbejde,ja,,,2024-02-01,2024-02-20,
B1,eu_ophold,maybe,,,2024-03-01,2024-03-02,
`

// cli runs the command line in-process and returns its stdout, exit code and error.
func cli(t *testing.T, args ...string) (string, int, error) {
	t.Helper()
	var out bytes.Buffer
	root := newRootCommand(&out, zerolog.Nop())
	root.SetArgs(append([]string{}, args...)) // never nil: cobra would read os.Args
	err := root.ExecuteContext(t.Context())
	return out.String(), exitCode(err), err
}

// mustCLI runs the command line and fails the test unless it exits 0.
func mustCLI(t *testing.T, args ...string) string {
	t.Helper()
	out, code, err := cli(t, args...)
	if code != exitOK {
		t.Fatalf("scorecard %s: exit %d: %v", strings.Join(args, " "), code, err)
	}
	return out
}

// workspace writes the files into a fresh folder and returns it.
func workspace(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// ranWorkspace is a workspace with config and cases after one successful run as of 2024-12-31.
func ranWorkspace(t *testing.T) (dir, cfg string) {
	t.Helper()
	dir = workspace(t, map[string]string{"scorecard.yaml": minimalConfig, "cases.csv": cases})
	cfg = filepath.Join(dir, "scorecard.yaml")
	mustCLI(t, "run", "--config", cfg, "--as-of", "2024-12-31")
	return dir, cfg
}

var wideGap = regexp.MustCompile(`\s{2,}`)

// cells splits a tabwriter line into its cells (separated by two or more spaces).
func cells(line string) []string {
	return wideGap.Split(strings.TrimSpace(line), -1)
}

// findRow returns the cells of the first output line whose first cell is key.
func findRow(out, key string) []string {
	for _, line := range strings.Split(out, "\n") {
		if c := cells(line); c[0] == key {
			return c
		}
	}
	return nil
}

func TestVersion(t *testing.T) {
	if pipeline.Version == "" {
		t.Fatal("pipeline.Version is empty")
	}
	if out := mustCLI(t, "version"); out != "scorecard "+pipeline.Version+"\n" {
		t.Errorf("version printed %q", out)
	}
}

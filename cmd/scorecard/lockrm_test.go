package main

import (
	"errors"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestLockFileRemoved: `scorecard run --full &`, `rm lake/.lock`, `scorecard run --full`: the
// second run is refused (exit 1, the lake locked, its holder not recorded) and touches nothing;
// once the first is gone, runs go on.
func TestLockFileRemoved(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := workspace(t, map[string]string{"scorecard.yaml": minimalConfig, "cases.csv": crashCases})
	cfg := filepath.Join(dir, "scorecard.yaml")
	mustCLI(t, "run", "--config", cfg, "--as-of", "2024-12-31")
	before := publishedFiles(t, dir)

	holder := startPaused(t, "stage", "run", "--full", "--config", cfg, "--as-of", "2024-12-31")
	if err := os.Remove(filepath.Join(dir, "lake", ".lock")); err != nil {
		t.Fatal(err)
	}

	out, err := child(t, nil, "run", "--full", "--config", cfg, "--as-of", "2024-12-31").CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitFailed {
		t.Fatalf("second run after rm lake/.lock: %v, want exit 1\n%s", err, out)
	}
	for _, want := range []string{"locked by another run", "holder not recorded"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the error does not say %q:\n%s", want, out)
		}
	}
	if !maps.Equal(publishedFiles(t, dir), before) {
		t.Error("the refused run changed the published version")
	}
	staging, _ := os.ReadDir(filepath.Join(dir, "lake", ".staging"))
	if len(staging) != 1 {
		t.Errorf("staging folders while the first run holds the lake: %d, want its own", len(staging))
	}

	_ = holder.Process.Kill()
	_ = holder.Wait()
	mustCLI(t, "run", "--config", cfg, "--as-of", "2024-12-31")
	if rows := queryRows(t, cfg, "SELECT count(*) FROM cases"); rows[0][0] != "3" {
		t.Errorf("cases after the next run: %s, want 3", rows[0][0])
	}
}

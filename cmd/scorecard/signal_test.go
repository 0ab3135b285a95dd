package main

import (
	"errors"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"scorecard/pipeline/lake"
)

// TestStoppedRunIsRecorded: a run stopped by SIGTERM (systemd stop) or SIGINT (Ctrl-C) exits 1
// and leaves a failed row in runs that says it was stopped, on a lake that had a run before
// and on a new one; the published figures stay. Before the fix the failure was not recorded:
// the cancelled context refused the statements that write it.
func TestStoppedRunIsRecorded(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	tests := []struct {
		name    string
		signal  syscall.Signal
		ranOnce bool
		pauseAt string
		config  string
		asOf    string // of the stopped run
	}{
		{"SIGTERM after a run", syscall.SIGTERM, true, "stage", minimalConfig, "2024-12-31"},
		// (as of another date: as of the same, with nothing new, the run would compute nothing)
		{"SIGINT after a run", syscall.SIGINT, true, "compute", minimalConfig, "2024-12-30"},
		{"SIGTERM on a new lake", syscall.SIGTERM, false, "curate", minimalConfig, "2024-12-31"},
		// Published, then stopped before the outputs: the lake is the new one, the record says
		// the run failed and its output was not written.
		{"SIGTERM between publication and outputs", syscall.SIGTERM, false, "load", crashConfig, "2024-12-31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := workspace(t, map[string]string{"scorecard.yaml": tt.config, "cases.csv": crashCases})
			cfg := filepath.Join(dir, "scorecard.yaml")
			before := ""
			if tt.ranOnce {
				mustCLI(t, "run", "--config", cfg, "--as-of", "2024-12-31")
				before = scorecardRows(t, cfg)
			}
			run := startPaused(t, tt.pauseAt, "run", "--config", cfg, "--as-of", tt.asOf)
			if err := run.Process.Signal(tt.signal); err != nil {
				t.Fatal(err)
			}
			var exit *exec.ExitError
			if err := run.Wait(); !errors.As(err, &exit) || exit.ExitCode() != exitFailed {
				t.Fatalf("stopped run: %v, want exit 1", err)
			}
			got := mustCLI(t, "query", "--config", cfg, "--format", "csv",
				"SELECT status, error FROM runs ORDER BY started_at DESC LIMIT 1")
			if !strings.HasPrefix(got, "status,error\nfailed,") || !strings.Contains(got, "stopped ("+tt.signal.String()+" signal received)") || !strings.Contains(got, "context canceled") {
				t.Errorf("the stopped run's row:\n%s", got)
			}
			if tt.config == crashConfig {
				report := filepath.Join(dir, "out", "scorecard.html")
				if got, want := recordedLoaders(t, cfg, lastRun(t, cfg)), []string{"html " + report + " " + lake.LoaderNotWritten}; !slices.Equal(got, want) {
					t.Errorf("the stopped run's loaders: %q, want %q", got, want)
				}
			}
			if tt.ranOnce {
				if after := scorecardRows(t, cfg); after != before {
					t.Errorf("a stopped run changed the scorecard:\n%s\n---\n%s", before, after)
				}
			}
		})
	}
}

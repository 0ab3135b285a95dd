package main

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"scorecard/pipeline"
)

// asCLI makes the test binary run main() instead of the tests, so tests can start the real
// command line as a child process and kill it.
const asCLI = "SCORECARD_TEST_AS_CLI"

func TestMain(m *testing.M) {
	if os.Getenv(asCLI) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// child is the command line as a separate process.
func child(t *testing.T, env []string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), asCLI+"=1"), env...)
	return cmd
}

// scorecardRows is the published scorecard without the columns that name the run.
func scorecardRows(t *testing.T, cfg string) string {
	t.Helper()
	return mustCLI(t, "query", "--config", cfg, "--format", "csv",
		"SELECT * EXCLUDE (run_id, computed_at) FROM scorecard ORDER BY ALL")
}

const crashCases = `case_id,case_type,first_time,complex,has_service_target,submitted_at,decided_at,updated_at
E1,eu_ophold,ja,,,2024-03-01,2024-03-02,
E2,eu_ophold,nej,,,2024-03-01,2024-03-05,
F1,fasttrack,ja,,,2024-02-01,2024-02-20,
`

// TestKillAtEveryCheckpoint kills a run with SIGKILL at each checkpoint (the test hook in
// pipeline), then checks that the lake still reads as the previous run published it (or, once
// the new version is published, as the new one), and that the next run completes normally.
func TestKillAtEveryCheckpoint(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	for _, point := range pipeline.Checkpoints {
		t.Run(point, func(t *testing.T) {
			dir := workspace(t, map[string]string{"scorecard.yaml": config, "cases.csv": crashCases})
			cfg := filepath.Join(dir, "scorecard.yaml")
			mustCLI(t, "run", "--config", cfg, "--as-of", "2024-12-31")
			before := scorecardRows(t, cfg)

			changed := crashCases + "E3,eu_ophold,ja,,,2024-04-01,2024-04-09,\n"
			if err := os.WriteFile(filepath.Join(dir, "cases.csv"), []byte(changed), 0o644); err != nil {
				t.Fatal(err)
			}
			killed := child(t, []string{pipeline.KillAtEnv + "=" + point}, "run", "--config", cfg, "--as-of", "2024-12-31")
			out, err := killed.CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("run with %s=%s: %v\n%s", pipeline.KillAtEnv, point, err, out)
			}

			mid := scorecardRows(t, cfg)
			if point == "commit" {
				if mid == before {
					t.Error("killed after publishing, but the new scorecard is not there")
				}
			} else if mid != before {
				t.Errorf("killed at %s: the published scorecard changed:\nbefore\n%s\nafter\n%s", point, before, mid)
			}

			var stderr bytes.Buffer
			next := child(t, nil, "run", "--config", cfg, "--as-of", "2024-12-31")
			next.Stderr = &stderr
			if err := next.Run(); err != nil {
				t.Fatalf("the run after the kill failed: %v\n%s", err, stderr.String())
			}
			if !strings.Contains(stderr.String(), "took over the lake lock of a run that died") {
				t.Errorf("no warning about the dead run's lock:\n%s", stderr.String())
			}
			after := scorecardRows(t, cfg)
			if after == before || !strings.Contains(mustCLI(t, "query", "--config", cfg, "SELECT case_id FROM cases"), "E3") {
				t.Error("the run after the kill did not publish the new data")
			}
		})
	}
}

// TestOneWriter: a second run while one is running exits 1 at once (the holder sleeps for an
// hour, so waiting would time the test out), naming the holder.
func TestOneWriter(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := workspace(t, map[string]string{"scorecard.yaml": config, "cases.csv": crashCases})
	cfg := filepath.Join(dir, "scorecard.yaml")
	holder := child(t, []string{pipeline.PauseAtEnv + "=stage"}, "run", "--config", cfg, "--as-of", "2024-12-31")
	stderr, err := holder.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := holder.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = holder.Process.Kill(); _ = holder.Wait() }()
	waitFor(t, stderr, "paused at stage")

	second := child(t, nil, "backfill", "--config", cfg, "--quarter", "2024Q1", "--as-of", "2024-12-31")
	out, err := second.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitFailed {
		t.Fatalf("second run: %v, want exit 1\n%s", err, out)
	}
	msg := string(out)
	for _, want := range []string{"locked by another run", "pid " + strconv.Itoa(holder.Process.Pid), "scorecard.yaml"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the error does not name %q:\n%s", want, msg)
		}
	}
}

// waitFor reads lines until one contains want.
func waitFor(t *testing.T, r interface{ Read([]byte) (int, error) }, want string) {
	t.Helper()
	lines := bufio.NewScanner(r)
	for lines.Scan() {
		if strings.Contains(lines.Text(), want) {
			return
		}
	}
	t.Fatalf("the process ended before printing %q", want)
}

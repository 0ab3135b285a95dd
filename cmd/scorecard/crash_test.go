package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"scorecard/pipeline/lake"
	"scorecard/pipeline/runstate"
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

// crashConfig has an output, so that a run passes the outputs' checkpoints too; the report
// names the run that wrote it.
const crashConfig = minimalConfig + `outputs:
  - {kind: html, path: out/scorecard.html}
`

// TestKillAtEveryCheckpoint kills a run with SIGKILL at each checkpoint (the test hook in
// pipeline), then checks that the lake still reads as the previous run published it, byte for
// byte, or, once the new version is published, as the new one, whole; and that the next run
// completes normally, rewrites the outputs and removes what the killed run left.
func TestKillAtEveryCheckpoint(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	// Checkpoints are in the order a run passes them: from commit on, the new version is out.
	commit := slices.Index(runstate.Checkpoints, "commit")
	for i, point := range runstate.Checkpoints {
		t.Run(point, func(t *testing.T) {
			dir := workspace(t, map[string]string{"scorecard.yaml": crashConfig, "cases.csv": crashCases})
			cfg := filepath.Join(dir, "scorecard.yaml")
			mustCLI(t, "run", "--config", cfg, "--as-of", "2024-12-31")
			before, beforeFiles := scorecardRows(t, cfg), publishedFiles(t, dir)
			first := lastRun(t, cfg)

			changed := crashCases + "E3,eu_ophold,ja,,,2024-04-01,2024-04-09,\n"
			if err := os.WriteFile(filepath.Join(dir, "cases.csv"), []byte(changed), 0o644); err != nil {
				t.Fatal(err)
			}
			killed := child(t, []string{runstate.KillAtEnv + "=" + point}, "run", "--config", cfg, "--as-of", "2024-12-31")
			out, err := killed.CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("run with %s=%s: %v\n%s", runstate.KillAtEnv, point, err, out)
			}

			mid := scorecardRows(t, cfg)
			if i >= commit {
				if mid == before {
					t.Error("killed after publishing, but the new scorecard is not there")
				}
				checkKilledRunPublished(t, cfg, dir, first, point)
			} else {
				if mid != before {
					t.Errorf("killed at %s: the published scorecard changed:\nbefore\n%s\nafter\n%s", point, before, mid)
				}
				if !maps.Equal(publishedFiles(t, dir), beforeFiles) {
					t.Errorf("killed at %s before publishing: the published version's files changed", point)
				}
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
			checkNextRun(t, cfg, dir)
		})
	}
}

// publishedFiles hashes every file of the published version.
func publishedFiles(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	cur, err := filepath.EvalSymlinks(filepath.Join(dir, "lake", "current"))
	if err != nil {
		t.Fatal(err)
	}
	return hashFollowing(t, cur)
}

// hashFollowing is hashTree of dir and of every folder a link under it leads to (the version's
// tables, and the run partitions in them).
func hashFollowing(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	files := hashTree(t, dir)
	for path := range maps.Clone(files) {
		if info, err := os.Stat(path); err == nil && info.IsDir() {
			maps.Copy(files, hashFollowing(t, path+string(filepath.Separator)))
		}
	}
	return files
}

// queryRows runs a query and returns its CSV records without the header.
func queryRows(t *testing.T, cfg, sql string) [][]string {
	t.Helper()
	records, err := csv.NewReader(strings.NewReader(mustCLI(t, "query", "--config", cfg, "--format", "csv", sql))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return records[1:]
}

// lastRun is the id of the latest run on record.
func lastRun(t *testing.T, cfg string) string {
	t.Helper()
	return queryRows(t, cfg, "SELECT run_id FROM runs ORDER BY started_at DESC LIMIT 1")[0][0]
}

// recordedLoaders lists a run's loaders on record as "name status".
func recordedLoaders(t *testing.T, cfg, runID string) []string {
	t.Helper()
	var out []string
	for _, r := range queryRows(t, cfg, "SELECT l.name || ' ' || l.status FROM (SELECT unnest(loaders) AS l FROM runs WHERE run_id = '"+runID+"') ORDER BY 1") {
		out = append(out, r[0])
	}
	return out
}

// checkKilledRunPublished checks the version a run killed after publishing left: every file
// its run record lists is there with its bytes; the record says it failed, its outputs not
// written, until their second publication is done, and then that it succeeded.
func checkKilledRunPublished(t *testing.T, cfg, dir, first, point string) {
	t.Helper()
	id := lastRun(t, cfg)
	if id == first {
		t.Fatal("killed after publishing, but the killed run is not on record")
	}
	done := point == "outputs"
	wantStatus, wantLoader := lake.StatusFailed, lake.LoaderNotWritten
	if done {
		wantStatus, wantLoader = lake.StatusSucceeded, lake.StatusSucceeded
	}
	if status := queryRows(t, cfg, "SELECT status FROM runs WHERE run_id = '"+id+"'")[0][0]; status != wantStatus {
		t.Errorf("killed at %s: the run's status is %q, want %q", point, status, wantStatus)
	}
	files := queryRows(t, cfg, "SELECT o.path, o.sha256 FROM (SELECT unnest(outputs) AS o FROM runs WHERE run_id = '"+id+"')")
	if len(files) == 0 {
		t.Error("the killed run's record lists no files")
	}
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(dir, "lake", "current", filepath.FromSlash(f[0])))
		if sum := sha256.Sum256(data); err != nil || hex.EncodeToString(sum[:]) != f[1] {
			t.Errorf("%s: %v, or not the bytes the run recorded", f[0], err)
		}
	}
	report := filepath.Join(dir, "out", "scorecard.html")
	if got, want := recordedLoaders(t, cfg, id), []string{"html " + report + " " + wantLoader}; !slices.Equal(got, want) {
		t.Errorf("killed at %s: the published record lists loaders %q, want %q", point, got, want)
	}
}

// checkNextRun checks that the run after a kill wrote the outputs again and that only its own
// versions and no staging folder are left.
func checkNextRun(t *testing.T, cfg, dir string) {
	t.Helper()
	id := lastRun(t, cfg)
	report := filepath.Join(dir, "out", "scorecard.html")
	if got, want := recordedLoaders(t, cfg, id), []string{"html " + report + " " + lake.StatusSucceeded}; !slices.Equal(got, want) {
		t.Errorf("the next run's loaders: %q, want %q", got, want)
	}
	if html, err := os.ReadFile(report); err != nil || !bytes.Contains(html, []byte(id)) {
		t.Errorf("the report does not name the next run %s (%v)", id, err)
	}
	versions, err := os.ReadDir(filepath.Join(dir, "lake", ".versions"))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range versions {
		if !strings.HasPrefix(v.Name(), id) {
			t.Errorf("version %s is left after the next run %s", v.Name(), id)
		}
	}
	if staging, _ := os.ReadDir(filepath.Join(dir, "lake", ".staging")); len(staging) > 0 {
		t.Errorf("%d staging folders left after the next run", len(staging))
	}
	// The parts hold what the versions left link to: the killed run's landing is gone.
	parts, err := filepath.Glob(filepath.Join(dir, "lake", lake.PartsDir, "*", "*", "run_id=*"))
	if err != nil || len(parts) == 0 {
		t.Fatalf("no run partitions in the parts (%v)", err)
	}
	for _, p := range parts {
		rel, _ := filepath.Rel(filepath.Join(dir, "lake", lake.PartsDir), p)
		if linked, _ := filepath.Glob(filepath.Join(dir, "lake", ".versions", "*", rel)); len(linked) == 0 {
			t.Errorf("%s is left in the parts, linked from no version", rel)
		}
	}
}

// TestOneWriter: a second run while one is running exits 1 at once (the holder sleeps for an
// hour, so waiting would time the test out), naming the holder.
func TestOneWriter(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := workspace(t, map[string]string{"scorecard.yaml": minimalConfig, "cases.csv": crashCases})
	cfg := filepath.Join(dir, "scorecard.yaml")
	holder := startPaused(t, "stage", "run", "--config", cfg, "--as-of", "2024-12-31")

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

// startPaused starts the command line as a child process that pauses at a checkpoint
// (runstate.PauseAtEnv), and returns once it is paused there. The child is killed when the test
// ends, unless it has ended already.
func startPaused(t *testing.T, at string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := child(t, []string{runstate.PauseAtEnv + "=" + at}, args...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	waitFor(t, stderr, "paused at "+at)
	return cmd
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

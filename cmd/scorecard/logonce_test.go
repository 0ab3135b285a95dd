package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"scorecard/pipeline/runstate"
)

// TestFailureLoggedOnce runs failing commands as the scheduler does (stderr not a terminal, so
// JSON lines) and checks that the error is on exactly one log line, at error level, with the
// exit code and, when a run had started, its run_id: a scheduler alerting on error lines must
// see one per failure.
func TestFailureLoggedOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	for _, tt := range []struct {
		name  string
		files map[string]string // replaces the default files of the same name
		dirs  []string          // folders to make in the workspace
		want  string            // part of the error; $DIR is the workspace
		code  int
		run   bool // a run started, so the line has its run_id
	}{
		{name: "a stage fails", code: exitFailed, run: true, want: "first_time",
			files: map[string]string{"cases.csv": "case_id,case_type,submitted_at\nA1,eu_ophold,2024-01-01\n"}},
		// The output's path is a folder: the lake is published, the loader fails.
		{name: "a loader fails", code: exitFailed, run: true, want: "html $DIR/out: ", dirs: []string{"out"},
			files: map[string]string{"scorecard.yaml": minimalConfig + "outputs:\n  - {kind: html, path: out}\n"}},
		{name: "bad config", code: exitUsage, want: `unknown field "colour"`,
			files: map[string]string{"scorecard.yaml": "colour: red\n" + minimalConfig}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"scorecard.yaml": minimalConfig, "cases.csv": cases}
			for name, body := range tt.files {
				files[name] = body
			}
			dir := workspace(t, files)
			for _, d := range tt.dirs {
				if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			cmd := child(t, nil, "run", "--config", filepath.Join(dir, "scorecard.yaml"), "--as-of", "2024-12-31")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != tt.code {
				t.Fatalf("exit: %v, want %d\n%s", err, tt.code, stderr.String())
			}
			checkLoggedOnce(t, stderr.String(), strings.ReplaceAll(tt.want, "$DIR", dir), tt.code, tt.run)
		})
	}
}

// checkLoggedOnce checks that want is on exactly one of the JSON log lines, that this line is
// the only one at error level, and that it has the exit code and, for a run, the run_id of the
// run's other lines.
func checkLoggedOnce(t *testing.T, logs, want string, code int, run bool) {
	t.Helper()
	var errorLine map[string]any
	var withWant, errorLines int
	runIDs := map[string]bool{}
	lines := bufio.NewScanner(strings.NewReader(logs))
	for lines.Scan() {
		var line map[string]any
		if err := json.Unmarshal(lines.Bytes(), &line); err != nil {
			t.Fatalf("not a JSON log line: %q", lines.Text())
		}
		if id, ok := line[runstate.FieldRunID].(string); ok {
			runIDs[id] = true
		}
		if mentions(line, want) {
			withWant++
		}
		if line["level"] == "error" {
			errorLines++
			errorLine = line
		}
	}
	if withWant != 1 || errorLines != 1 {
		t.Fatalf("%q is on %d lines and %d lines are errors, want 1 and 1:\n%s", want, withWant, errorLines, logs)
	}
	if msg, _ := errorLine["message"].(string); !strings.Contains(msg, want) {
		t.Errorf("the error line %v does not say %q", errorLine, want)
	}
	if errorLine["exit_code"] != float64(code) {
		t.Errorf("the error line has exit_code %v, want %d", errorLine["exit_code"], code)
	}
	id, _ := errorLine[runstate.FieldRunID].(string)
	if run && (id == "" || len(runIDs) != 1) || !run && len(runIDs) != 0 {
		t.Errorf("the error line has run_id %q; the log has run ids %v", id, runIDs)
	}
}

// mentions reports whether one of a log line's fields, as decoded, contains want.
func mentions(line map[string]any, want string) bool {
	for _, v := range line {
		if s, ok := v.(string); ok && strings.Contains(s, want) {
			return true
		}
	}
	return false
}

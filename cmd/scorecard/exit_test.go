package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"scorecard/pipeline"
	"scorecard/pipeline/config"
	"scorecard/rules"
)

// TestExitCodes runs each command in a fresh workspace (config and cases as below unless the
// case replaces them) and checks SPEC §7's exit code and the error. In args and files, $DIR is
// the workspace and $TESTDATA this package's testdata folder.
func TestExitCodes(t *testing.T) {
	testdata, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	run := []string{"run", "--config", "$DIR/scorecard.yaml", "--as-of", "2024-12-31"}
	query := []string{"query", "--config", "$DIR/scorecard.yaml"}
	for _, tt := range []struct {
		name  string
		files map[string]string // replaces the default files of the same name
		args  []string
		code  int
		is    error    // the error must wrap this, when set
		msg   []string // and contain these
	}{
		{name: "run succeeds", args: run, code: exitOK},
		{name: "unknown config key", args: run, code: exitUsage, is: config.ErrConfig,
			files: map[string]string{"scorecard.yaml": "colour: red\n" + minimalConfig},
			msg:   []string{`scorecard.yaml:1:1: unknown field "colour"`}},
		{name: "config file missing", args: []string{"run", "--config", "$DIR/nosuch.yaml"}, code: exitUsage, is: config.ErrConfig},
		{name: "plan file with an error", args: run, code: exitUsage, is: rules.ErrInvalid,
			files: map[string]string{"scorecard.yaml": strings.Replace(minimalConfig, "[2024]", "[2024, $TESTDATA/plans/min_pct.bad.yaml]", 1)},
			msg:   []string{`min_pct.bad.yaml:13:18: target "eu.1": field "min_pct": must be greater than 0 and at most 100, got 101`}},
		{name: "missing --config", args: []string{"run", "--as-of", "2024-12-31"}, code: exitUsage, msg: []string{"--config is required"}},
		{name: "unknown flag", args: append(run, "--nope"), code: exitUsage, msg: []string{"unknown flag: --nope"}},
		{name: "bad --as-of", args: append(run[:3:3], "--as-of", "2024-13-01"), code: exitUsage, msg: []string{"--as-of"}},
		{name: "--as-of before every plan year", args: append(run[:3:3], "--as-of", "0001-01-01"), code: exitUsage,
			msg: []string{"--as-of 0001-01-01 is before the year of every plan (2024)"}},
		{name: "--as-of the day before the plan year", args: append(run[:3:3], "--as-of", "2023-12-31"), code: exitUsage,
			msg: []string{"before the year of every plan"}},
		{name: "csv lacks a required column", args: run, code: exitFailed, msg: []string{"first_time"},
			files: map[string]string{"cases.csv": "case_id,case_type,submitted_at\nA1,eu_ophold,2024-01-01\n"}},
		{name: "query before any run", args: append(query, "SELECT 1"), code: exitFailed, is: pipeline.ErrNoLake},
		{name: "query --format xml", args: append(query, "--format", "xml", "SELECT 1"), code: exitUsage, msg: []string{`--format "xml"`}},
		{name: "query without SQL", args: query, code: exitUsage},
		{name: "unknown subcommand", args: []string{"frobnicate"}, code: exitUsage, msg: []string{`unknown command "frobnicate"`}},
		{name: "unknown plans subcommand", args: []string{"plans", "frobnicate"}, code: exitUsage, msg: []string{`unknown command "frobnicate"`}},
		{name: "plans validate without files", args: []string{"plans", "validate"}, code: exitUsage},
		{name: "plans show unknown plan", args: []string{"plans", "show", "2099"}, code: exitUsage, is: rules.ErrInvalid, msg: []string{`"2099" is not a built-in plan (2020, 2024)`}},
		{name: "generate without --out", args: []string{"generate", "--cases", "10", "--year", "2024"}, code: exitUsage, msg: []string{"--out"}},
		{name: "generate bad --today", args: []string{"generate", "--cases", "10", "--year", "2024", "--out", "$DIR/x.csv", "--today", "2024-02-30"}, code: exitUsage},
		{name: "version with an argument", args: []string{"version", "now"}, code: exitUsage},
	} {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"scorecard.yaml": minimalConfig, "cases.csv": cases}
			for name, body := range tt.files {
				files[name] = strings.ReplaceAll(body, "$TESTDATA", testdata)
			}
			dir := workspace(t, files)
			args := make([]string, len(tt.args))
			for i, a := range tt.args {
				args[i] = strings.ReplaceAll(a, "$DIR", dir)
			}
			_, code, err := cli(t, args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d (err: %v)", code, tt.code, err)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("err = %v, want one wrapping %v", err, tt.is)
			}
			for _, m := range tt.msg {
				if err == nil || !strings.Contains(err.Error(), m) {
					t.Errorf("err = %v, want it to contain %q", err, m)
				}
			}
			_, statErr := os.Stat(filepath.Join(dir, "lake", "scorecard"))
			if published := statErr == nil; published != (tt.code == exitOK && args[0] == "run") {
				t.Errorf("lake/scorecard published: %v", published)
			}
		})
	}
}

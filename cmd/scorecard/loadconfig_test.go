package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// laughsConfig is the config with a ~500-byte "billion laughs" as its plans: nine anchored
// lists, each of nine aliases of the one before, 9^9 nodes once expanded.
func laughsConfig() string {
	var b strings.Builder
	b.WriteString(strings.Replace(minimalConfig, "plans: [2024]\n", "", 1) + "plans:\n  - &a [x,x,x,x,x,x,x,x,x]\n")
	for c := 'b'; c <= 'i'; c++ {
		fmt.Fprintf(&b, "  - &%c [%s]\n", c, strings.TrimSuffix(strings.Repeat("*"+string(c-1)+",", 9), ","))
	}
	return b.String()
}

// TestConfigRefusedAtLoad: configs that used to run wrongly, fail at run time or exhaust the
// machine are refused when loaded, exit 2, naming the file and line, and nothing is published.
func TestConfigRefusedAtLoad(t *testing.T) {
	builtin2024, err := os.ReadFile("../../rules/plans/2024.yaml")
	if err != nil {
		t.Fatal(err)
	}
	withPlans := func(plans string) string { return strings.Replace(minimalConfig, "[2024]", plans, 1) }
	for _, tt := range []struct {
		name   string
		files  map[string]string
		config string // the --config argument; $DIR/scorecard.yaml unless set
		msg    string // the error contains it, after $DIR/ when it starts with scorecard.yaml
	}{
		{name: "a built-in plan twice", files: map[string]string{"scorecard.yaml": withPlans("[2024, 2024]")},
			msg: `scorecard.yaml:3:15: field "plans": plans 1 and 2 both name "2024"`},
		{name: "a built-in plan and its copy",
			files: map[string]string{"scorecard.yaml": withPlans("[2024, ./my2024.yaml]"), "my2024.yaml": string(builtin2024)},
			msg:   `scorecard.yaml:3:15: field "plans": plans 1 ("2024", built-in) and 2 ("./my2024.yaml") both have id "2024"`},
		{name: "timezone Local", files: map[string]string{"scorecard.yaml": "timezone: Local\n" + minimalConfig},
			msg: `scorecard.yaml:1:11: field "timezone": "Local" is the machine's own zone`},
		{name: "alias bomb", files: map[string]string{"scorecard.yaml": laughsConfig()},
			msg: `: aliases expand the document by more than 10000 nodes`},
		{name: "oversize config", files: map[string]string{"scorecard.yaml": minimalConfig + "#" + strings.Repeat(" x", 200<<10) + "\n"},
			msg: "scorecard.yaml: file is larger than the limit of 262144 bytes (256 KiB) for a config file"},
		{name: "dev zero as config", config: "/dev/zero", msg: "open /dev/zero: not a regular file (a device)"},
		{name: "dev zero as plan", files: map[string]string{"scorecard.yaml": withPlans("[/dev/zero]")},
			msg: `scorecard.yaml:3:9: field "plans": invalid plan: "/dev/zero" is not a built-in plan (2020, 2024) and cannot be read: open /dev/zero: not a regular file (a device)`},
		{name: "output read back by the source",
			files: map[string]string{"scorecard.yaml": strings.Replace(minimalConfig, "path: cases.csv", `path: "*.csv"`, 1) +
				"outputs:\n  - {kind: csv, path: scorecard.csv}\n"},
			msg: `scorecard.yaml:7:23: field "path": csv output "scorecard.csv" is matched by the path "*.csv" of source "export" (line 5)`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"cases.csv": cases}
			for name, body := range tt.files {
				files[name] = body
			}
			dir := workspace(t, files)
			cfg := filepath.Join(dir, "scorecard.yaml")
			if tt.config != "" {
				cfg = tt.config
			}
			_, code, err := cli(t, "run", "--config", cfg, "--as-of", "2024-12-31")
			msg := tt.msg
			if strings.HasPrefix(msg, "scorecard.yaml") {
				msg = filepath.Join(dir, msg)
			}
			if code != exitUsage || err == nil || !strings.Contains(err.Error(), msg) {
				t.Errorf("exit %d, err = %v\nwant exit %d and an error containing %s", code, err, exitUsage, msg)
			}
			if _, statErr := os.Stat(filepath.Join(dir, "lake")); !errors.Is(statErr, os.ErrNotExist) {
				t.Errorf("the lake was written: %v", statErr)
			}
		})
	}
}

// TestConfigUTC: UTC stays a valid zone, and the run succeeds.
func TestConfigUTC(t *testing.T) {
	dir := workspace(t, map[string]string{"scorecard.yaml": "timezone: UTC\n" + minimalConfig, "cases.csv": cases})
	mustCLI(t, "run", "--config", filepath.Join(dir, "scorecard.yaml"), "--as-of", "2024-12-31")
}

package config_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"scorecard/pipeline/config"
)

// fuzzConfigKinds are the source kinds FuzzLoadConfig accepts, as the CLI registers them.
var fuzzConfigKinds = []string{"csv", "postgres", "mysql"}

// FuzzLoadConfig feeds arbitrary bytes to LoadConfig as a config file and holds it to the
// product's promise for any file an operator may hand over: no panic, and either a config or
// an error wrapping ErrConfig that names the file, within memory proportional to the file.
// Its seeds (run by every `go test`) are the testdata configs plus hostile documents.
func FuzzLoadConfig(f *testing.F) {
	files, err := filepath.Glob("testdata/config/*.yaml")
	if err != nil || len(files) == 0 {
		f.Fatalf("no seed configs: %v", err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, seed := range hostileConfigs() {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "scorecard.yaml")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		cfg, err := config.LoadConfig(path, fuzzConfigKinds)
		runtime.ReadMemStats(&after)
		// go-yaml spends a few KiB per token; a blow-up spends gigabytes.
		if alloc, limit := after.TotalAlloc-before.TotalAlloc, 64<<20+4096*uint64(len(data)); alloc > limit {
			t.Errorf("LoadConfig of %d bytes allocated %d MiB, over the %d MiB allowed", len(data), alloc>>20, limit>>20)
		}
		switch {
		case err != nil:
			if cfg != nil {
				t.Errorf("LoadConfig returned a config with the error %v", err)
			}
			if !errors.Is(err, config.ErrConfig) {
				t.Errorf("error does not wrap ErrConfig: %v", err)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error does not name the file %s: %v", path, err)
			}
		case cfg == nil:
			t.Error("LoadConfig returned neither a config nor an error")
		default:
			if len(cfg.Sources) == 0 || len(cfg.PlanRefs()) == 0 || cfg.Location == nil || cfg.DuckDB.Threads < 1 {
				t.Errorf("a config passed validation without sources, plans, a zone or threads: %+v", cfg)
			}
		}
	})
}

// nested is n flow sequences, one in the other.
func nested(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }

// keyed is a block mapping of n distinct keys.
func keyed(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "k%d: %d\n", i, i)
	}
	return b.String()
}

// minimalConfig is a valid config that hostile seeds extend or alter.
const minimalConfig = `lake: ./lake
plans: [2020, 2024]
sources:
  - name: export
    kind: csv
    path: cases.csv
`

// hostileConfigs are documents meant to break the loader rather than fail validation.
func hostileConfigs() []string {
	swap := func(old, new string) string { return strings.Replace(minimalConfig, old, new, 1) }
	return []string{
		// tagged scalars where lists belong: go-yaml panics decoding them (decodeConfig)
		"sources: !!seq\n", "outputs: !x\n", "lake: &a !!str x\nsources: *a\n", "lake: x\nplans: !0\n",
		configLaughs(),
		plansLaughs(),
		// go-yaml's parser gives each node its path from the root: 32 KB of brackets took
		// ~400 MiB, 256 KiB would exhaust memory
		nested(16000),
		// go-yaml parses a block mapping recursing once per key, copying the keys after it:
		// 20000 keys (250 KB) took ~1.6 GiB
		keyed(20000),
		// a 20 KB key above a list of 20000 items took ~400 MiB in go-yaml's paths
		`{` + strings.Repeat("k", 20000) + `: [` + strings.Repeat("1,", 20000) + `1]}`,
		strings.Repeat("[", 500) + strings.Repeat("]", 500),
		strings.Repeat("{a: ", 200) + "1" + strings.Repeat("}", 200),
		minimalConfig + "# " + strings.Repeat("x", 200_000) + "\n",
		swap("export", "exp\x00ort"),
		swap("cases.csv", "c\xffses.csv"),
		"\xfe\xff" + minimalConfig,
		"sources: [null]\n",
		minimalConfig[:strings.Index(minimalConfig, "sources:")] + "sources: [null]\n",
		swap("path: cases.csv", "path: cases.csv\n    columns: {case_id: [1, 2]}"),
		swap("path: cases.csv", "path: cases.csv\n    columns: {\"a.b[0]\": x, \"$\": y, \"\": z}"),
		swap("path: cases.csv", "path: cases.csv\n    case_types: {\"a.b\": x, \"'\": y}"),
		minimalConfig + "outputs: [{}]\n",
		minimalConfig + "outputs: [null, {kind: postgres}]\n",
		swap("plans: [2020, 2024]", "plans: [{}]"),
		swap("plans: [2020, 2024]", "plans: [null, [1], {a: b}]"),
		minimalConfig + "duckdb: {threads: 99999999999999999999}\n",
		minimalConfig + "duckdb: {threads: -1, memory_limit: [1]}\n",
		minimalConfig + "max_quarantine_pct: .nan\nmax_shrink_pct: .inf\nraw_retention_days: 1e400\n",
		swap("kind: csv", "kind: postgres\n    dsn_env: X\n    table: t\n    retry: 9999999999999h\n    incremental: {column: updated_at, overlap: -1ns}"),
		minimalConfig + "timezone: ../../../../etc/passwd\n",
		minimalConfig + "version: 99999999999999999999\n",
		strings.ReplaceAll(minimalConfig, "  ", "\t"),
		"just a scalar\n",
		"---\n" + minimalConfig + "---\n" + minimalConfig,
		"&a [*a]\n",
		"sources: &s [{name: a, kind: csv, path: p, <<: *s}]\n",
		"? [a, b]\n: c\n",
	}
}

// configLaughs is the "billion laughs" document: nine levels of anchors, each a list of nine
// aliases of the one before, under keys a config does not have.
func configLaughs() string {
	var b strings.Builder
	b.WriteString("a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n")
	for c := 'b'; c <= 'i'; c++ {
		ref := "*" + string(c-1)
		fmt.Fprintf(&b, "%c: &%c [%s]\n", c, c, strings.TrimSuffix(strings.Repeat(ref+",", 9), ","))
	}
	return b.String()
}

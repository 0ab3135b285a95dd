package config_test

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"scorecard/pipeline/config"
	"scorecard/rules"
	"scorecard/sources"
)

var configKinds = []string{"csv"}

// TestConfigFiles loads every testdata/config file: good files must load and have an entry in
// goodConfigs; bad files must fail with ErrConfig and exactly the problems of their "# want:" lines.
func TestConfigFiles(t *testing.T) {
	files, err := filepath.Glob("testdata/config/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			want := configWants(data)
			_, err = config.LoadConfig(file, configKinds)
			switch {
			case strings.HasSuffix(name, ".good.yaml"):
				if err != nil || len(want) > 0 {
					t.Fatalf("good file: err = %v, want lines = %q", err, want)
				}
				if _, ok := goodConfigs[name]; !ok {
					t.Errorf("good file without an entry in goodConfigs")
				}
			case strings.HasSuffix(name, ".bad.yaml"):
				checkConfigProblems(t, err, want)
			default:
				t.Fatalf("%s is neither .good.yaml nor .bad.yaml", name)
			}
		})
	}
}

// configWants returns the "# want: " comment lines of a testdata file.
func configWants(data []byte) []string {
	var want []string
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "# want: "); ok {
			want = append(want, rest)
		}
	}
	return want
}

func checkConfigProblems(t *testing.T, err error, want []string) {
	t.Helper()
	if len(want) == 0 {
		t.Fatal("bad file without # want: lines")
	}
	if !errors.Is(err, config.ErrConfig) {
		t.Fatalf("err = %v, want one wrapping ErrConfig", err)
	}
	var got []string
	for _, line := range strings.Split(strings.TrimPrefix(err.Error(), config.ErrConfig.Error()+":"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			got = append(got, line)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n got: %s\nwant: %s", strings.Join(got, "\n      "), strings.Join(want, "\n      "))
	}
}

// goodConfig is what a good file must load as. Relative paths here are relative to
// testdata/config, absolute ones must come out as written.
type goodConfig struct {
	lake     string
	timezone string
	plans    []string
	memory   string
	threads  int // 0: one per CPU
	sources  []sources.Config
}

var goodConfigs = map[string]goodConfig{
	"minimal.good.yaml": {
		lake: "lake", timezone: "Europe/Copenhagen", plans: []string{"2020", "2024"}, memory: "1GB",
		sources: []sources.Config{{Name: "export", Kind: "csv", Path: "cases.csv"}},
	},
	"defaults.good.yaml": {
		lake: "lake", timezone: config.DefaultTimezone, plans: []string{"2024"}, memory: "1GB",
		sources: []sources.Config{{Name: "export", Kind: "csv", Path: "exports/*.csv"}},
	},
	"source_modes.good.yaml": {
		lake: "lake", timezone: config.DefaultTimezone, plans: []string{"2024"}, memory: "1GB",
		sources: []sources.Config{
			{Name: "drop", Kind: "csv", Path: "drop/*.csv", Encoding: "windows-1252"},
			{Name: "snap", Kind: "csv", Path: "snap/*.csv", Encoding: "iso-8859-1"},
		},
	},
	"dataset_status.good.yaml": {
		lake: "lake", timezone: config.DefaultTimezone, plans: []string{"2024"}, memory: "1GB",
		sources: []sources.Config{
			{Name: "export", Kind: "csv", Path: "cases.csv"},
			{Name: "register", Kind: "csv", Path: "status/*.csv", Dataset: sources.Status,
				Columns: map[string]string{"item_id": "milestone", "recorded_at": "registered"}},
		},
	},
	"outputs.good.yaml": {
		lake: "exports/lake", timezone: config.DefaultTimezone, plans: []string{"2024"}, memory: "1GB",
		sources: []sources.Config{{Name: "export", Kind: "csv", Path: "exports/*.csv"}},
	},
	"full.good.yaml": {
		lake: "/srv/scorecard/lake", timezone: "UTC", plans: []string{"2024", "plans/2025.yaml"}, memory: "4GB", threads: 3,
		sources: []sources.Config{
			{Name: "siri_export", Kind: "csv", Path: "../exports/sager.csv", Delimiter: ";",
				Columns: map[string]string{"case_id": "sagsnr", "submitted_at": "modtaget"}},
			{Name: "archive-2023", Kind: "csv", Path: "/data/archive/*.csv", Delimiter: "\t"},
		},
	},
}

// TestGoodConfigs checks the values, defaults and path resolution of every good file.
func TestGoodConfigs(t *testing.T) {
	base, err := filepath.Abs("testdata/config")
	if err != nil {
		t.Fatal(err)
	}
	at := func(p string) string {
		if filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(base, p)
	}
	for name, want := range goodConfigs {
		t.Run(name, func(t *testing.T) {
			cfg, err := config.LoadConfig(filepath.Join("testdata/config", name), configKinds)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Path != filepath.Join(base, name) || cfg.BaseDir() != base {
				t.Errorf("Path %q, BaseDir %q", cfg.Path, cfg.BaseDir())
			}
			if cfg.LakeDir() != at(want.lake) {
				t.Errorf("LakeDir %q, want %q", cfg.LakeDir(), at(want.lake))
			}
			if cfg.Version != 1 || cfg.Timezone != want.timezone || cfg.Location == nil || cfg.Location.String() != want.timezone {
				t.Errorf("version %d, timezone %q, location %v", cfg.Version, cfg.Timezone, cfg.Location)
			}
			if got := cfg.PlanRefs(); !slices.Equal(got, want.plans) {
				t.Errorf("PlanRefs %q, want %q", got, want.plans)
			}
			threads := want.threads
			if threads == 0 {
				threads = runtime.NumCPU()
			}
			if cfg.DuckDB.Threads != threads || cfg.DuckDB.MemoryLimit != want.memory {
				t.Errorf("duckdb %+v, want threads %d, memory %s", cfg.DuckDB, threads, want.memory)
			}
			checkSourceSpecs(t, cfg, want.sources, at)
		})
	}
}

func checkSourceSpecs(t *testing.T, cfg *config.Config, want []sources.Config, at func(string) string) {
	t.Helper()
	if len(cfg.Sources) != len(want) {
		t.Fatalf("%d sources, want %d", len(cfg.Sources), len(want))
	}
	for i, s := range cfg.Sources {
		got, w := cfg.SourceSpec(s), want[i]
		w.Path = at(w.Path)
		if got.Name != w.Name || got.Kind != w.Kind || got.Path != w.Path || got.Delimiter != w.Delimiter ||
			!maps.Equal(got.Columns, w.Columns) || got.Encoding != w.Encoding ||
			got.DatasetOrCases().Name != w.DatasetOrCases().Name {
			t.Errorf("source %d: %+v, want %+v", i, got, w)
		}
	}
}

// TestSourceModes: the mode of each kind of source, max_shrink_pct's precedence (the source's,
// else the global one, else 1) and the case-type map as loaded.
func TestSourceModes(t *testing.T) {
	cfg, err := config.LoadConfig("testdata/config/source_modes.good.yaml", configKinds)
	if err != nil {
		t.Fatal(err)
	}
	drop, snap := cfg.Sources[0], cfg.Sources[1]
	db := config.SourceConfig{Name: "db", Kind: "postgres"}
	inc := config.SourceConfig{Name: "inc", Kind: "postgres", Incremental: &config.IncrementalConfig{Column: "updated_at"}}
	tests := []struct {
		source    config.SourceConfig
		mode      string
		readWhole bool
		limit     float64
	}{
		{drop, config.ModeDelta, false, 2.5},
		{snap, config.ModeSnapshot, true, 0},
		{db, config.ModeSnapshot, true, 2.5},
		{inc, config.ModeDelta, false, 2.5},
	}
	for _, tt := range tests {
		if tt.source.EffectiveMode() != tt.mode || tt.source.ReadWhole() != tt.readWhole || cfg.ShrinkLimitPct(tt.source) != tt.limit {
			t.Errorf("%s: mode %s, read whole %v, limit %g; want %s, %v, %g", tt.source.Name, tt.source.EffectiveMode(),
				tt.source.ReadWhole(), cfg.ShrinkLimitPct(tt.source), tt.mode, tt.readWhole, tt.limit)
		}
	}
	if want := map[string]string{"Lønarbejde": "loenarbejde", "FT": "fasttrack"}; !maps.Equal(drop.CaseTypes, want) {
		t.Errorf("case_types %v, want %v", drop.CaseTypes, want)
	}
	if got := (&config.Config{}).ShrinkLimitPct(drop); got != 1 {
		t.Errorf("default max_shrink_pct %g, want 1", got)
	}
	// An SQL source has no mode: whether it is read whole says what it is.
	path := filepath.Join(t.TempDir(), "sql.yaml")
	body := "lake: l\nplans: [2024]\nsources:\n  - {name: db, kind: postgres, dsn_env: X, table: t, mode: delta}\n"
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = config.LoadConfig(path, []string{"csv", "postgres"})
	if err == nil || !strings.Contains(err.Error(), `sql.yaml:4:60: field "mode": an SQL source has no mode`) {
		t.Errorf("mode on an SQL source: %v", err)
	}
}

// TestLoadConfigMissingFile: an unreadable config is a config error, exit 2.
func TestLoadConfigMissingFile(t *testing.T) {
	_, err := config.LoadConfig(filepath.Join(t.TempDir(), "nosuch.yaml"), configKinds)
	if !errors.Is(err, config.ErrConfig) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("err = %v, want ErrConfig wrapping fs.ErrNotExist", err)
	}
}

// writeConfig writes a config file and the files beside it into a fresh folder and returns the
// config's path.
func writeConfig(t *testing.T, config string, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "scorecard.yaml")
	if err := os.WriteFile(path, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestLoadPlans: the plans load in config order; a plan that cannot be read is an error at its
// reference, and two of one id, however referred to, a config error at the second reference
// naming both; no plan is returned then.
func TestLoadPlans(t *testing.T) {
	builtin, err := os.ReadFile("../../rules/plans/2024.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const body = "lake: ./lake\nplans: %s\nsources:\n  - {name: export, kind: csv, path: cases.csv}\n"
	for _, tt := range []struct {
		name, plans string
		ids         []string
		want        string // after the config's path
	}{
		{"distinct", "[2024, 2020, ./next.yaml]", []string{"2024", "2020", "next"}, ""},
		{"a file copy of a built-in plan", "[2024, ./my2024.yaml]", nil,
			`:2:15: field "plans": plans 1 ("2024", built-in) and 2 ("./my2024.yaml") both have id "2024"`},
		{"a plan file missing", "[2024, ./nosuch.yaml]", nil,
			`:2:15: field "plans": invalid plan: "./nosuch.yaml" is not a built-in plan (2020, 2024) and cannot be read: open `},
		{"one file named two ways", "[2020, my2024.yaml, ./sub/../my2024.yaml]", nil,
			`:2:28: field "plans": plans 2 ("my2024.yaml") and 3 ("./sub/../my2024.yaml") both have id "2024"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			next := strings.Replace(string(builtin), `id: "2024"`, `id: "next"`, 1)
			path := writeConfig(t, strings.Replace(body, "%s", tt.plans, 1),
				map[string][]byte{"my2024.yaml": builtin, "next.yaml": []byte(next)})
			if err := os.Mkdir(filepath.Join(filepath.Dir(path), "sub"), 0o755); err != nil {
				t.Fatal(err)
			}
			cfg, err := config.LoadConfig(path, configKinds)
			if err != nil {
				t.Fatal(err)
			}
			plans, err := config.LoadPlans(cfg, nil)
			if tt.want != "" {
				usage := errors.Is(err, config.ErrConfig) || errors.Is(err, rules.ErrInvalid) // exit 2
				if !usage || !strings.Contains(err.Error(), path+tt.want) || plans != nil {
					t.Fatalf("%d plans, err = %v\nwant ErrConfig or rules.ErrInvalid with %s%s", len(plans), err, path, tt.want)
				}
				return
			}
			var ids []string
			for _, p := range plans {
				ids = append(ids, p.ID)
			}
			if err != nil || !slices.Equal(ids, tt.ids) {
				t.Errorf("plans %q, err %v; want %q", ids, err, tt.ids)
			}
		})
	}
}

// plansLaughs is a config of about 500 bytes whose plans: list holds the "billion laughs":
// nine anchored lists, each of nine aliases of the one before, 9^9 nodes once expanded.
func plansLaughs() string {
	var b strings.Builder
	b.WriteString("lake: ./lake\nsources:\n  - {name: export, kind: csv, path: cases.csv}\nplans:\n")
	b.WriteString("  - &a [x,x,x,x,x,x,x,x,x]\n")
	for c := 'b'; c <= 'i'; c++ {
		fmt.Fprintf(&b, "  - &%c [%s]\n", c, strings.TrimSuffix(strings.Repeat("*"+string(c-1)+",", 9), ","))
	}
	return b.String()
}

// TestConfigLimits: a config is held to the limits of a plan file (rules/limits.go), each
// refused with a config error naming the file and, where there is one, the line.
func TestConfigLimits(t *testing.T) {
	const minimal = "lake: ./lake\nplans: [2024]\nsources:\n  - {name: export, kind: csv, path: cases.csv}\n"
	for _, tt := range []struct {
		name, body, want string // want follows the config's path
	}{
		{"alias bomb under plans", plansLaughs(),
			`:9:9: field "plans[4][0]": aliases expand the document by more than 10000 nodes`},
		{"too large", minimal + "# " + strings.Repeat("x", 300<<10) + "\n",
			": file is larger than the limit of 262144 bytes (256 KiB) for a config file"},
		{"nested", minimal + "duckdb: " + nested(100) + "\n", ":5:40: nested more than 32 levels deep"},
		{"many keys", minimal + "duckdb:" + strings.ReplaceAll("\n"+keyed(300), "\nk", "\n  k"),
			":262:3: a mapping has more than 256 keys"},
		{"tags", "lake: ./lake\nplans: !!seq [2024]\nsources: []\n",
			`:2:8: field "plans": YAML tags such as !!seq are not supported; write the value plainly, or quote it`},
		{"two documents", minimal + "---\n" + minimal, ":6:1: holds more than one YAML document"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := writeConfig(t, tt.body, nil)
			cfg, err := config.LoadConfig(path, configKinds)
			if cfg != nil || !errors.Is(err, config.ErrConfig) || !strings.Contains(err.Error(), path+tt.want) {
				t.Errorf("err = %v\nwant ErrConfig with %s%s", err, path, tt.want)
			}
		})
	}
}

// TestLoadConfigNotAFile: a device, a folder or a named pipe given as the config is refused
// before it is read; /dev/zero would otherwise be read until memory runs out.
func TestLoadConfigNotAFile(t *testing.T) {
	for _, path := range []string{os.DevNull, "/dev/zero", t.TempDir()} {
		if _, err := os.Stat(path); err != nil {
			t.Logf("skipping %s: %v", path, err)
			continue
		}
		_, err := config.LoadConfig(path, configKinds)
		if !errors.Is(err, config.ErrConfig) || !strings.Contains(err.Error(), path+": not a regular file") {
			t.Errorf("%s: err = %v, want ErrConfig saying it is not a regular file", path, err)
		}
	}
}

package pipeline_test

import (
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"scorecard/pipeline"
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
			_, err = pipeline.LoadConfig(file, configKinds)
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
	if !errors.Is(err, pipeline.ErrConfig) {
		t.Fatalf("err = %v, want one wrapping ErrConfig", err)
	}
	var got []string
	for _, line := range strings.Split(strings.TrimPrefix(err.Error(), pipeline.ErrConfig.Error()+":"), "\n") {
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
		lake: "lake", timezone: pipeline.DefaultTimezone, plans: []string{"2024"}, memory: "1GB",
		sources: []sources.Config{{Name: "export", Kind: "csv", Path: "exports/*.csv"}},
	},
	"source_modes.good.yaml": {
		lake: "lake", timezone: pipeline.DefaultTimezone, plans: []string{"2024"}, memory: "1GB",
		sources: []sources.Config{
			{Name: "drop", Kind: "csv", Path: "drop/*.csv", Encoding: "windows-1252"},
			{Name: "snap", Kind: "csv", Path: "snap/*.csv", Encoding: "iso-8859-1"},
		},
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
			cfg, err := pipeline.LoadConfig(filepath.Join("testdata/config", name), configKinds)
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

func checkSourceSpecs(t *testing.T, cfg *pipeline.Config, want []sources.Config, at func(string) string) {
	t.Helper()
	if len(cfg.Sources) != len(want) {
		t.Fatalf("%d sources, want %d", len(cfg.Sources), len(want))
	}
	for i, s := range cfg.Sources {
		got, w := cfg.SourceSpec(s), want[i]
		w.Path = at(w.Path)
		if got.Name != w.Name || got.Kind != w.Kind || got.Path != w.Path || got.Delimiter != w.Delimiter ||
			!maps.Equal(got.Columns, w.Columns) || got.Encoding != w.Encoding {
			t.Errorf("source %d: %+v, want %+v", i, got, w)
		}
	}
}

// TestSourceModes: the mode of each kind of source, max_shrink_pct's precedence (the source's,
// else the global one, else 1) and the case-type map as loaded.
func TestSourceModes(t *testing.T) {
	cfg, err := pipeline.LoadConfig("testdata/config/source_modes.good.yaml", configKinds)
	if err != nil {
		t.Fatal(err)
	}
	drop, snap := cfg.Sources[0], cfg.Sources[1]
	db := pipeline.SourceConfig{Name: "db", Kind: "postgres"}
	inc := pipeline.SourceConfig{Name: "inc", Kind: "postgres", Incremental: &pipeline.IncrementalConfig{Column: "updated_at"}}
	tests := []struct {
		source    pipeline.SourceConfig
		mode      string
		readWhole bool
		limit     float64
	}{
		{drop, pipeline.ModeDelta, false, 2.5},
		{snap, pipeline.ModeSnapshot, true, 0},
		{db, pipeline.ModeSnapshot, true, 2.5},
		{inc, pipeline.ModeDelta, false, 2.5},
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
	if got := (&pipeline.Config{}).ShrinkLimitPct(drop); got != 1 {
		t.Errorf("default max_shrink_pct %g, want 1", got)
	}
	// An SQL source has no mode: whether it is read whole says what it is.
	path := filepath.Join(t.TempDir(), "sql.yaml")
	body := "lake: l\nplans: [2024]\nsources:\n  - {name: db, kind: postgres, dsn_env: X, table: t, mode: delta}\n"
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = pipeline.LoadConfig(path, []string{"csv", "postgres"})
	if err == nil || !strings.Contains(err.Error(), `sql.yaml:4:60: field "mode": an SQL source has no mode`) {
		t.Errorf("mode on an SQL source: %v", err)
	}
}

// TestLoadConfigMissingFile: an unreadable config is a config error, exit 2.
func TestLoadConfigMissingFile(t *testing.T) {
	_, err := pipeline.LoadConfig(filepath.Join(t.TempDir(), "nosuch.yaml"), configKinds)
	if !errors.Is(err, pipeline.ErrConfig) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("err = %v, want ErrConfig wrapping fs.ErrNotExist", err)
	}
}

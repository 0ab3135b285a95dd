package outputs

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestKinds(t *testing.T) {
	want := []string{"at_risk_csv", "csv", "html", "json", "postgres", "requirements_csv", "xlsx"}
	if got := Kinds(); !slices.Equal(got, want) {
		t.Fatalf("Kinds() = %v, want %v", got, want)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
		is   error
	}{
		{Config{Kind: "parquet", Path: "/x"}, `unknown output kind "parquet" (known: at_risk_csv, csv, html, json, postgres, requirements_csv, xlsx)`, ErrUnknownKind},
		{Config{Kind: "requirements_csv"}, "requirements_csv output needs a path", ErrConfig},
		{Config{Kind: "postgres", Table: strings.Repeat("t", 51), DSN: "postgres://x"}, "is too long for its requirements table", ErrConfig},
		{Config{Kind: "csv"}, "csv output needs a path", ErrConfig},
		{Config{Kind: "at_risk_csv"}, "at_risk_csv output needs a path", ErrConfig},
		{Config{Kind: "postgres", Table: "a.b.c", DSN: "postgres://x"}, `postgres table "a.b.c" is not table or schema.table`, ErrConfig},
		{Config{Kind: "postgres", Table: "s.", DSN: "postgres://x"}, `postgres table "s." is not table or schema.table`, ErrConfig},
		{Config{Kind: "postgres", DSNEnv: "SCORECARD_PG"}, "postgres output scorecard has no connection string (set $SCORECARD_PG)", ErrConfig},
	} {
		_, err := New(tc.cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, tc.is) {
			t.Errorf("New(%+v) = %v, want %q wrapping %v", tc.cfg, err, tc.want, tc.is)
		}
	}
}

func TestNames(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{Kind: "xlsx", Path: "/srv/out/scorecard.xlsx"}, "xlsx /srv/out/scorecard.xlsx"},
		{Config{Kind: "at_risk_csv", Path: "/srv/out/at_risk.csv"}, "at_risk_csv /srv/out/at_risk.csv"},
		{Config{Kind: "postgres", DSN: "postgres://u:pw@h/db", DSNEnv: "PG_DSN"}, "postgres scorecard ($PG_DSN)"},
		{Config{Kind: "postgres", Table: "bi.scorecard", DSN: "postgres://u:pw@h/db"}, "postgres bi.scorecard"},
	} {
		l, err := New(tc.cfg)
		if err != nil {
			t.Fatal(err)
		}
		if l.Name() != tc.want {
			t.Errorf("Name() = %q, want %q", l.Name(), tc.want)
		}
	}
}

// A file loader that cannot write says which loader failed.
func TestFileLoaderErrorNamesLoader(t *testing.T) {
	dir := t.TempDir()
	notADir := filepath.Join(dir, "file")
	if err := os.WriteFile(notADir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	r := testReport(t)
	for _, kind := range []string{"csv", "json", "xlsx", "html", "at_risk_csv", "requirements_csv"} {
		l, err := New(Config{Kind: kind, Path: filepath.Join(notADir, "scorecard."+kind)})
		if err != nil {
			t.Fatal(err)
		}
		err = l.Load(context.Background(), r)
		if err == nil || !strings.HasPrefix(err.Error(), l.Name()+": ") {
			t.Errorf("%s: Load = %v, want an error starting with the loader's name", kind, err)
		}
	}
}

// A write that fails half way leaves the previous file as it was and no
// temporary file behind.
func TestWriteAtomicKeepsOldFileOnError(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "scorecard.csv")
	if err := os.WriteFile(path, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := writeAtomic(path, func(w io.Writer) error {
		w.Write([]byte("half a new file"))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("writeAtomic = %v, want boom", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "old\n" {
		t.Errorf("file = %q, want the old content", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("dir holds %d entries, want only the file", len(entries))
	}
}

// Loading the same report twice gives the same bytes, and the file is
// readable by others.
func TestFileLoadersRerun(t *testing.T) {
	r := testReport(t)
	for _, kind := range []string{"csv", "json", "html", "at_risk_csv", "requirements_csv"} {
		path := filepath.Join(t.TempDir(), "scorecard."+kind)
		first := loadFile(t, Config{Kind: kind, Path: path}, r)
		second := loadFile(t, Config{Kind: kind, Path: path}, r)
		if string(first) != string(second) {
			t.Errorf("%s: a rerun changed the file", kind)
		}
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v, %v; want 0644", kind, fi.Mode(), err)
		}
		if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
			t.Errorf("%s: %d files in the folder, want 1", kind, len(entries))
		}
	}
}

// loadFile runs a file loader and returns what it wrote.
func loadFile(t *testing.T, cfg Config, r *Report) []byte {
	t.Helper()
	l, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Load(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(cfg.Path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// A lake with no scorecard rows yet (a plan's first night before any
// decision), and no forecast (a lake written before forecasts), still gives
// every output, with the plans' targets and no figures.
func TestEmptyReport(t *testing.T) {
	r := testReport(t)
	r.Rows, r.Quarantine, r.Run, r.Forecast, r.AtRisk = nil, nil, Lineage{}, nil, nil
	r.Requirements, r.AppointmentDays = nil, nil
	for _, kind := range []string{"csv", "json", "xlsx", "html", "at_risk_csv", "requirements_csv"} {
		data := loadFile(t, Config{Kind: kind, Path: filepath.Join(t.TempDir(), "scorecard."+kind)}, r)
		switch kind {
		case "csv":
			if string(data) != strings.Join(Columns, ",")+"\n" {
				t.Errorf("csv = %q, want the header alone", data)
			}
		case "json":
			if string(data) != "{\n\"scorecard\": [\n],\n\"requirements\": [\n]\n}\n" {
				t.Errorf("json = %q, want a document of two empty arrays", data)
			}
		case "html":
			if n := strings.Count(string(data), "data-target-id="); n != 15 {
				t.Errorf("html has %d target sections, want 15", n)
			}
			if strings.Contains(string(data), "data-forecast-plan=") {
				t.Error("html has a forecast part without a forecast")
			}
		case "at_risk_csv":
			if string(data) != strings.Join(AtRiskColumns, ",")+"\n" {
				t.Errorf("at_risk_csv = %q, want the header alone", data)
			}
		case "requirements_csv":
			if string(data) != strings.Join(RequirementColumns, ",")+"\n" {
				t.Errorf("requirements_csv = %q, want the header alone", data)
			}
		}
	}
}

package csv

import (
	"context"
	stdcsv "encoding/csv"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"scorecard/sources"
)

func TestCSVSourceErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		cfg   sources.Config
		want  string // the error text, with DIR standing for the test's directory
		is    error
	}{
		{
			name:  "missing required column",
			files: map[string]string{"c.csv": "case_id,case_type,submitted_at\n1,phd,2024-01-01\n"},
			want:  `DIR/c.csv: missing required column "first_time"`,
			is:    sources.ErrMissingColumn,
		},
		{
			name:  "missing mapped required column",
			files: map[string]string{"c.csv": "case_id,case_type,first_time,submitted_at\n"},
			cfg:   sources.Config{Columns: map[string]string{"submitted_at": "modtaget"}},
			want:  `DIR/c.csv: missing required column "modtaget" (mapped to submitted_at)`,
			is:    sources.ErrMissingColumn,
		},
		{
			name:  "mapping to an absent optional column",
			files: map[string]string{"c.csv": "case_id,case_type,first_time,submitted_at\n"},
			cfg:   sources.Config{Columns: map[string]string{"decided_at": "afgjort"}},
			want:  `DIR/c.csv: missing column "afgjort" (mapped to decided_at)`,
			is:    sources.ErrMissingColumn,
		},
		{
			name:  "every file's header checked at open",
			files: map[string]string{"a.csv": header, "b.csv": "case_id,case_type,submitted_at\n1\n"},
			cfg:   sources.Config{Path: "*.csv"},
			want:  `DIR/b.csv: missing required column "first_time"`,
			is:    sources.ErrMissingColumn,
		},
		{
			name:  "duplicate column",
			files: map[string]string{"c.csv": strings.TrimSuffix(header, "\n") + ",case_id\n"},
			want:  `DIR/c.csv: column "case_id" appears 2 times in the header`,
			is:    sources.ErrDuplicateColumn,
		},
		{
			name: "no files",
			cfg:  sources.Config{Path: "exports/*.csv"},
			want: `no files match "DIR/exports/*.csv"`,
			is:   sources.ErrNoFiles,
		},
		{
			name:  "empty file",
			files: map[string]string{"c.csv": ""},
			want:  `DIR/c.csv: no header line`,
			is:    sources.ErrNoHeader,
		},
		{
			name:  "bare quote",
			files: map[string]string{"c.csv": header + "1,phd,1,,,2024-01-01,,\n2,ph\"d,1,,,2024-01-01,,\n"},
			want:  `DIR/c.csv:3:5: bare " in non-quoted-field`,
			is:    stdcsv.ErrBareQuote,
		},
		{
			name:  "unterminated quote",
			files: map[string]string{"c.csv": header + "1,phd,1,,,2024-01-01,,\n\"2,phd,1\n\n3,x\n"},
			want:  `DIR/c.csv:5:5: extraneous or missing " in quoted-field (in the record starting on line 3)`,
		},
		{
			name: "unknown canonical column in the mapping",
			cfg:  sources.Config{Columns: map[string]string{"sagsnummer": "case_id"}},
			want: `columns: unknown canonical column "sagsnummer" (allowed: case_id, case_type, first_time, complex, has_service_target, submitted_at, decided_at, updated_at; the map is canonical name: source column, so perhaps case_id: sagsnummer)`,
			is:   sources.ErrUnknownColumn,
		},
		{
			name: "bad delimiter",
			cfg:  sources.Config{Delimiter: ";;"},
			want: `invalid source config: delimiter ";;" must be one character, not a quote or line break`,
			is:   sources.ErrInvalidConfig,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := setup(t, tt.files, tt.cfg)
			_, _, err := readAll(t, cfg)
			dir := filepath.Dir(strings.TrimSuffix(cfg.Path, tt.cfg.Path)) // the temp dir
			want := strings.ReplaceAll(tt.want, "DIR", dir)
			if err == nil || err.Error() != want {
				t.Fatalf("error = %v\nwant    %s", err, want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error is not %v", tt.is)
			}
		})
	}
}

func TestLifecycle(t *testing.T) {
	cfg := setup(t, map[string]string{"c.csv": header + "1,phd,1,,,d,,\n"}, sources.Config{})
	src, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := src.Next(ctx); !errors.Is(err, sources.ErrNotOpen) {
		t.Errorf("Next before Open = %v, want ErrNotOpen", err)
	}
	if err := src.Open(ctx); err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := src.Next(cancelled); !errors.Is(err, context.Canceled) {
		t.Errorf("Next with a cancelled context = %v", err)
	}
	for range 3 {
		if err := src.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	}
	if _, err := src.Next(ctx); !errors.Is(err, sources.ErrNotOpen) && !errors.Is(err, io.EOF) {
		t.Errorf("Next after Close = %v", err)
	}
}

func TestRegistryBuildsCSV(t *testing.T) {
	reg := sources.NewRegistry()
	reg.Register(Kind, New)
	cfg := setup(t, map[string]string{"c.csv": header + "1,phd,1,,,d,,\n"}, sources.Config{})
	src, err := reg.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := src.(*Source); !ok {
		t.Errorf("registry built %T, want *csv.Source", src)
	}
}

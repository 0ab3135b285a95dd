package csv

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"scorecard/sources"
)

// setup writes files into a temporary directory and returns cfg with its
// Path made absolute there (default "c.csv") and a checked allocator that
// fails the test if a buffer leaks.
func setup(t *testing.T, files map[string]string, cfg sources.Config) sources.Config {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if cfg.Path == "" {
		cfg.Path = "c.csv"
	}
	cfg.Path = filepath.Join(dir, cfg.Path)
	cfg.Kind = Kind
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	cfg.Allocator = mem
	return cfg
}

// readAll opens a source for cfg and reads it to the end, returning the rows,
// the size of each batch and the first error (from New, Open or Next).
func readAll(t *testing.T, cfg sources.Config) ([]row, []int64, error) {
	t.Helper()
	src, err := New(cfg)
	if err != nil {
		return nil, nil, err
	}
	defer func() {
		if err := src.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	}()
	ctx := context.Background()
	if err := src.Open(ctx); err != nil {
		return nil, nil, err
	}
	var rows []row
	var sizes []int64
	for {
		rec, err := src.Next(ctx)
		if errors.Is(err, io.EOF) {
			return rows, sizes, checkEOF(ctx, src)
		}
		if err != nil {
			return rows, sizes, err
		}
		sizes = append(sizes, rec.NumRows())
		rows = append(rows, toRows(t, rec)...)
		rec.Release()
	}
}

// checkEOF checks that Next keeps returning io.EOF after the last batch.
func checkEOF(ctx context.Context, src sources.Source) error {
	if _, err := src.Next(ctx); !errors.Is(err, io.EOF) {
		return errors.New("second Next after the end did not return io.EOF")
	}
	return nil
}

func toRows(t *testing.T, rec arrow.RecordBatch) []row {
	t.Helper()
	if !rec.Schema().Equal(sources.RawSchema()) {
		t.Fatalf("schema = %s", rec.Schema())
	}
	files := rec.Column(8).(*array.String)
	lines := rec.Column(9).(*array.Int64)
	var defects *array.String
	if at := rec.Schema().FieldIndices(sources.DefectColumn); len(at) == 1 {
		defects = rec.Column(at[0]).(*array.String)
	}
	rows := make([]row, rec.NumRows())
	for i := range rows {
		rows[i].file = filepath.Base(files.Value(i))
		rows[i].line = lines.Value(i)
		if defects != nil && defects.IsValid(i) {
			rows[i].defect = defects.Value(i)
		}
		for c := range rows[i].vals {
			col := rec.Column(c).(*array.String)
			rows[i].vals[c] = N
			if col.IsValid(i) {
				rows[i].vals[c] = col.Value(i)
			}
		}
	}
	return rows
}

func compare(t *testing.T, got, want []row) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d rows, want %d:\n got %+v\nwant %+v", len(got), len(want), got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

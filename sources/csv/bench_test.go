package csv

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"scorecard/sources"
)

const benchRows = 200_000

// BenchmarkCSVSource reads a generated file of 200k rows per iteration and
// reports the throughput in rows/s.
func BenchmarkCSVSource(b *testing.B) {
	path := filepath.Join(b.TempDir(), "cases.csv")
	if err := writeBenchFile(path, benchRows); err != nil {
		b.Fatal(err)
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(b, 0)
	cfg := sources.Config{Kind: Kind, Path: path, Allocator: mem}
	var rows int64
	for b.Loop() {
		n, err := countRows(cfg)
		if err != nil {
			b.Fatal(err)
		}
		rows += n
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

func writeBenchFile(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprint(w, "sagsnummer;case_type;first_time;complex;has_service_target;submitted_at;decided_at;updated_at;note\n")
	for i := range n {
		fmt.Fprintf(w, "S-%07d;loenarbejde;ja;nej;;2024-%02d-%02d;2024-%02d-%02dT10:%02d:00+01:00;;\"note; %d\"\n",
			i, i%12+1, i%28+1, (i+1)%12+1, i%28+1, i%60, i)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func countRows(cfg sources.Config) (int64, error) {
	ctx := context.Background()
	cfg.Columns = map[string]string{"case_id": "sagsnummer"}
	src, err := New(cfg)
	if err != nil {
		return 0, err
	}
	defer src.Close()
	if err := src.Open(ctx); err != nil {
		return 0, err
	}
	var n int64
	for {
		rec, err := src.Next(ctx)
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n += rec.NumRows()
		rec.Release()
	}
}

// TestMemoryStaysFlat reads 50k rows in batches of 1000 and checks that the
// Arrow memory held never exceeds a few batches' worth.
func TestMemoryStaysFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 50k-row file")
	}
	cfg := setup(t, nil, sources.Config{BatchSize: 1000, Columns: map[string]string{"case_id": "sagsnummer"}})
	if err := writeBenchFile(cfg.Path, 50_000); err != nil {
		t.Fatal(err)
	}
	mem := cfg.Allocator.(*memory.CheckedAllocator)
	src, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	ctx := context.Background()
	if err := src.Open(ctx); err != nil {
		t.Fatal(err)
	}
	peak, rows := 0, int64(0)
	for {
		rec, err := src.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		peak = max(peak, mem.CurrentAlloc())
		rows += rec.NumRows()
		rec.Release()
	}
	if rows != 50_000 || peak > 1<<20 {
		t.Errorf("read %d rows with a peak of %d bytes, want 50000 rows under 1 MiB", rows, peak)
	}
	t.Logf("peak Arrow memory %d bytes", peak)
}

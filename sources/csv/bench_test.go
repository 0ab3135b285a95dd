package csv

import (
	"bufio"
	"bytes"
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
	benchRead(b, path)
}

// benchRead reads the file of benchRows rows once per iteration and reports rows/s.
func benchRead(b *testing.B, path string) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(b, 0)
	cfg := sources.Config{Kind: Kind, Path: path, Allocator: mem}
	var rows int64
	for b.Loop() {
		n, err := countRows(cfg)
		if err != nil || n != benchRows {
			b.Fatalf("read %d rows: %v", n, err)
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

// lfFile writes the file of BenchmarkCSVSource and returns its text, with LF line ends.
func lfFile(b *testing.B) []byte {
	b.Helper()
	path := filepath.Join(b.TempDir(), "cases.csv")
	if err := writeBenchFile(path, benchRows); err != nil {
		b.Fatal(err)
	}
	text, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	return text
}

// withLineEnds replaces the LF line ends of text with those named: LF, CRLF or CR.
func withLineEnds(text []byte, end string) []byte {
	return bytes.ReplaceAll(text, []byte("\n"), []byte(map[string]string{"LF": "\n", "CRLF": "\r\n", "CR": "\r"}[end]))
}

// BenchmarkLineEnds reads the file of BenchmarkCSVSource with each kind of line end: LF, CRLF
// and CR alone (old Mac, which lineEnds makes LF).
func BenchmarkLineEnds(b *testing.B) {
	text := lfFile(b)
	for _, end := range []string{"LF", "CRLF", "CR"} {
		b.Run(end, func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "cases.csv")
			body := withLineEnds(text, end)
			if err := os.WriteFile(path, body, 0o644); err != nil {
				b.Fatal(err)
			}
			benchRead(b, path)
		})
	}
}

// BenchmarkLineEndsScan reads the file of BenchmarkCSVSource, in each kind of line end, line
// by line as encoding/csv reads it, without parsing it: through lineEnds as newCSVFile sets it
// up, and for comparison ("plain") through the buffered file alone, as encoding/csv read it
// before lineEnds.
func BenchmarkLineEndsScan(b *testing.B) {
	text := lfFile(b)
	for _, end := range []string{"LF", "CRLF", "CR"} {
		body := withLineEnds(text, end)
		for _, plain := range []bool{true, false} {
			b.Run(fmt.Sprintf("%s/plain=%v", end, plain), func(b *testing.B) {
				b.SetBytes(int64(len(body)))
				for b.Loop() {
					br := bufio.NewReaderSize(bytes.NewReader(body), bufSize)
					if !plain {
						br = csvInput(newLineEnds(br))
					}
					if err := drain(br); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// drain reads br to the end, line by line.
func drain(br *bufio.Reader) error {
	for {
		_, err := br.ReadSlice('\n')
		if err == io.EOF {
			return nil
		}
		if err != nil && err != bufio.ErrBufferFull {
			return err
		}
	}
}

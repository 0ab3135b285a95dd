package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"scorecard/sources"
)

// landingSchema is what a raw landing file holds: the extractor's raw columns plus the time of
// extraction. The source and the run are the file's Hive partition keys.
func landingSchema() *arrow.Schema {
	fields := append([]arrow.Field{}, sources.RawSchema().Fields()...)
	fields = append(fields, arrow.Field{Name: "extracted_at", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}})
	return arrow.NewSchema(fields, nil)
}

// landed is what the stage step wrote for one source.
type landed struct {
	Source      string
	Kind        string
	Path        string // the raw landing file, in the run's staging folder
	Rows        int64
	ExtractedAt time.Time
}

// stageSource extracts one source into a raw landing Parquet file under dir, streaming batch by
// batch so memory does not grow with the source.
func stageSource(ctx context.Context, src sources.Source, name, kind, dir string, mem memory.Allocator, progress Progress) (landed, error) {
	out := landed{Source: name, Kind: kind, ExtractedAt: time.Now().UTC()}
	out.Path = filepath.Join(dir, "part-00000.parquet")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return out, err
	}
	if err := src.Open(ctx); err != nil {
		return out, err
	}
	defer src.Close()
	f, err := os.Create(out.Path)
	if err != nil {
		return out, err
	}
	defer f.Close()
	schema := landingSchema()
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Snappy), parquet.WithDictionaryDefault(false), parquet.WithAllocator(mem))
	w, err := pqarrow.NewFileWriter(schema, f, props, pqarrow.NewArrowWriterProperties(pqarrow.WithAllocator(mem)))
	if err != nil {
		return out, err
	}
	if out.Rows, err = copyBatches(ctx, src, w, schema, out.ExtractedAt, mem, progress); err != nil {
		w.Close()
		return out, err
	}
	if err := w.Close(); err != nil {
		return out, fmt.Errorf("writing %s: %w", out.Path, err)
	}
	return out, syncFile(out.Path)
}

// copyBatches writes every batch of src to w with the extracted_at column added.
func copyBatches(ctx context.Context, src sources.Source, w *pqarrow.FileWriter, schema *arrow.Schema, at time.Time, mem memory.Allocator, progress Progress) (int64, error) {
	var rows int64
	stamp := arrow.Timestamp(at.UnixMicro())
	for {
		batch, err := src.Next(ctx)
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		rec := withExtractedAt(batch, schema, stamp, mem)
		batch.Release()
		err = w.Write(rec)
		rows += rec.NumRows()
		progress.Rows(rec.NumRows())
		rec.Release()
		if err != nil {
			return rows, err
		}
	}
}

func withExtractedAt(batch arrow.RecordBatch, schema *arrow.Schema, stamp arrow.Timestamp, mem memory.Allocator) arrow.RecordBatch {
	b := array.NewTimestampBuilder(mem, schema.Field(schema.NumFields()-1).Type.(*arrow.TimestampType))
	defer b.Release()
	n := int(batch.NumRows())
	b.Reserve(n)
	for i := 0; i < n; i++ {
		b.UnsafeAppend(stamp)
	}
	stamps := b.NewArray()
	defer stamps.Release()
	cols := append(append([]arrow.Array{}, batch.Columns()...), stamps)
	return array.NewRecordBatch(schema, cols, int64(n))
}

package stage

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"scorecard/pipeline/engine"
	"scorecard/pipeline/runstate"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"golang.org/x/sync/errgroup"

	"scorecard/sources"
)

// landingSchema is what a raw landing file of dataset d holds: the extractor's raw columns plus
// the time of extraction. The source and the run are the file's Hive partition keys.
func landingSchema(d sources.Dataset) *arrow.Schema {
	fields := append([]arrow.Field{}, d.RawSchema().Fields()...)
	fields = append(fields, arrow.Field{Name: "extracted_at", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}})
	return arrow.NewSchema(fields, nil)
}

// partPath names the n-th raw landing file of a source.
func partPath(dir string, n int) string {
	return filepath.Join(dir, fmt.Sprintf("part-%05d.parquet", n))
}

// stageSource lands one source under dir: the files DuckDB can read itself through it, a few
// at a time, and the rest streamed batch by batch through the source, so memory does not grow
// with the source either way.
func (r *run) stageSource(ctx context.Context, spec sources.Config, dir string) (runstate.Landed, error) {
	// Microseconds, as stored: the parts DuckDB writes and the streamed one must agree exactly,
	// since the latest extraction wins a tie between two records of a case.
	out := runstate.Landed{Source: spec.Name, Kind: spec.Kind, Dataset: spec.DatasetOrCases().Name,
		ExtractedAt: time.Now().UTC().Truncate(time.Microsecond)}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return out, err
	}
	src, err := r.Opts.Sources.New(spec)
	if err != nil {
		return out, err
	}
	stream := len(spec.Files) // the streamed part is numbered after one per file
	if direct, ok := src.(sources.DirectReader); ok && len(spec.Files) > 0 {
		rest, err := r.landDirect(ctx, direct, spec.Files, dir, &out)
		if err != nil {
			return out, err
		}
		if len(rest) == 0 {
			return out, nil
		}
		spec.Files = rest
		if src, err = r.Opts.Sources.New(spec); err != nil {
			return out, err
		}
	}
	part := runstate.LandedPart{Path: partPath(dir, stream)}
	schema := landingSchema(spec.DatasetOrCases())
	if part.Rows, err = streamSource(ctx, src, part.Path, schema, out.ExtractedAt, r.Opts.Allocator, r.Opts.Progress); err != nil {
		return out, err
	}
	out.Parts = append(out.Parts, part)
	out.Rows += part.Rows
	return out, nil
}

// landDirect has DuckDB copy each file it can read itself into its own landing file, running
// as many files at once as DuckDB has threads, largest first, each on one thread or on all
// (oneThreadEach; the check of the file runs in the same turn).
// It returns the files left for streaming: those the source declined and those DuckDB failed
// on, which the streaming reader reads again and reports precisely.
func (r *run) landDirect(ctx context.Context, src sources.DirectReader, files []string, dir string, out *runstate.Landed) ([]string, error) {
	defer engine.Timing("go: land direct", time.Now())
	type result struct {
		part runstate.LandedPart // no Path when the source declined the file
		err  error               // DuckDB's
	}
	results := make([]result, len(files))
	threads := r.Eng.Threads
	order, err := largestFirst(files)
	if err != nil {
		return nil, err
	}
	err = r.Eng.Landing(ctx, oneThreadEach(order, threads), func() error {
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(threads)
		for _, o := range order {
			n, file := o.index, files[o.index]
			g.Go(func() error {
				query, firstRow, err := src.DirectQuery(file)
				if err != nil || query == "" {
					return err
				}
				res := &results[n]
				res.part = runstate.LandedPart{Path: partPath(dir, n), FirstRow: firstRow}
				res.part.Rows, res.err = r.Eng.CopyOnOwnConn(gctx, query, res.part.Path, out.ExtractedAt, firstRow)
				if err := gctx.Err(); err != nil {
					return err
				}
				r.Opts.Progress.Rows(res.part.Rows)
				return nil
			})
		}
		return g.Wait()
	})
	if err != nil {
		return nil, err
	}
	var rest []string
	for n, file := range files {
		res := results[n]
		switch {
		case res.part.Path == "":
			rest = append(rest, file)
		case res.err != nil:
			r.Log.Info().Str(runstate.FieldSource, out.Source).Str("file", file).Err(res.err).Msg("file left to the streaming reader")
			os.Remove(res.part.Path)
			rest = append(rest, file)
		default: // flushed to disk once in the version (flushing)
			out.Parts = append(out.Parts, res.part)
			out.Rows += res.part.Rows
		}
	}
	return rest, nil
}

// fileSize is a file to land, by its index in the source's files.
type fileSize struct {
	index int
	size  int64
}

// largestFirst returns the files from the largest to the smallest, so that the last files
// landed are small ones, not a large one landing alone on one thread.
func largestFirst(files []string) ([]fileSize, error) {
	order := make([]fileSize, len(files))
	for i, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			return nil, err
		}
		order[i] = fileSize{index: i, size: st.Size()}
	}
	slices.SortStableFunc(order, func(a, b fileSize) int { return cmp.Compare(b.size, a.size) })
	return order, nil
}

// oneThreadEach reports whether files (largest first) are better landed one per thread, each
// copy on a thread of its own: when there are several threads, files at least as many, and no
// file larger than a thread's even share of them all (else a large file read by one thread
// would keep the others waiting).
func oneThreadEach(files []fileSize, threads int) bool {
	if threads < 2 || len(files) < threads {
		return false
	}
	var total int64
	for _, f := range files {
		total += f.size
	}
	return files[0].size*int64(threads) <= total
}

// streamSource extracts a source into one raw landing file, batch by batch.
func streamSource(ctx context.Context, src sources.Source, path string, schema *arrow.Schema, at time.Time, mem memory.Allocator, progress runstate.Progress) (int64, error) {
	if err := src.Open(ctx); err != nil {
		return 0, err
	}
	defer src.Close()
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Snappy), parquet.WithDictionaryDefault(false), parquet.WithAllocator(mem))
	w, err := pqarrow.NewFileWriter(schema, f, props, pqarrow.NewArrowWriterProperties(pqarrow.WithAllocator(mem)))
	if err != nil {
		return 0, err
	}
	rows, err := copyBatches(ctx, src, w, schema, at, mem, progress)
	if err != nil {
		w.Close()
		return rows, err
	}
	if err := w.Close(); err != nil {
		return rows, fmt.Errorf("writing %s: %w", path, err)
	}
	return rows, nil // flushed to disk once in the version (flushing)
}

// copyBatches writes every batch of src to w with the extracted_at column added.
func copyBatches(ctx context.Context, src sources.Source, w *pqarrow.FileWriter, schema *arrow.Schema, at time.Time, mem memory.Allocator, progress runstate.Progress) (int64, error) {
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

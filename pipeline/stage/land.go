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
	stream := len(spec.Files) // the streamed part is numbered after the direct ones
	if direct, ok := src.(sources.DirectReader); ok && len(spec.Files) > 0 {
		var rest []string
		rest, stream, err = r.landDirect(ctx, direct, spec.Files, dir, &out)
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

// landDirect has DuckDB copy each file it can read itself into landing files of its own, one
// per piece of the file (piecesPerFile), running as many pieces at once as DuckDB has threads,
// largest first, each on one thread or on all (the check of a file whole runs in the same
// turn, that of a file in pieces while they start). Parts are numbered by file and piece.
// It returns the files left for streaming (those the source declined and those DuckDB failed
// on, which the streaming reader reads again and reports precisely) and the number after the
// last part's.
func (r *run) landDirect(ctx context.Context, src sources.DirectReader, files []string, dir string, out *runstate.Landed) ([]string, int, error) {
	defer engine.Timing("go: land direct", time.Now())
	type task struct {
		size  int64 // the piece's share of its file
		piece sources.DirectPiece
		part  runstate.LandedPart // no Path when the source declined the file
		err   error               // DuckDB's
	}
	threads := r.Eng.Threads
	order, err := largestFirst(files)
	if err != nil {
		return nil, 0, err
	}
	pieces, oneEach := piecesPerFile(order, threads)
	first := make([]int, len(files)+1) // the part number of each file's first piece
	for i, n := range pieces {
		first[i+1] = first[i] + n
	}
	scratch := filepath.Join(r.Staging, "pieces")
	byFile := make([][]*task, len(files))
	var tasks []*task // the order they are copied in
	defer func() {
		for _, t := range tasks {
			t.piece.Close()
		}
	}()
	for _, o := range order {
		ps, err := src.DirectPieces(files[o.index], pieces[o.index], scratch)
		if err != nil {
			return nil, 0, err
		}
		for j, p := range ps {
			t := &task{size: o.size / int64(len(ps)), piece: p, part: runstate.LandedPart{Path: partPath(dir, first[o.index]+j)}}
			byFile[o.index] = append(byFile[o.index], t)
			tasks = append(tasks, t)
		}
	}
	slices.SortStableFunc(tasks, func(a, b *task) int { return cmp.Compare(b.size, a.size) })
	err = r.Eng.Landing(ctx, oneEach, func() error {
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(threads)
		for _, t := range tasks {
			g.Go(func() error {
				query, firstRow, err := t.piece.Query()
				if err != nil || query == "" {
					t.part.Path = ""
					return err
				}
				t.part.FirstRow = firstRow
				t.part.Rows, t.err = r.Eng.CopyOnOwnConn(gctx, query, t.part.Path, out.ExtractedAt, firstRow)
				if err := gctx.Err(); err != nil {
					return err
				}
				r.Opts.Progress.Rows(t.part.Rows)
				return t.piece.Close()
			})
		}
		return g.Wait()
	})
	if err != nil {
		return nil, 0, err
	}
	// A file lands whole or not at all: its parts in piece order, or streamed.
	var rest []string
	for n, file := range files {
		var failed error
		declined := len(byFile[n]) == 0
		for _, t := range byFile[n] {
			declined = declined || t.part.Path == ""
			failed = cmp.Or(failed, t.err)
		}
		switch {
		case declined:
			rest = append(rest, file)
		case failed != nil:
			r.Log.Info().Str(runstate.FieldSource, out.Source).Str("file", file).Err(failed).Msg("file left to the streaming reader")
			for _, t := range byFile[n] {
				os.Remove(t.part.Path)
			}
			rest = append(rest, file)
		default: // flushed to disk once in the version (flushing)
			for _, t := range byFile[n] {
				out.Parts = append(out.Parts, t.part)
				out.Rows += t.part.Rows
			}
		}
	}
	return rest, first[len(files)], nil
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

// minPieceBytes is the least a piece of a file landed in pieces holds: below it, the copies
// saved are worth less than the statements and scratch files they take.
var minPieceBytes int64 = 8 << 20

// piecesPerFile returns how many pieces each file (by index) is landed in, and whether the
// pieces are copied one per thread. Several threads keeping one file's order work a third
// more than one alone (DuckDB plans a batch copy that buffers and reorders what they read),
// so files are copied one per thread when they can keep every thread busy (oneThreadEach),
// and otherwise a file larger than a thread's even share is cut into pieces of about that
// share, each copied on a thread of its own. Files too small to cut are copied whole on all
// threads, keeping their order.
func piecesPerFile(files []fileSize, threads int) ([]int, bool) {
	pieces := make([]int, len(files))
	for i := range pieces {
		pieces[i] = 1
	}
	if threads < 2 {
		return pieces, false
	}
	if oneThreadEach(files, threads) {
		return pieces, true
	}
	var total int64
	for _, f := range files {
		total += f.size
	}
	share := max(total/int64(threads), 1)
	cut := false
	for _, f := range files {
		n := min(int64(threads), (f.size+share-1)/share, f.size/minPieceBytes)
		if n >= 2 {
			pieces[f.index] = int(n)
			cut = true
		}
	}
	return pieces, cut
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

package sources

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// RawBuilder accumulates rows into record batches with RawSchema. Its
// buffers are handed over with each batch, so it holds at most one batch.
type RawBuilder struct {
	rb   *array.RecordBuilder
	cols []*array.StringBuilder
	file *array.StringBuilder
	row  *array.Int64Builder
}

// NewRawBuilder returns a RawBuilder allocating from mem. Release it when done.
func NewRawBuilder(mem memory.Allocator) *RawBuilder {
	rb := array.NewRecordBuilder(mem, RawSchema())
	b := &RawBuilder{rb: rb, cols: make([]*array.StringBuilder, len(CanonicalColumns))}
	for i := range b.cols {
		b.cols[i] = rb.Field(i).(*array.StringBuilder)
	}
	b.file = rb.Field(len(CanonicalColumns)).(*array.StringBuilder)
	b.row = rb.Field(len(CanonicalColumns) + 1).(*array.Int64Builder)
	return b
}

// Append adds one row. Canonical column i takes fields[index[i]]: null where
// index[i] < 0 (the source has no such column) and "" where the row is
// shorter than index[i] (a short CSV line).
func (b *RawBuilder) Append(fields []string, index []int, file string, row int64) {
	for i, col := range b.cols {
		switch pos := index[i]; {
		case pos < 0:
			col.AppendNull()
		case pos < len(fields):
			col.Append(fields[pos])
		default:
			col.Append("")
		}
	}
	b.file.Append(file)
	b.row.Append(row)
}

// Len is the number of rows appended since the last batch.
func (b *RawBuilder) Len() int { return b.row.Len() }

// NewRecordBatch returns the rows appended so far as a batch (the caller
// Releases it) and starts a new one.
func (b *RawBuilder) NewRecordBatch() arrow.RecordBatch { return b.rb.NewRecordBatch() }

// Release frees the builder's buffers.
func (b *RawBuilder) Release() { b.rb.Release() }

package sources

import (
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// RawBuilder accumulates rows into record batches with a dataset's raw schema
// (Dataset.RawSchema). Its buffers are handed over with each batch, so it
// holds at most one batch.
//
// Rows of a file come through Append, which checks their text. The SQL
// sources' rows come through appendValues (sqlerrors.go), which does not:
// their drivers have the server convert text to UTF-8, so only a PostgreSQL
// database in SQL_ASCII, which converts nothing, could hand over other bytes,
// and such a row would fail the run rather than be quarantined.
type RawBuilder struct {
	rb   *array.RecordBuilder
	cols []*array.StringBuilder
	file *array.StringBuilder
	row  *array.Int64Builder
	// defect lags behind the other columns by the sound rows appended since the last
	// marked one: they are added as nulls in one go (padDefects) when a row is marked and
	// when the batch is made. A sound row costs nothing, and a row appender that never
	// marks a row need not know of the column.
	defect *array.StringBuilder
}

// NewRawBuilder returns a RawBuilder of d's rows allocating from mem. Release it when done.
func NewRawBuilder(d Dataset, mem memory.Allocator) *RawBuilder {
	n := len(d.Columns)
	rb := array.NewRecordBuilder(mem, d.RawSchema())
	b := &RawBuilder{rb: rb, cols: make([]*array.StringBuilder, n)}
	for i := range b.cols {
		b.cols[i] = rb.Field(i).(*array.StringBuilder)
	}
	b.file = rb.Field(n).(*array.StringBuilder)
	b.row = rb.Field(n + 1).(*array.Int64Builder)
	b.defect = rb.Field(n + 2).(*array.StringBuilder)
	return b
}

// Append adds one row. The dataset's column i takes fields[index[i]]: null
// where index[i] < 0 (the source has no such column) and "" where the row is
// shorter than index[i] (a short CSV line). index has one entry per column
// (see Dataset.ResolveColumns).
//
// A row with a field it takes that is not valid UTF-8 is kept, each field
// escaped by EscapeInvalidUTF8, and marked DefectBadEncoding, so that it is
// quarantined with its file and line rather than failing the run where the
// landing is read back. A field no column takes is not kept, so not checked.
func (b *RawBuilder) Append(fields []string, index []int, file string, row int64) {
	sound := validFields(fields, index)
	for i, col := range b.cols {
		switch pos := index[i]; {
		case pos < 0:
			col.AppendNull()
		case pos >= len(fields):
			col.Append("")
		case sound:
			col.Append(fields[pos])
		default:
			col.Append(EscapeInvalidUTF8(fields[pos]))
		}
	}
	b.file.Append(file)
	b.row.Append(row)
	if !sound {
		b.markDefect(DefectBadEncoding)
	}
}

// appendValues adds one row of a SQL result: the dataset's column i takes
// vals[index[i]] (nil, a NULL, becomes ""), or null where index[i] < 0. A row
// with a value that is not valid UTF-8 (a PostgreSQL database in SQL_ASCII
// converts nothing) is escaped and marked like a CSV row (Append).
func (b *RawBuilder) appendValues(vals [][]byte, index []int, file string, row int64) {
	sound := true
	for _, pos := range index {
		if pos >= 0 && !utf8.Valid(vals[pos]) {
			sound = false
			break
		}
	}
	for i, col := range b.cols {
		switch pos := index[i]; {
		case pos < 0:
			col.AppendNull()
		case sound:
			col.BinaryBuilder.Append(vals[pos])
		default:
			col.Append(EscapeInvalidUTF8(string(vals[pos])))
		}
	}
	b.file.Append(file)
	b.row.Append(row)
	if !sound {
		b.markDefect(DefectBadEncoding)
	}
}

// validFields reports whether every field index takes is valid UTF-8.
func validFields(fields []string, index []int) bool {
	for _, pos := range index {
		if pos >= 0 && pos < len(fields) && !utf8.ValidString(fields[pos]) {
			return false
		}
	}
	return true
}

// markDefect marks the row appended last with defect.
func (b *RawBuilder) markDefect(defect string) {
	b.padDefects(b.row.Len() - 1)
	b.defect.Append(defect)
}

// padDefects adds nulls to the defect column up to n rows.
func (b *RawBuilder) padDefects(n int) { b.defect.AppendNulls(n - b.defect.Len()) }

// Len is the number of rows appended since the last batch.
func (b *RawBuilder) Len() int { return b.row.Len() }

// NewRecordBatch returns the rows appended so far as a batch (the caller
// Releases it) and starts a new one.
func (b *RawBuilder) NewRecordBatch() arrow.RecordBatch {
	b.padDefects(b.row.Len())
	return b.rb.NewRecordBatch()
}

// Release frees the builder's buffers.
func (b *RawBuilder) Release() { b.rb.Release() }

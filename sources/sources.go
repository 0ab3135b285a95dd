// Package sources defines how records are extracted: a Source yields Arrow
// record batches of the raw values, as strings, under the column names of
// the Dataset its Config reads (Cases unless it says otherwise), and a
// Registry maps a config's `kind:` to its constructor.
//
// Extractors do not parse, trim or drop anything; validation happens later,
// in SQL, where a bad row is quarantined with a reason.
package sources

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// CanonicalColumns are the columns of a case record, in order: Cases.Columns, kept for
// callers that read cases only. Code that reads a source uses Config.DatasetOrCases.
var CanonicalColumns = Cases.Columns

// RequiredColumns are the columns every case source must have (after mapping):
// Cases.Required, kept as CanonicalColumns is.
var RequiredColumns = Cases.Required

// Names of the two provenance columns a raw schema (Dataset.RawSchema) adds after the
// dataset's columns.
const (
	SourceFileColumn = "source_file"
	SourceRowColumn  = "source_row"
)

// DefectColumn is the name of a raw schema's last column: NULL for a sound row, else why the row's
// cells could not be read as they were (so far only DefectBadEncoding). Curation takes it as
// the row's quarantine reason before judging anything else.
const DefectColumn = "defect"

// DefectBadEncoding marks a row with a cell that is not valid UTF-8: its cells are kept
// escaped (see EscapeInvalidUTF8) and it is quarantined as bad_encoding.
const DefectBadEncoding = "bad_encoding"

// Encodings are the values of Config.Encoding a file source reads, "" meaning the first.
var Encodings = []string{"utf-8", "windows-1252", "iso-8859-1"}

// DefaultBatchSize is the number of rows per batch when Config.BatchSize is 0.
const DefaultBatchSize = 65536

// RawSchema is the raw schema of Cases (see Dataset.RawSchema), kept for callers that read
// cases only; it is made once.
func RawSchema() *arrow.Schema { return rawSchema }

var rawSchema = Cases.RawSchema()

// EscapeInvalidUTF8 returns s with every byte that is not part of a valid UTF-8 sequence
// written as the four characters \xHH (upper-case hex), and the rest as it was: the cell of
// a row quarantined as bad_encoding shows exactly which bytes could not be read, as valid text
// the lake's readers accept. A backslash already in s is not escaped, so a sound cell reads
// as it did; the row's defect says its cells hold escapes. Valid UTF-8 comes back unchanged.
func EscapeInvalidUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) + 8)
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		if r == utf8.RuneError && size == 1 {
			b.WriteString(`\x`)
			b.WriteByte(hex[s[0]>>4])
			b.WriteByte(hex[s[0]&0xF])
		} else {
			b.WriteString(s[:size])
		}
		s = s[size:]
	}
	return b.String()
}

// Source reads one configured source as Arrow record batches with the raw schema of its
// Config's dataset (Dataset.RawSchema).
type Source interface {
	Open(ctx context.Context) error
	// Next returns the next batch (the caller Releases it), or io.EOF after the last.
	Next(ctx context.Context) (arrow.RecordBatch, error)
	Close() error
}

// DirectReader is a file source some of whose files DuckDB can read itself, much faster than
// through Next. DirectPieces divides a file into at most n pieces of consecutive records, in
// file order, so that n threads can copy one file, each keeping its own piece's order; it may
// make files for them under scratch. No pieces leave the file to Next. The rows are not
// numbered in SQL because a window over the whole file holds DuckDB's reader to one thread,
// where a row's position in what a copy writes gives the number for free.
type DirectReader interface {
	DirectPieces(path string, n int, scratch string) ([]DirectPiece, error)
}

// DirectPiece is one piece of a file DuckDB may read itself.
type DirectPiece interface {
	// Query returns a DuckDB SELECT yielding, in file order, exactly the rows Next would give
	// for the piece's records, with all of the raw schema's columns but source_row, and the
	// source_row of its first row: each row after it is one more. Or "" to leave the file to
	// Next, which every piece of the file then says. It may wait for the whole file's check.
	Query() (query string, firstRow int64, err error)
	// Close removes what the piece made under scratch.
	Close() error
}

// Config is one entry of the config's `sources:` list, with paths already resolved.
type Config struct {
	Name string
	Kind string
	Path string // file sources: an absolute path or glob
	// Files, when not nil, are exactly the files to read (chosen by the caller from Path's
	// matches, e.g. only those not landed before); nil reads every file matching Path.
	Files     []string
	Delimiter string // "" = detect from the header line (',' or ';')
	// Encoding of the files: "" or "utf-8" (a row with invalid bytes is quarantined as
	// bad_encoding), "windows-1252" or "iso-8859-1" (decoded to UTF-8 as read).
	Encoding string
	// Dataset is the record the source reads; the zero Dataset is Cases (see DatasetOrCases).
	Dataset   Dataset
	Columns   map[string]string // the dataset's column name -> the source's, only where they differ
	BatchSize int               // rows per batch; 0 = DefaultBatchSize

	// SQL sources (postgres, mysql).
	DSN    string // the connection string, read from the environment variable DSNEnv; never log it
	DSNEnv string // the variable's name, for messages
	Table  string // a table or view to read, or
	Query  string // a SELECT; it receives Bounds as two bind parameters (see Bounds)
	// Bounds limit the rows read: a nightly run passes the watermark of BoundColumn (minus an
	// overlap) as Lower; a backfill passes its window on the decision date.
	Bounds Bounds
	// Retry bounds how long a refused or dropped connection is retried; 0 = DefaultRetry.
	Retry     time.Duration
	Allocator memory.Allocator // nil = memory.DefaultAllocator
}

// Bounds is a half-open range [Lower, Upper) on one source column; a nil end is open.
type Bounds struct {
	Column       string // the source's column compared (Table mode); "" = no bounds
	Lower, Upper *time.Time
}

// Validate checks the parts of a Config every kind shares: its Dataset's declaration, the
// Columns keys must be the dataset's column names and their values non-empty, and BatchSize
// must not be negative. It reports every problem at once.
func (c Config) Validate() error {
	var errs []error
	d := c.DatasetOrCases()
	if !c.Dataset.isZero() {
		errs = append(errs, d.Validate())
	}
	for _, k := range sortedKeys(c.Columns) {
		errs = append(errs, d.validateMapping(k, c.Columns[k]))
	}
	if c.BatchSize < 0 {
		errs = append(errs, errorf(ErrInvalidConfig, "batch size %d is negative", c.BatchSize))
	}
	return errors.Join(errs...)
}

// DatasetOrCases is the dataset the Config reads: its Dataset, or Cases when that is zero.
func (c Config) DatasetOrCases() Dataset {
	if c.Dataset.isZero() {
		return Cases
	}
	return c.Dataset
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// BatchRows is the number of rows per batch the Config asks for.
func (c Config) BatchRows() int {
	if c.BatchSize <= 0 {
		return DefaultBatchSize
	}
	return c.BatchSize
}

// Mem is the allocator the Config asks for.
func (c Config) Mem() memory.Allocator {
	if c.Allocator == nil {
		return memory.DefaultAllocator
	}
	return c.Allocator
}

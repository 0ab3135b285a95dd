package csv

import (
	"bufio"
	"bytes"
	stdcsv "encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"unicode/utf8"

	"scorecard/sources"
)

// bufSize is the read buffer per file; the delimiter is detected within it.
const bufSize = 64 << 10

var bom = []byte{0xEF, 0xBB, 0xBF}

// csvFile is one open CSV file, positioned after its header.
type csvFile struct {
	path  string
	f     *os.File
	r     *stdcsv.Reader
	index []int // per canonical column: its position in the header, or -1
	width int   // the header's number of fields
}

// openFile opens path, strips a BOM, settles the delimiter and maps the header.
func openFile(path string, cfg sources.Config) (*csvFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	cf, err := newCSVFile(path, f, cfg)
	if err != nil {
		f.Close()
		return nil, err
	}
	return cf, nil
}

func newCSVFile(path string, f *os.File, cfg sources.Config) (*csvFile, error) {
	br := bufio.NewReaderSize(f, bufSize)
	comma, err := prepare(br, cfg.Delimiter)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	cf := &csvFile{path: path, f: f, r: newReader(br, comma)}
	header, _, err := cf.read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: %w", path, sources.ErrNoHeader)
	}
	if err != nil {
		return nil, err
	}
	cf.width = len(header)
	cf.index, err = sources.ResolveColumns(path, header, cfg.Columns)
	return cf, err
}

func newReader(r io.Reader, comma rune) *stdcsv.Reader {
	cr := stdcsv.NewReader(r)
	cr.Comma = comma
	cr.LazyQuotes = false
	cr.FieldsPerRecord = -1 // short and long rows are kept; curation judges them
	cr.ReuseRecord = true
	return cr
}

// prepare skips a UTF-8 BOM and returns the delimiter: the configured one,
// else the one detected from the header line.
func prepare(br *bufio.Reader, delimiter string) (rune, error) {
	head, err := br.Peek(bufSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return 0, err
	}
	if bytes.HasPrefix(head, bom) {
		br.Discard(len(bom))
		head = head[len(bom):]
	}
	if delimiter != "" {
		r, _ := utf8.DecodeRuneInString(delimiter)
		return r, nil
	}
	return detectDelimiter(head), nil
}

// detectDelimiter returns ';' when the first line has more semicolons than
// commas outside quotes, else ','.
func detectDelimiter(head []byte) rune {
	inQuotes := false
	commas, semis := 0, 0
	for _, c := range head {
		switch {
		case c == '"':
			inQuotes = !inQuotes
		case inQuotes:
		case c == '\n':
			return pick(commas, semis)
		case c == ',':
			commas++
		case c == ';':
			semis++
		}
	}
	return pick(commas, semis)
}

func pick(commas, semis int) rune {
	if semis > commas {
		return ';'
	}
	return ','
}

// read returns the next record and the line it starts on.
func (cf *csvFile) read() ([]string, int64, error) {
	fields, err := cf.r.Read()
	if err != nil {
		return nil, 0, cf.wrap(err)
	}
	line, _ := cf.r.FieldPos(0)
	return fields, int64(line), nil
}

// wrap prefixes a read error with FILE:LINE:COLUMN; io.EOF passes through.
func (cf *csvFile) wrap(err error) error {
	var pe *stdcsv.ParseError
	switch {
	case err == io.EOF:
		return err
	case !errors.As(err, &pe):
		return fmt.Errorf("%s: %w", cf.path, err)
	case pe.StartLine != pe.Line:
		return fmt.Errorf("%s:%d:%d: %w (in the record starting on line %d)",
			cf.path, pe.Line, pe.Column, pe.Err, pe.StartLine)
	default:
		return fmt.Errorf("%s:%d:%d: %w", cf.path, pe.Line, pe.Column, pe.Err)
	}
}

func (cf *csvFile) close() error { return cf.f.Close() }

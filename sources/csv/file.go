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

	"golang.org/x/text/encoding/charmap"

	"scorecard/sources"
)

// bufSize is the read buffer per file; the delimiter is detected within it.
const bufSize = 64 << 10

var bom = []byte{0xEF, 0xBB, 0xBF}

// charmaps are the single-byte encodings a file may be in (Config.Encoding), decoded to UTF-8
// as it is read. Both decode every byte: windows-1252 as Windows and the WHATWG Encoding
// standard do (0x80 is €; its five unassigned bytes are the C1 controls of the same number),
// iso-8859-1 each byte as the code point of the same number.
var charmaps = map[string]*charmap.Charmap{
	"windows-1252": charmap.Windows1252,
	"iso-8859-1":   charmap.ISO8859_1,
}

// utf8Encoded reports whether a Config.Encoding means the files are read as UTF-8.
func utf8Encoded(encoding string) bool { return encoding == "" || encoding == "utf-8" }

// csvFile is one open CSV file, positioned after its header.
type csvFile struct {
	path  string
	f     *os.File
	ends  *lineEnds // what r reads: the bare CRs outside quotes made line ends
	r     *stdcsv.Reader
	index []int // per column of the dataset: its position in the header, or -1
	width int   // the header's number of fields
}

// openFile opens path, decodes it, strips a BOM, settles the delimiter and maps the header.
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
	br, err := decoded(f, cfg.Encoding)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	comma, err := delimiterOf(br, cfg.Delimiter)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	ends := newLineEnds(br)
	cf := &csvFile{path: path, f: f, ends: ends, r: newReader(csvInput(ends), comma)}
	header, _, err := cf.read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: %w", path, sources.ErrNoHeader)
	}
	if err != nil {
		return nil, err
	}
	cf.width = len(header)
	cf.index, err = cfg.DatasetOrCases().ResolveColumns(path, header, cfg.Columns)
	return cf, err
}

// csvInput is the buffer encoding/csv reads ends through. It is twice the size of the one
// under ends, so that it asks ends for at least as much as that holds, which bufio then reads
// straight into it, with no copy in between.
func csvInput(ends *lineEnds) *bufio.Reader { return bufio.NewReaderSize(ends, 2*bufSize) }

func newReader(r io.Reader, comma rune) *stdcsv.Reader {
	cr := stdcsv.NewReader(r)
	cr.Comma = comma
	cr.LazyQuotes = false
	cr.FieldsPerRecord = -1 // short and long rows are kept; curation judges them
	cr.ReuseRecord = true
	return cr
}

// decoded returns the file's text after any byte order mark, buffered: decoded to UTF-8 from
// a single-byte encoding (every byte decodes), else as it is, to be checked row by row
// (sources.RawBuilder). A file with a UTF-8 BOM is read as UTF-8 whatever the encoding says:
// the mark is unambiguous (in windows-1252 it would be the header's first letters, "ï»¿"),
// and decoding the file again would garble every letter outside ASCII.
func decoded(f io.Reader, encoding string) (*bufio.Reader, error) {
	br := bufio.NewReaderSize(f, bufSize)
	head, err := br.Peek(len(bom))
	if err != nil && err != io.EOF {
		return nil, err
	}
	if bytes.Equal(head, bom) {
		br.Discard(len(bom))
		return br, nil
	}
	if cm := charmaps[encoding]; cm != nil {
		return bufio.NewReaderSize(cm.NewDecoder().Reader(br), bufSize), nil
	}
	return br, nil
}

// delimiterOf returns the configured delimiter, else the one detected from the header line.
func delimiterOf(br *bufio.Reader, delimiter string) (rune, error) {
	if delimiter != "" {
		r, _ := utf8.DecodeRuneInString(delimiter)
		return r, nil
	}
	head, err := br.Peek(bufSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return 0, err
	}
	return detectDelimiter(head), nil
}

// detectDelimiter returns ';' when the first line (ended by LF or CR, as lineEnds ends it)
// has more semicolons than commas outside quotes, else ','.
func detectDelimiter(head []byte) rune {
	inQuotes := false
	commas, semis := 0, 0
	for _, c := range head {
		switch {
		case c == '"':
			inQuotes = !inQuotes
		case inQuotes:
		case c == '\n' || c == '\r':
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

// read returns the next record and the line it starts on, counting every LF, CRLF and bare CR.
func (cf *csvFile) read() ([]string, int64, error) {
	fields, err := cf.r.Read()
	if err != nil {
		return nil, 0, cf.wrap(err)
	}
	line, _ := cf.r.FieldPos(0)
	return fields, int64(cf.ends.lineOf(line)), nil
}

// wrap prefixes a read error with FILE:LINE:COLUMN, as a text editor numbers them; io.EOF
// passes through.
func (cf *csvFile) wrap(err error) error {
	var pe *stdcsv.ParseError
	switch {
	case err == io.EOF:
		return err
	case !errors.As(err, &pe):
		return fmt.Errorf("%s: %w", cf.path, err)
	}
	start := cf.ends.lineOf(pe.StartLine)
	line, col := cf.ends.posOf(pe.Line, pe.Column)
	if start != line {
		return fmt.Errorf("%s:%d:%d: %w (in the record starting on line %d)", cf.path, line, col, pe.Err, start)
	}
	return fmt.Errorf("%s:%d:%d: %w", cf.path, line, col, pe.Err)
}

func (cf *csvFile) close() error { return cf.f.Close() }

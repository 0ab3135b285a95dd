package csv

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"scorecard/sources"
)

// DirectPieces divides a file DuckDB's reader can read as Next would into at most n pieces of
// consecutive whole lines, each read by a SELECT of its own that yields the dataset's columns,
// source_file and defect, in file order; or it leaves the file to Next (nil, or pieces whose
// Query is "") when DuckDB's reader cannot promise that.
//
// DuckDB's parallel CSV reader is several times faster than encoding/csv, but it numbers no
// lines, reads an empty cell as NULL and treats quotes and line breaks its own way. So it is
// used only on files where none of that can matter: no quote character, no blank line and no
// bare carriage return anywhere, so that every record is one line and record n (from 0) is
// line n+2, after the header. The SELECT turns NULL cells back into "" for the columns the
// header has.
//
// The first piece reads the file itself up to its last line (a LIMIT); each other piece is
// copied to a file of its own under scratch while the file is checked, every piece's lines at
// once, since DuckDB skips lines no faster than it reads them. One thread copying a file in
// order does a third less work than several keeping its order together, and the copies of the
// pieces, one thread each, take half the time of one on two threads.
//
// Only UTF-8 files are read so: DuckDB 1.5.5 has no windows-1252, and its latin-1 would need
// the byte order mark handled as decoded does. DuckDB fails on a UTF-8 file with bytes that
// are not UTF-8 (TestEncodingDirectFails), so the stage step streams it through Next, which
// quarantines the rows holding them; its SELECT's defect is NULL.
func (s *Source) DirectPieces(path string, n int, scratch string) ([]sources.DirectPiece, error) {
	if !utf8Encoded(s.cfg.Encoding) {
		return nil, nil
	}
	if n <= 1 {
		return []sources.DirectPiece{&wholeFile{s: s, path: path}}, nil
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	cuts, err := lineCuts(path, st.Size(), n)
	if err != nil {
		return nil, err
	}
	if len(cuts) == 2 { // one line, or a few long ones
		return []sources.DirectPiece{&wholeFile{s: s, path: path}}, nil
	}
	if err := os.MkdirAll(scratch, 0o755); err != nil {
		return nil, err
	}
	sp := &split{s: s, path: path, cuts: cuts, size: st.Size(), checks: make([]pieceCheck, len(cuts)-1)}
	sp.checked.Add(len(sp.checks))
	pieces := make([]sources.DirectPiece, len(sp.checks))
	for i := range sp.checks {
		p := &piece{split: sp, index: i}
		if i > 0 {
			f, err := os.CreateTemp(scratch, "piece-*.csv")
			if err != nil {
				return nil, err
			}
			p.file = f.Name()
			go func() { defer sp.checked.Done(); sp.checks[i] = sp.check(i, f) }()
		} else {
			go func() { defer sp.checked.Done(); sp.checks[i] = sp.check(i, nil) }()
		}
		pieces[i] = p
	}
	return pieces, nil
}

// wholeFile is a file read as one piece: its check runs when its query is asked for.
type wholeFile struct {
	s    *Source
	path string
}

func (w *wholeFile) Query() (string, int64, error) {
	plain, err := onePerLine(w.path)
	if err != nil || !plain {
		return "", 0, err
	}
	h, err := w.s.headerOf(w.path)
	if err != nil {
		return "", 0, err
	}
	return w.s.directSelect(h, w.path, w.path, 1, -1), firstRecordLine, nil
}

func (w *wholeFile) Close() error { return nil }

// firstRecordLine is the line of a file's first record, after the header.
const firstRecordLine = 2

// split is a file read in pieces: the bytes from cuts[i] to cuts[i+1] are piece i.
type split struct {
	s       *Source
	path    string
	size    int64
	cuts    []int64
	checked sync.WaitGroup // every piece's check
	checks  []pieceCheck
}

// pieceCheck is what the check of a piece's bytes found.
type pieceCheck struct {
	plain bool
	lines int64 // line ends in the piece
	err   error
}

// check checks piece i's bytes, copying them to out (closed after) when not nil.
func (sp *split) check(i int, out *os.File) pieceCheck {
	f, err := os.Open(sp.path)
	if err != nil {
		return pieceCheck{err: err}
	}
	defer f.Close()
	var w io.Writer
	if out != nil {
		w = out
	}
	plain, lines, err := scanPlain(f, sp.cuts[i], sp.cuts[i+1], sp.size, w)
	if out != nil {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		err = fmt.Errorf("%s: %w", sp.path, err)
	}
	return pieceCheck{plain: plain, lines: lines, err: err}
}

// piece is piece index of a split file; every piece but the first reads a file of its own.
type piece struct {
	*split
	index int
	file  string
}

func (p *piece) Query() (string, int64, error) {
	p.checked.Wait()
	firstLine := int64(1) // the line of the piece's first byte
	for i, c := range p.checks {
		if c.err != nil {
			return "", 0, c.err
		}
		if !c.plain {
			return "", 0, nil
		}
		if i < p.index {
			firstLine += c.lines
		}
	}
	h, err := p.s.headerOf(p.path)
	if err != nil {
		return "", 0, err
	}
	if p.index == 0 { // the header, and the lines up to the first cut
		return p.s.directSelect(h, p.path, p.path, 1, p.checks[0].lines-1), firstRecordLine, nil
	}
	return p.s.directSelect(h, p.path, p.file, 0, -1), firstLine, nil
}

func (p *piece) Close() error {
	if p.file == "" {
		return nil
	}
	file := p.file
	p.file = "" // closed once, by the copy or after the landing
	return os.Remove(file)
}

// fileHeader is what a direct query needs of a file's header.
type fileHeader struct {
	width int
	index []int // per column of the dataset: its position in the header, or -1
	comma rune
}

func (s *Source) headerOf(path string) (fileHeader, error) {
	f, err := openFile(path, s.cfg)
	if err != nil {
		return fileHeader{}, err
	}
	h := fileHeader{width: f.width, index: f.index, comma: f.r.Comma}
	return h, f.close()
}

// directSelect is the SELECT of the records of file path that readPath holds (the file itself,
// or a piece of it), after skip lines and at most limit records (all when negative).
func (s *Source) directSelect(h fileHeader, path, readPath string, skip int, limit int64) string {
	cols := make([]string, h.width)
	for i := range cols {
		cols[i] = fmt.Sprintf("'c%d': 'VARCHAR'", i)
	}
	sel := make([]string, 0, len(h.index)+3)
	for i, name := range s.cfg.Dataset.Columns {
		if h.index[i] < 0 {
			sel = append(sel, fmt.Sprintf("NULL::VARCHAR AS %s", name))
		} else {
			sel = append(sel, fmt.Sprintf("coalesce(c%d, '') AS %s", h.index[i], name))
		}
	}
	// An enum of one value: the Parquet writer takes its dictionary as it is, where a string
	// would be hashed row by row. It is written as a plain string all the same.
	sel = append(sel, fmt.Sprintf("CAST(%s AS ENUM(%s)) AS %s", quote(path), quote(path), sources.SourceFileColumn),
		"NULL::VARCHAR AS "+sources.DefectColumn)
	query := fmt.Sprintf(`SELECT %s
FROM read_csv(%s, header = false, skip = %d, auto_detect = false, delim = %s, quote = '', escape = '',
    comment = '', null_padding = true, columns = {%s})`,
		strings.Join(sel, ", "), quote(readPath), skip, quote(string(h.comma)), strings.Join(cols, ", "))
	if limit >= 0 {
		query += fmt.Sprintf(" LIMIT %d", limit)
	}
	return query
}

// lineCuts returns where n pieces of about equal size begin, each at the start of a line, and
// the file's size: 0 = cuts[0] < cuts[1] < ... < cuts[len-1] = size.
func lineCuts(path string, size int64, n int) ([]int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cuts := []int64{0}
	buf := make([]byte, 64<<10)
	for i := 1; i < n; i++ {
		at := max(size*int64(i)/int64(n), cuts[len(cuts)-1])
		for at < size { // the line end at or after at
			m, err := f.ReadAt(buf, at)
			if j := bytes.IndexByte(buf[:m], '\n'); j >= 0 {
				at += int64(j) + 1
				// DuckDB drops a byte order mark starting a file, so a piece may not start
				// with a line that starts with one.
				if m, _ := f.ReadAt(buf[:len(bom)], at); !bytes.Equal(buf[:m], bom) {
					break
				}
				continue
			}
			if err != nil && !errors.Is(err, io.EOF) {
				return nil, err
			}
			at += int64(m)
		}
		if at >= size {
			break
		}
		if at > cuts[len(cuts)-1] {
			cuts = append(cuts, at)
		}
	}
	return append(cuts, size), nil
}

// onePerLine reports whether every record of the file is exactly one line: it holds no quote
// (so no field spans lines), no blank line (which encoding/csv skips but counts) and no
// carriage return outside a CRLF line end (DuckDB 1.5.5 reads a file whose lines all end in
// CR, but fails on one that mixes CR with LF; Next reads both, see lineEnds).
func onePerLine(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return false, err
	}
	plain, _, err := scanPlain(f, 0, st.Size(), st.Size(), nil)
	return plain, err
}

// scanPlain reads the bytes from start to end of a file of size bytes, in blocks, copying
// them to w when it is not nil, and reports whether they hold no quote, no blank line and no
// bare carriage return (onePerLine), with the bytes just before start, and how many line ends
// they hold. It uses the vectorized searches of package bytes.
func scanPlain(f *os.File, start, end, size int64, w io.Writer) (plain bool, lines int64, err error) {
	const overlap = 2 // the end of the previous block, so a pattern across the edge is seen
	buf := make([]byte, overlap+1<<20)
	kept := 0
	if start == 0 {
		kept = copy(buf, "\n") // a blank first line counts as blank
	} else if kept, err = f.ReadAt(buf[:min(start, overlap)], start-min(start, overlap)); err != nil {
		return false, 0, err
	}
	last := byte(0)
	for at := start; at < end; {
		n, err := f.ReadAt(buf[kept:kept+int(min(int64(len(buf)-kept), end-at))], at)
		if n == 0 && err != nil {
			return false, lines, err // the file shrank
		}
		fresh := buf[kept : kept+n]
		if w != nil {
			if _, err := w.Write(fresh); err != nil {
				return false, lines, err
			}
		}
		lines += int64(bytes.Count(fresh, []byte{'\n'}))
		block := buf[:kept+n]
		if !plainBlock(block) {
			return false, lines, nil
		}
		at += int64(n)
		last = block[len(block)-1]
		kept = copy(buf, block[max(0, len(block)-overlap):])
	}
	return end < size || last != '\r', lines, nil // a CR ending the file is bare
}

// plainBlock reports whether a block has no quote, no blank line and no bare carriage return.
func plainBlock(b []byte) bool {
	if bytes.IndexByte(b, '"') >= 0 || bytes.Contains(b, []byte("\n\n")) {
		return false
	}
	crs := bytes.Count(b, []byte{'\r'})
	if crs == 0 {
		return true
	}
	// Every CR must end a line, and no line may be empty. A CR at the very end waits for
	// the next block (which starts with it again); at the end of the file it is bare.
	return !bytes.Contains(b, []byte("\n\r\n")) && crs == bytes.Count(b, []byte("\r\n"))+btoi(b[len(b)-1] == '\r')
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

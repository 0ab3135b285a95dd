package csv

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"scorecard/sources"
)

// DirectQuery returns a DuckDB SELECT that yields the file's rows exactly as Next would (the
// dataset's columns, source_file and defect, in file order) and the line of the first, or ""
// when DuckDB's reader cannot promise that and the file must be streamed through Next.
//
// DuckDB's parallel CSV reader is several times faster than encoding/csv, but it numbers no
// lines, reads an empty cell as NULL and treats quotes and line breaks its own way. So it is
// used only on files where none of that can matter: no quote character, no blank line and no
// bare carriage return anywhere, so that every record is one line and record n (from 0) is
// line n+2, after the header. The SELECT turns NULL cells back into "" for the columns the
// header has.
//
// Only UTF-8 files are read so: DuckDB 1.5.5 has no windows-1252, and its latin-1 would need
// the byte order mark handled as decoded does. DuckDB fails on a UTF-8 file with bytes that
// are not UTF-8 (TestEncodingDirectFails), so the stage step streams it through Next, which
// quarantines the rows holding them; its SELECT's defect is NULL.
func (s *Source) DirectQuery(path string) (string, int64, error) {
	if !utf8Encoded(s.cfg.Encoding) {
		return "", 0, nil
	}
	plain, err := onePerLine(path)
	if err != nil || !plain {
		return "", 0, err
	}
	f, err := openFile(path, s.cfg)
	if err != nil {
		return "", 0, err
	}
	width := f.width
	index, comma := f.index, f.r.Comma
	if err := f.close(); err != nil {
		return "", 0, err
	}
	cols := make([]string, width)
	for i := range cols {
		cols[i] = fmt.Sprintf("'c%d': 'VARCHAR'", i)
	}
	sel := make([]string, 0, len(index)+3)
	for i, name := range s.cfg.Dataset.Columns {
		if index[i] < 0 {
			sel = append(sel, fmt.Sprintf("NULL::VARCHAR AS %s", name))
		} else {
			sel = append(sel, fmt.Sprintf("coalesce(c%d, '') AS %s", index[i], name))
		}
	}
	// An enum of one value: the Parquet writer takes its dictionary as it is, where a string
	// would be hashed row by row. It is written as a plain string all the same.
	sel = append(sel, fmt.Sprintf("CAST(%s AS ENUM(%s)) AS %s", quote(path), quote(path), sources.SourceFileColumn),
		"NULL::VARCHAR AS "+sources.DefectColumn)
	const firstRecordLine = 2 // after the header
	return fmt.Sprintf(`SELECT %s
FROM read_csv(%s, header = false, skip = 1, auto_detect = false, delim = %s, quote = '', escape = '',
    comment = '', null_padding = true, columns = {%s})`,
		strings.Join(sel, ", "), quote(path), quote(string(comma)), strings.Join(cols, ", ")), firstRecordLine, nil
}

// onePerLine reports whether every record of the file is exactly one line: it holds no quote
// (so no field spans lines), no blank line (which encoding/csv skips but counts) and no
// carriage return outside a CRLF line end (DuckDB 1.5.5 reads a file whose lines all end in
// CR, but fails on one that mixes CR with LF; Next reads both, see lineEnds). It reads the
// file once, in blocks, with the vectorized searches of package bytes.
func onePerLine(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	const overlap = 2 // the end of the previous block, so a pattern across the edge is seen
	buf := make([]byte, overlap+1<<20)
	kept := copy(buf, "\n") // a blank first line counts as blank
	for {
		n, err := io.ReadFull(f, buf[kept:])
		block := buf[:kept+n]
		if !plainBlock(block) {
			return false, nil
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return block[len(block)-1] != '\r', nil // a CR ending the file is bare
		}
		if err != nil {
			return false, err
		}
		kept = copy(buf, block[len(block)-overlap:])
	}
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

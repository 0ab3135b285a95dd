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
// canonical columns, source_file, source_row), or "" when DuckDB's reader cannot promise that
// and the file must be streamed through Next.
//
// DuckDB's parallel CSV reader is several times faster than encoding/csv, but it numbers no
// lines, reads an empty cell as NULL and treats quotes and line breaks its own way. So it is
// used only on files where none of that can matter: no quote character, no blank line and no
// bare carriage return anywhere, so that every record is one line and record n is line n+1.
// The SELECT numbers the rows in file order (a streaming window) and turns NULL cells back
// into "" for the columns the header has.
func (s *Source) DirectQuery(path string) (string, error) {
	plain, err := onePerLine(path)
	if err != nil || !plain {
		return "", err
	}
	f, err := openFile(path, s.cfg)
	if err != nil {
		return "", err
	}
	width := f.width
	index, comma := f.index, f.r.Comma
	if err := f.close(); err != nil {
		return "", err
	}
	cols := make([]string, width)
	for i := range cols {
		cols[i] = fmt.Sprintf("'c%d': 'VARCHAR'", i)
	}
	sel := make([]string, 0, len(index)+2)
	for i, name := range sources.CanonicalColumns {
		if index[i] < 0 {
			sel = append(sel, fmt.Sprintf("NULL::VARCHAR AS %s", name))
		} else {
			sel = append(sel, fmt.Sprintf("coalesce(c%d, '') AS %s", index[i], name))
		}
	}
	sel = append(sel,
		fmt.Sprintf("%s AS %s", quote(path), sources.SourceFileColumn),
		fmt.Sprintf("row_number() OVER () + 1 AS %s", sources.SourceRowColumn))
	return fmt.Sprintf(`SELECT %s
FROM read_csv(%s, header = false, skip = 1, auto_detect = false, delim = %s, quote = '', escape = '',
    comment = '', null_padding = true, columns = {%s})`,
		strings.Join(sel, ", "), quote(path), quote(string(comma)), strings.Join(cols, ", ")), nil
}

// onePerLine reports whether every record of the file is exactly one line: it holds no quote
// (so no field spans lines), no blank line (which encoding/csv skips but counts) and no
// carriage return outside a CRLF line end. It reads the file once, in blocks.
func onePerLine(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	buf := make([]byte, 1<<20)
	prev := byte('\n') // a blank first line counts as blank
	for {
		n, err := f.Read(buf)
		block := buf[:n]
		if bytes.IndexByte(block, '"') >= 0 || !plainLineEnds(prev, block) {
			return false, nil
		}
		if n > 0 {
			prev = block[n-1]
		}
		if errors.Is(err, io.EOF) {
			return true, nil
		}
		if err != nil {
			return false, err
		}
	}
}

// plainLineEnds reports whether block (following the byte prev) has neither a blank line nor
// a bare carriage return; a CR at the block's end is judged with the next block's first byte
// by checking it here against what follows within the block only when it can.
func plainLineEnds(prev byte, block []byte) bool {
	for i := 0; i < len(block); {
		j := bytes.IndexAny(block[i:], "\r\n")
		if j < 0 {
			return true
		}
		k := i + j
		before := prev
		if k > 0 {
			before = block[k-1]
		}
		switch {
		case block[k] == '\n' && (before == '\n' || (before == '\r' && crlfBlank(block, k, prev))):
			return false // "\n\n" or "\n\r\n": a blank line
		case block[k] == '\r' && k+1 < len(block) && block[k+1] != '\n':
			return false // a bare CR
		case block[k] == '\r' && k+1 == len(block):
			return false // a CR split from its LF by the block edge: rare, judged conservatively
		}
		i = k + 1
	}
	return true
}

// crlfBlank reports whether the CRLF ending at block[k] closes a blank line ("\n\r\n").
func crlfBlank(block []byte, k int, prev byte) bool {
	switch {
	case k >= 2:
		return block[k-2] == '\n'
	case k == 1:
		return prev == '\n'
	}
	return false
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

package csv

import (
	"bufio"
	"bytes"
)

// lineEnds is the text of a file as encoding/csv reads it: a carriage return that is neither
// inside quotes nor before a line feed (an old Mac line end, or a stray one) is turned into a
// line feed, so that it ends a record as it does for RFC 4180 readers and Excel. encoding/csv
// itself ends records only at LF, and would join the line after a bare CR to the record
// before it, which could lose a case without a trace.
//
// encoding/csv counts lines by their line feeds, so it also misses the lines that a bare CR
// inside quotes ends (data, left as it is). lineEnds notes where each of those is, and lineOf
// and posOf add them back, so that a record's line is the one a text editor shows.
//
// A byte changes only for a byte, so offsets are kept. Quotes are tracked by their count
// alone: with LazyQuotes off that is exact up to the first misplaced quote, where
// encoding/csv stops with an error. Every pass over the text is one of package bytes'
// vectorized searches; only the rare bare CR is looked at on its own.
type lineEnds struct {
	r         *bufio.Reader
	quoted    bool  // inside quotes after what was read
	off       int64 // offset of the next byte to read, or of the bytes scan is passing
	line      int   // encoding/csv's number of the line being read (1 + line feeds passed)
	lineStart int64 // offset where that line starts
	passed    int   // quoted CRs before the record now read
	pending   []quotedCR
}

// quotedCR is a bare CR inside quotes, by encoding/csv's line and 1-based column.
type quotedCR struct {
	line, col int
	last      bool // the file's last byte, which encoding/csv drops
}

func newLineEnds(r *bufio.Reader) *lineEnds { return &lineEnds{r: r, line: 1} }

// Read reads from the file and changes the bare CRs outside quotes to line feeds.
func (le *lineEnds) Read(p []byte) (int, error) {
	n, err := le.r.Read(p)
	le.scan(p[:n])
	return n, err
}

// scan changes p and moves le past it. A CR before a line feed, the usual one, costs a
// byte's look; quotes are counted at each bare CR, lines at each one inside quotes, and both
// at the end of p.
func (le *lineEnds) scan(p []byte) {
	quotes, lines := 0, 0 // le.quoted is for p[:quotes], le.line for p[:lines]
	for at := 0; ; {
		i := bytes.IndexByte(p[at:], '\r')
		if i < 0 {
			break
		}
		i, at = i+at, i+at+1
		if at < len(p) && p[at] == '\n' {
			continue
		}
		last, crlf := le.follows(p, i)
		if crlf {
			continue
		}
		le.passQuotes(p[quotes:i])
		quotes = i
		if !le.quoted {
			p[i] = '\n'
			continue
		}
		le.passLines(p[lines:i], lines)
		lines = i
		le.pending = append(le.pending, quotedCR{line: le.line, col: int(le.off+int64(i)-le.lineStart) + 1, last: last})
	}
	le.passQuotes(p[quotes:])
	le.passLines(p[lines:], lines)
	le.off += int64(len(p))
}

// follows reports whether the CR at p[i] is the last byte of the file or comes before a line feed.
func (le *lineEnds) follows(p []byte, i int) (last, crlf bool) {
	if i+1 < len(p) {
		return false, p[i+1] == '\n'
	}
	next, err := le.r.Peek(1)
	if err != nil {
		return true, false
	}
	return false, next[0] == '\n'
}

func (le *lineEnds) passQuotes(b []byte) {
	if bytes.Count(b, []byte{'"'})%2 == 1 {
		le.quoted = !le.quoted
	}
}

// passLines moves le.line past b, which is at offset at of what scan is passing.
func (le *lineEnds) passLines(b []byte, at int) {
	if n := bytes.Count(b, []byte{'\n'}); n > 0 {
		le.line += n
		le.lineStart = le.off + int64(at+bytes.LastIndexByte(b, '\n')) + 1
	}
}

// lineOf returns the file's line for line of encoding/csv's count, where a record starts: the
// quoted CRs before it are passed, and no later record or error comes before them.
func (le *lineEnds) lineOf(line int) int {
	n := 0
	for n < len(le.pending) && le.pending[n].line < line {
		n++
	}
	le.passed += n
	le.pending = le.pending[n:]
	return line + le.passed
}

// posOf returns the file's line and column for a position in encoding/csv's count within the
// record after the last lineOf, as an error gives it.
func (le *lineEnds) posOf(line, col int) (int, int) {
	fileLine, fileCol := line+le.passed, col
	for _, cr := range le.pending {
		switch {
		case cr.line == line && cr.last && cr.col == col:
			// encoding/csv drops a CR that ends the file, and gives the column after it
			// when it is an LF: so does this.
			fileCol++
		case cr.line < line || cr.line == line && cr.col < col:
			fileLine++
			if cr.line == line {
				fileCol = col - cr.col
			}
		}
	}
	return fileLine, fileCol
}

package csv

import (
	"bytes"
	"errors"
	"io"
	"unicode/utf8"

	"scorecard/sources"
)

// refRecord is one record of a file and the line it starts on.
type refRecord struct {
	line   int64
	fields []string
}

// refReader splits a file's text into records by the CSV standard's rules, written from the
// rules rather than from the source's code, so that FuzzCSVSource can check that no record is
// lost or joined to another:
//   - outside quotes LF, CRLF and a bare CR each end a record; an empty line is skipped;
//   - a field in quotes holds anything, "" standing for a quote and a CRLF read as LF (as
//     encoding/csv reads it); a quote anywhere else, text after a closing quote or a quote
//     left open at the end is an error;
//   - every line end counts a line, inside quotes too, as a text editor numbers lines.
type refReader struct {
	text  []byte
	comma byte
	i     int
	line  int64
}

var (
	errRefBareQuote = errors.New("quote in an unquoted field")
	errRefQuote     = errors.New("text after a closing quote, or a quote left open")
)

func (p *refReader) records() ([]refRecord, error) {
	p.line = 1
	var recs []refRecord
	for p.i < len(p.text) {
		if n := p.lineEnd(); n > 0 { // an empty line
			p.i, p.line = p.i+n, p.line+1
			continue
		}
		rec := refRecord{line: p.line}
		for {
			field, err := p.field()
			if err != nil {
				return nil, err
			}
			rec.fields = append(rec.fields, field)
			if p.i < len(p.text) && p.text[p.i] == p.comma {
				p.i++
				continue
			}
			if n := p.lineEnd(); n > 0 {
				p.i, p.line = p.i+n, p.line+1
			}
			break
		}
		recs = append(recs, rec)
	}
	return recs, nil
}

// lineEnd returns the length of the line end at p.i, or 0.
func (p *refReader) lineEnd() int {
	switch rest := p.text[p.i:]; {
	case bytes.HasPrefix(rest, []byte("\r\n")):
		return 2
	case len(rest) > 0 && (rest[0] == '\n' || rest[0] == '\r'):
		return 1
	}
	return 0
}

func (p *refReader) field() (string, error) {
	if p.i < len(p.text) && p.text[p.i] == '"' {
		return p.quoted()
	}
	start := p.i
	for p.i < len(p.text) && p.text[p.i] != p.comma && p.lineEnd() == 0 {
		if p.text[p.i] == '"' {
			return "", errRefBareQuote
		}
		p.i++
	}
	return string(p.text[start:p.i]), nil
}

func (p *refReader) quoted() (string, error) {
	var b []byte
	for p.i++; p.i < len(p.text); {
		switch n := p.lineEnd(); {
		case bytes.HasPrefix(p.text[p.i:], []byte(`""`)):
			b, p.i = append(b, '"'), p.i+2
		case p.text[p.i] == '"':
			p.i++
			if p.i < len(p.text) && p.text[p.i] != p.comma && p.lineEnd() == 0 {
				return "", errRefQuote
			}
			return string(b), nil
		case n == 2:
			b, p.i, p.line = append(b, '\n'), p.i+2, p.line+1
		case n == 1:
			b, p.i, p.line = append(b, p.text[p.i]), p.i+1, p.line+1
		default:
			b, p.i = append(b, p.text[p.i]), p.i+1
		}
	}
	return "", errRefQuote
}

// refRows returns the rows Next must give for a file of data read with cfg: its text decoded
// as the source decodes it, the delimiter detected in its first 64 KiB, its records split by
// refReader, the header mapped by sources.Dataset.ResolveColumns and the rows built as
// sources.RawBuilder builds them. The error is refReader's or ResolveColumns'.
func refRows(cfg sources.Config, data []byte) ([]row, error) {
	br, err := decoded(bytes.NewReader(data), cfg.Encoding)
	if err != nil {
		return nil, err
	}
	text, err := io.ReadAll(br)
	if err != nil {
		return nil, err
	}
	comma := byte(detectDelimiter(text[:min(len(text), bufSize)]))
	recs, err := (&refReader{text: text, comma: comma}).records()
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, sources.ErrNoHeader
	}
	index, err := cfg.DatasetOrCases().ResolveColumns(cfg.Path, recs[0].fields, cfg.Columns)
	if err != nil {
		return nil, err
	}
	rows := make([]row, 0, len(recs)-1)
	for _, rec := range recs[1:] {
		rows = append(rows, refRow(rec, index))
	}
	return rows, nil
}

// refRow is a record as the row RawBuilder.Append makes of it, in file c.csv.
func refRow(rec refRecord, index []int) row {
	rw := row{file: "c.csv", line: rec.line}
	sound := true
	for c, pos := range index {
		switch {
		case pos < 0:
			rw.vals[c] = N
		case pos < len(rec.fields):
			rw.vals[c] = rec.fields[pos]
			sound = sound && utf8.ValidString(rw.vals[c])
		}
	}
	if !sound {
		rw.defect = sources.DefectBadEncoding
		for c, pos := range index {
			if pos >= 0 && pos < len(rec.fields) {
				rw.vals[c] = sources.EscapeInvalidUTF8(rw.vals[c])
			}
		}
	}
	return rw
}

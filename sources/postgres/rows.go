package postgres

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"math"

	"github.com/jackc/pgx/v5/pgconn"

	"scorecard/sources"
)

// Query runs the statement; its rows are read as they arrive, one at a time.
func (d *driver) Query(ctx context.Context, cols []int) (sources.SQLRows, error) {
	sql, params, oids, formats := d.statement(cols)
	rr := d.pg.ExecParams(ctx, sql, params, oids, nil, formats)
	if rr.FieldDescriptions() == nil { // the statement failed
		_, err := rr.Close()
		if err == nil {
			err = fmt.Errorf("no result")
		}
		return nil, sources.Reword(err, "reading %s: %s", d.What, cause(err))
	}
	r := &rows{rr: rr, what: d.What, pick: append([]int(nil), cols...), vals: make([][]byte, len(cols)), bufs: make([][]byte, len(cols))}
	for i, p := range cols {
		r.cols = append(r.cols, d.Cols[p])
		if d.Table != "" {
			r.pick[i] = i // the statement reads just cols, in order
		}
	}
	return r, nil
}

// rows converts each row's values in place into per-column buffers, so a
// row costs no allocation.
type rows struct {
	rr   *pgconn.ResultReader
	what string
	pick []int               // the result position of each requested column
	cols []sources.SQLColumn // the requested columns
	vals [][]byte            // the converted values of the current row
	bufs [][]byte            // a scratch buffer per requested column
}

var (
	trueText  = []byte("true")
	falseText = []byte("false")
)

// Next returns the next row, or io.EOF after the last.
func (r *rows) Next() ([][]byte, error) {
	if !r.rr.NextRow() {
		if _, err := r.rr.Close(); err != nil {
			return nil, sources.Reword(err, "reading %s: %s", r.what, cause(err))
		}
		return nil, io.EOF
	}
	raw := r.rr.Values()
	for i, p := range r.pick {
		v, err := r.convert(i, raw[p])
		if err != nil {
			return nil, err
		}
		r.vals[i] = v
	}
	return r.vals, nil
}

// convert turns one value as the server sent it (see format) into the
// string curation parses.
func (r *rows) convert(i int, v []byte) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	col := r.cols[i]
	size := 8
	switch col.Kind {
	case sources.SQLBoolean:
		if len(v) == 1 && v[0] == 't' {
			return trueText, nil
		}
		return falseText, nil
	case sources.SQLDate:
		size = 4
	case sources.SQLTimestamp, sources.SQLTimestampTZ:
	default:
		return v, nil
	}
	if len(v) != size {
		return nil, fmt.Errorf("reading %s: column %q: a binary %s of %d bytes", r.what, col.Name, col.Type, len(v))
	}
	if size == 4 {
		r.bufs[i] = appendDate(r.bufs[i][:0], int32(binary.BigEndian.Uint32(v)))
	} else {
		r.bufs[i] = appendTimestamp(r.bufs[i][:0], int64(binary.BigEndian.Uint64(v)), col.Kind == sources.SQLTimestampTZ)
	}
	return r.bufs[i], nil
}

// Close ends the result; after a cancel it returns at once.
func (r *rows) Close() { r.rr.Close() }

const (
	epochDays = 10957          // days from 1970-01-01 to PostgreSQL's epoch, 2000-01-01
	usPerDay  = 86_400_000_000 // microseconds in a day
)

// appendDate writes a binary date (days since 2000-01-01) as 2024-03-01.
func appendDate(dst []byte, days int32) []byte {
	switch days {
	case math.MaxInt32:
		return append(dst, "infinity"...)
	case math.MinInt32:
		return append(dst, "-infinity"...)
	}
	return appendCivil(dst, int64(days)+epochDays)
}

// appendTimestamp writes a binary timestamp (microseconds since
// 2000-01-01) as 2024-03-01T09:00:00[.5][Z].
func appendTimestamp(dst []byte, us int64, zulu bool) []byte {
	switch us {
	case math.MaxInt64:
		return append(dst, "infinity"...)
	case math.MinInt64:
		return append(dst, "-infinity"...)
	}
	days, rem := us/usPerDay, us%usPerDay
	if rem < 0 {
		days, rem = days-1, rem+usPerDay
	}
	dst = append(appendCivil(dst, days+epochDays), 'T')
	secs, frac := rem/1e6, rem%1e6
	dst = appendTwo(append(appendTwo(append(appendTwo(dst, secs/3600), ':'), secs/60%60), ':'), secs%60)
	if frac != 0 {
		dst = append(dst, '.')
		digits := 6
		for ; frac%10 == 0; frac /= 10 {
			digits--
		}
		dst = appendDigits(dst, frac, digits)
	}
	if zulu {
		dst = append(dst, 'Z')
	}
	return dst
}

// appendCivil writes a day number (days since 1970-01-01) as a proleptic
// Gregorian date, by Howard Hinnant's civil_from_days.
func appendCivil(dst []byte, z int64) []byte {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d, m, y := doy-(153*mp+2)/5+1, mp+3, yoe+era*400
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	if y < 0 {
		dst, y = append(dst, '-'), -y
	}
	return appendTwo(append(appendTwo(append(appendDigits(dst, y, 4), '-'), m), '-'), d)
}

func appendTwo(dst []byte, v int64) []byte { return appendDigits(dst, v, 2) }

// appendDigits writes v (>= 0) in decimal, zero-padded to at least n digits.
func appendDigits(dst []byte, v int64, n int) []byte {
	var buf [20]byte
	i := len(buf)
	for v > 0 || n > 0 {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
		n--
	}
	return append(dst, buf[i:]...)
}

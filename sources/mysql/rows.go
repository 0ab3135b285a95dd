package mysql

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"strings"
	"time"

	"scorecard/sources"
)

// Describe learns the result's columns from an empty read of it.
func (d *driver) Describe(ctx context.Context) ([]sources.SQLColumn, error) {
	q := "SELECT * FROM " + d.Table + " LIMIT 0"
	if d.Table == "" {
		q = "SELECT * FROM (\n" + query(d.Config) + "\n) AS scorecard_q LIMIT 0"
	}
	rs, err := d.conn.QueryContext(ctx, q)
	if err != nil {
		return nil, sources.Reword(err, "%s: %s", d.What, cause(err))
	}
	defer rs.Close()
	types, err := rs.ColumnTypes()
	if err != nil {
		return nil, sources.Reword(err, "%s: %s", d.What, cause(err))
	}
	cols := make([]sources.SQLColumn, len(types))
	for i, t := range types {
		cols[i] = sources.SQLColumn{Name: t.Name(), Type: t.DatabaseTypeName(), Kind: classify(t.DatabaseTypeName())}
	}
	return cols, d.Described(cols, d.KindNames())
}

// query is the configured query without the trailing semicolon a
// derived table cannot hold.
func query(cfg sources.Config) string {
	return strings.TrimRight(strings.TrimSpace(cfg.Query), "; \t\r\n")
}

// classify maps the driver's type names (see ColumnType.DatabaseTypeName).
func classify(typ string) sources.SQLKind {
	switch strings.TrimPrefix(typ, "UNSIGNED ") {
	case "CHAR", "VARCHAR", "TINYTEXT", "TEXT", "MEDIUMTEXT", "LONGTEXT", "ENUM":
		return sources.SQLText
	case "TINYINT", "SMALLINT", "MEDIUMINT", "INT", "BIGINT":
		return sources.SQLInteger
	case "DATE":
		return sources.SQLDate
	case "DATETIME":
		return sources.SQLTimestamp
	case "TIMESTAMP":
		return sources.SQLTimestampTZ
	case "DECIMAL", "FLOAT", "DOUBLE":
		return sources.SQLNumber
	}
	return sources.SQLOther
}

// Query sets the bound variables and runs the statement over the text
// protocol (no arguments), whose rows arrive as they are read.
func (d *driver) Query(ctx context.Context, cols []int) (sources.SQLRows, error) {
	b, kind := d.Config.Bounds, d.BoundKind()
	_, err := d.conn.ExecContext(ctx, "SET @scorecard_lower = ?, @scorecard_upper = ?",
		boundArg(b.Lower, kind), boundArg(b.Upper, kind))
	var rs *sql.Rows
	if err == nil {
		rs, err = d.conn.QueryContext(ctx, d.statement(cols))
	}
	if err != nil {
		return nil, sources.Reword(err, "reading %s: %s", d.What, cause(err))
	}
	r := &rows{rs: rs, what: d.What, pick: cols, vals: make([][]byte, len(cols)), bufs: make([][]byte, len(cols))}
	width := len(d.Cols)
	if d.Table != "" {
		width, r.pick = len(cols), nil // the statement reads just cols, in order
	}
	r.raw, r.dest = make([]sql.RawBytes, width), make([]any, width)
	for i := range r.dest {
		r.dest[i] = &r.raw[i]
	}
	for _, p := range cols {
		r.kinds = append(r.kinds, d.Cols[p].Kind)
	}
	return r, nil
}

// boundArg is a bound's value for its variable: NULL when open, else as
// kind compares it (see sources.SQLTable.BoundKind).
func boundArg(t *time.Time, kind sources.SQLKind) any {
	if t == nil {
		return nil
	}
	return sources.BoundText(*t, kind)
}

// statement is the query as written, or the table's SELECT comparing the
// bounds column with the variables of the bounds that are set.
func (d *driver) statement(cols []int) string {
	if d.Table == "" {
		return query(d.Config)
	}
	var lower, upper string
	if d.Config.Bounds.Lower != nil {
		lower = "@scorecard_lower"
	}
	if d.Config.Bounds.Upper != nil {
		upper = "@scorecard_upper"
	}
	return d.Select(cols, lower, upper)
}

// rows scans each row into RawBytes, which point into the driver's buffer,
// and rewrites date-times into per-column buffers: no allocation per row.
type rows struct {
	rs    *sql.Rows
	what  string
	raw   []sql.RawBytes
	dest  []any
	pick  []int             // the scanned position of each requested column; nil = the same
	kinds []sources.SQLKind // of the requested columns
	vals  [][]byte
	bufs  [][]byte
}

// Next returns the next row, or io.EOF after the last.
func (r *rows) Next() ([][]byte, error) {
	if !r.rs.Next() {
		if err := r.rs.Err(); err != nil {
			return nil, sources.Reword(err, "reading %s: %s", r.what, cause(err))
		}
		return nil, io.EOF
	}
	if err := r.rs.Scan(r.dest...); err != nil {
		return nil, sources.Reword(err, "reading %s: %s", r.what, cause(err))
	}
	for i, k := range r.kinds {
		v := r.raw[i]
		if r.pick != nil {
			v = r.raw[r.pick[i]]
		}
		r.vals[i] = v
		if v != nil && (k == sources.SQLTimestamp || k == sources.SQLTimestampTZ) {
			r.bufs[i] = appendDateTime(r.bufs[i][:0], v, k == sources.SQLTimestampTZ)
			r.vals[i] = r.bufs[i]
		}
	}
	return r.vals, nil
}

// Close ends the result; after a cancel it returns at once.
func (r *rows) Close() { r.rs.Close() }

// appendDateTime rewrites MySQL's `2024-03-01 10:00:00.500000` as
// `2024-03-01T10:00:00.5`, with Z for an instant.
func appendDateTime(dst, v []byte, zulu bool) []byte {
	dst = append(dst, v...)
	if len(dst) > 10 && dst[10] == ' ' {
		dst[10] = 'T'
	}
	if bytes.IndexByte(dst, '.') >= 0 {
		dst = bytes.TrimRight(bytes.TrimRight(dst, "0"), ".")
	}
	if zulu {
		dst = append(dst, 'Z')
	}
	return dst
}

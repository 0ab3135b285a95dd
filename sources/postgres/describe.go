package postgres

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"scorecard/sources"
)

// OIDs of the built-in types read by kind; other types are classified by
// their pg_type category.
const (
	oidBool        = 16
	oidInt8        = 20
	oidInt2        = 21
	oidInt4        = 23
	oidFloat4      = 700
	oidFloat8      = 701
	oidDate        = 1082
	oidTimestamp   = 1114
	oidTimestampTZ = 1184
	oidNumeric     = 1700
)

var oidKinds = map[uint32]sources.SQLKind{
	oidBool: sources.SQLBoolean, oidInt2: sources.SQLInteger, oidInt4: sources.SQLInteger,
	oidInt8: sources.SQLInteger, oidDate: sources.SQLDate, oidTimestamp: sources.SQLTimestamp,
	oidTimestampTZ: sources.SQLTimestampTZ, oidFloat4: sources.SQLNumber, oidFloat8: sources.SQLNumber,
	oidNumeric: sources.SQLNumber,
}

// kindOIDs is the parameter type of a bound compared with a column of a kind.
var kindOIDs = map[sources.SQLKind]uint32{
	sources.SQLDate: oidDate, sources.SQLTimestamp: oidTimestamp, sources.SQLTimestampTZ: oidTimestampTZ,
}

// Describe prepares the statement (unnamed, so nothing is left behind) to
// learn the result's columns, and looks up their types.
func (d *driver) Describe(ctx context.Context) ([]sources.SQLColumn, error) {
	sql, oids := d.Config.Query, []uint32{oidTimestampTZ, oidTimestampTZ}
	if d.Table != "" {
		sql, oids = "SELECT * FROM "+d.Table, nil
	}
	sd, err := d.pg.Prepare(ctx, "", sql, oids)
	if err != nil {
		return nil, sources.Reword(err, "%s: %s", d.What, cause(err))
	}
	cols, err := d.lookupTypes(ctx, sd.Fields)
	if err != nil {
		return nil, err
	}
	return cols, d.Described(cols, d.KindNames())
}

// lookupTypes names and classifies the fields' types in one query; a
// domain is read as its base type, any string or enum type as text.
func (d *driver) lookupTypes(ctx context.Context, fields []pgconn.FieldDescription) ([]sources.SQLColumn, error) {
	ids := make([]string, len(fields))
	for i, f := range fields {
		ids[i] = strconv.FormatUint(uint64(f.DataTypeOID), 10)
	}
	const sql = `SELECT t.oid::int8, t.typname, t.typcategory, COALESCE(NULLIF(t.typbasetype, 0), t.oid)::int8
		FROM pg_catalog.pg_type t WHERE t.oid = ANY($1::oid[])`
	rr := d.pg.ExecParams(ctx, sql, [][]byte{[]byte("{" + strings.Join(ids, ",") + "}")}, nil, nil, nil)
	types := map[uint32]sources.SQLColumn{}
	for rr.NextRow() {
		v := rr.Values()
		oid, _ := strconv.ParseUint(string(v[0]), 10, 32)
		base, _ := strconv.ParseUint(string(v[3]), 10, 32)
		types[uint32(oid)] = sources.SQLColumn{Type: string(v[1]), Kind: classify(uint32(base), string(v[2]))}
	}
	if _, err := rr.Close(); err != nil {
		return nil, sources.Reword(err, "%s: looking up column types: %s", d.What, cause(err))
	}
	cols := make([]sources.SQLColumn, len(fields))
	for i, f := range fields {
		cols[i] = types[f.DataTypeOID]
		cols[i].Name = f.Name
	}
	return cols, nil
}

func classify(oid uint32, category string) sources.SQLKind {
	if k, ok := oidKinds[oid]; ok {
		return k
	}
	if category == "S" || category == "E" {
		return sources.SQLText
	}
	return sources.SQLOther
}

// statement builds the SQL, parameters and result formats reading the
// columns at positions cols: dates and timestamps in binary, the rest in
// text, which is already the string we want. A query gets both bounds as
// $1 and $2; a table's WHERE, only those that are set.
func (d *driver) statement(cols []int) (sql string, params [][]byte, oids []uint32, formats []int16) {
	b, kind := d.Config.Bounds, d.BoundKind()
	if d.Table == "" {
		formats = make([]int16, len(d.Cols))
		for _, p := range cols {
			formats[p] = format(d.Cols[p].Kind)
		}
		return d.Config.Query, [][]byte{boundParam(b.Lower, kind), boundParam(b.Upper, kind)},
			[]uint32{oidTimestampTZ, oidTimestampTZ}, formats
	}
	for _, p := range cols {
		formats = append(formats, format(d.Cols[p].Kind))
	}
	var refs [2]string
	for i, t := range []*time.Time{b.Lower, b.Upper} {
		if t != nil {
			params, oids = append(params, boundParam(t, kind)), append(oids, kindOIDs[kind])
			refs[i] = "$" + strconv.Itoa(len(params))
		}
	}
	return d.Select(cols, refs[0], refs[1]), params, oids, formats
}

func format(k sources.SQLKind) int16 {
	switch k {
	case sources.SQLDate, sources.SQLTimestamp, sources.SQLTimestampTZ:
		return 1 // binary
	}
	return 0 // text
}

// boundParam is a bound as a text parameter of kind k, nil (NULL) when open.
func boundParam(t *time.Time, k sources.SQLKind) []byte {
	if t == nil {
		return nil
	}
	return []byte(sources.BoundText(*t, k))
}

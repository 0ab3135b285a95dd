package sources

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// SQLKind classifies a result column's type by what its values can hold.
type SQLKind int

// The kinds of SQL column types a dataset column can be read from.
const (
	SQLOther       SQLKind = iota // a type no dataset column accepts (bytea, json, ...)
	SQLText                       // character types (and enums)
	SQLInteger                    // integer types, tinyint(1) included
	SQLBoolean                    // a real boolean type
	SQLDate                       // a calendar date
	SQLTimestamp                  // a wall-clock time without zone
	SQLTimestampTZ                // an instant
	SQLNumber                     // a decimal or floating-point number
)

// sqlAccepts lists, per value type, the kinds a column holding it can be read from, in the
// order messages name them.
var sqlAccepts = map[ValueType][]SQLKind{
	ValueText:   {SQLText},
	ValueID:     {SQLText, SQLInteger},
	ValueBool:   {SQLBoolean, SQLInteger, SQLText},
	ValueTime:   {SQLDate, SQLTimestamp, SQLTimestampTZ, SQLText},
	ValueNumber: {SQLNumber, SQLInteger, SQLText},
}

// SQLColumn is one column of a SQL source's result.
type SQLColumn struct {
	Name string
	Type string // the database's name for the type, for messages
	Kind SQLKind
}

// checkSQLTypes checks that every column index (from Dataset.ResolveColumns)
// uses can hold d's column it is read as. names gives each kind's name in the
// database's terms; kinds without a name are left out of the message.
func checkSQLTypes(d Dataset, where string, cols []SQLColumn, index []int, names map[SQLKind]string) error {
	var errs []error
	for i, column := range d.Columns {
		if index[i] < 0 {
			continue
		}
		col := cols[index[i]]
		ok := sqlAccepts[d.Values[column]]
		if !contains(ok, col.Kind) {
			errs = append(errs, errorf(ErrColumnType, "%s: column %q (%s) is %s; want %s",
				where, col.Name, column, col.Type, kindList(ok, names)))
		}
	}
	return errors.Join(errs...)
}

func contains(kinds []SQLKind, k SQLKind) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

// kindList names kinds as "a, b or c".
func kindList(kinds []SQLKind, names map[SQLKind]string) string {
	var out []string
	for _, k := range kinds {
		if n, ok := names[k]; ok {
			out = append(out, n)
		}
	}
	if len(out) < 2 {
		return strings.Join(out, "")
	}
	return strings.Join(out[:len(out)-1], ", ") + " or " + out[len(out)-1]
}

// SQLTable is what a SQLDriver reads and what Describe found of it: the
// part both kinds share, embedded in their drivers.
type SQLTable struct {
	Config Config
	Quote  func(name string) string // quotes an identifier
	Table  string                   // the quoted [schema.]name in table mode; "" in query mode
	What   string                   // `table "x"` or `query`, for messages
	Cols   []SQLColumn              // the result's columns, once described
	Bound  int                      // the bounds column's position in Cols, or -1
}

// NewSQLTable returns the SQLTable of a checked cfg.
func NewSQLTable(cfg Config, quote func(string) string) SQLTable {
	t := SQLTable{Config: cfg, Quote: quote, What: sqlTarget(cfg), Bound: -1}
	if cfg.Table != "" {
		parts := strings.Split(cfg.Table, ".")
		for i, p := range parts {
			parts[i] = quote(p)
		}
		t.Table = strings.Join(parts, ".")
	}
	return t
}

// Described records the result's columns and, in table mode, finds the
// bounds column and checks that it is a date or timestamp.
func (t *SQLTable) Described(cols []SQLColumn, names map[SQLKind]string) error {
	t.Cols = cols
	name := t.Config.Bounds.Column
	if t.Table == "" || name == "" {
		return nil
	}
	r := resolver{names: make([]string, len(cols))}
	for i, c := range cols {
		r.names[i] = c.Name
	}
	if t.Bound, _ = r.lookup(name); t.Bound < 0 {
		return errorf(ErrMissingColumn, "%s: missing bounds column %q", t.What, name)
	}
	want := []SQLKind{SQLDate, SQLTimestamp, SQLTimestampTZ}
	if col := cols[t.Bound]; !contains(want, col.Kind) {
		return errorf(ErrColumnType, "%s: bounds column %q is %s; want %s", t.What, col.Name, col.Type, kindList(want, names))
	}
	return nil
}

// BoundKind is what a bound is compared as: the bounds column's kind in
// table mode, an instant in query mode.
func (t *SQLTable) BoundKind() SQLKind {
	if t.Bound < 0 {
		return SQLTimestampTZ
	}
	return t.Cols[t.Bound].Kind
}

// Select is table mode's statement: the columns at positions cols, with
// `bound >= lower` and `bound < upper` for the parameter references
// lower and upper that are not "" (so for the bounds that are set).
func (t *SQLTable) Select(cols []int, lower, upper string) string {
	names := make([]string, len(cols))
	for i, p := range cols {
		names[i] = t.Quote(t.Cols[p].Name)
	}
	q := "SELECT " + strings.Join(names, ", ") + " FROM " + t.Table
	var where []string
	if lower != "" {
		where = append(where, t.Quote(t.Cols[t.Bound].Name)+" >= "+lower)
	}
	if upper != "" {
		where = append(where, t.Quote(t.Cols[t.Bound].Name)+" < "+upper)
	}
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	return q
}

// BoundText renders a bound for comparison with a column of kind k, in a
// session whose time zone is UTC: an instant in UTC, a wall-clock time or a
// date as t shows them in its own location.
func BoundText(t time.Time, k SQLKind) string {
	switch k {
	case SQLDate:
		return t.Format(time.DateOnly)
	case SQLTimestampTZ:
		t = t.UTC()
	}
	return t.Format("2006-01-02 15:04:05.999999")
}

// ValidateSQL checks the parts of a SQL source's Config that need no server.
func ValidateSQL(cfg Config) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	var errs []error
	if cfg.DSN == "" {
		errs = append(errs, fmt.Errorf("%w: a %s source needs a dsn%s", ErrInvalidConfig, cfg.Kind, envHint(cfg)))
	}
	if (cfg.Table == "") == (cfg.Query == "") {
		errs = append(errs, fmt.Errorf("%w: a %s source needs either a table or a query", ErrInvalidConfig, cfg.Kind))
	}
	if cfg.Table != "" {
		errs = append(errs, checkTable(cfg.Table))
	}
	b := cfg.Bounds
	if cfg.Table != "" && b.Column == "" && (b.Lower != nil || b.Upper != nil) {
		errs = append(errs, fmt.Errorf("%w: bounds need a column to compare", ErrInvalidConfig))
	}
	if b.Lower != nil && b.Upper != nil && b.Upper.Before(*b.Lower) {
		errs = append(errs, fmt.Errorf("%w: bounds: upper %s is before lower %s", ErrInvalidConfig, b.Upper, b.Lower))
	}
	return errors.Join(errs...)
}

func envHint(cfg Config) string {
	if cfg.DSNEnv == "" {
		return ""
	}
	return " from $" + cfg.DSNEnv
}

// checkTable checks that a table name is NAME or SCHEMA.NAME.
func checkTable(table string) error {
	parts := strings.Split(table, ".")
	for _, p := range parts {
		if strings.TrimSpace(p) == "" || len(parts) > 2 {
			return fmt.Errorf("%w: table %q is not NAME or SCHEMA.NAME", ErrInvalidConfig, table)
		}
	}
	return nil
}

// sqlTarget names what a SQL source reads, for messages: `table "x"` or `query`.
func sqlTarget(cfg Config) string {
	if cfg.Table != "" {
		return fmt.Sprintf("table %q", cfg.Table)
	}
	return "query"
}

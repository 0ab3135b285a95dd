// Package mysql is the `mysql` source kind (MySQL and MariaDB): one table,
// view or SELECT, read as raw strings under the column names of the
// config's dataset (see sources.Dataset.RawSchema).
//
// Table mode reads `SELECT <the needed columns> FROM <table>`, with
// `WHERE col >= @scorecard_lower AND col < @scorecard_upper` for the
// bounds that are set. The table is NAME or DATABASE.NAME, quoted as
// written. A bound is compared as the bounds column's type: an instant in
// UTC for TIMESTAMP, the bound's wall clock for DATETIME, its date for DATE.
//
// Query mode runs Config.Query as written, so its ORDER BY holds and
// source_row is the row's place in its result. The bounds are not bind
// parameters, whose `?` are positional: they are the session variables
// @scorecard_lower and @scorecard_upper, set just before the query (NULL
// when open, else the instant in UTC as 'YYYY-MM-DD hh:mm:ss.ffffff'), so a
// query may use each any number of times, e.g. `WHERE (@scorecard_lower
// IS NULL OR updated_at >= @scorecard_lower)`. To learn the result's
// column types without reading it, the query is also run once as
// `SELECT * FROM (<query>) AS scorecard_q LIMIT 0`, so its column names
// must be unique.
//
// The session time zone is UTC (the DSN's time_zone is overridden), so a
// TIMESTAMP, an instant, reads as UTC and is written with Z:
// 2024-03-01T09:00:00Z; a DATETIME is a wall clock: 2024-03-01T10:00:00;
// a DATE is 2024-03-01; fractional seconds appear only when not zero
// (trailing zeros trimmed). Integers, BOOL (TINYINT(1): 1/0) and text are
// as stored, text in UTF-8 (the server converts it: the DSN's charset is
// overridden for results), NULL is "". Every used column's type is checked
// before any row is read.
//
// Rows are streamed over the text protocol into sql.RawBytes, one row in
// memory at a time. Faults are retried as in package postgres: refused or
// dropped connections with backoff for the retry budget, and a query only
// until its first batch is returned. Errors never show the DSN's password.
package mysql

import (
	"context"
	"database/sql"
	sqldriver "database/sql/driver"
	"errors"
	"net"
	"strings"
	"time"

	gomysql "github.com/go-sql-driver/mysql"

	"scorecard/sources"
)

// Kind is the config's `kind:` for MySQL and MariaDB sources.
const Kind = "mysql"

var _ sources.Source = (*Source)(nil)

// Source streams one MySQL table or query as batches of at most
// Config.BatchSize rows; see the package comment.
type Source = sources.SQLSource

// New returns a MySQL Source for cfg; it checks cfg but does not connect.
func New(cfg sources.Config) (sources.Source, error) { return sources.NewSQL(cfg, Kind, newDriver) }

// NewWithRetry is New with a retry budget other than sources.DefaultRetry.
func NewWithRetry(cfg sources.Config, retry time.Duration) (*Source, error) {
	return sources.NewSQLSource(cfg, Kind, retry, newDriver)
}

// driver is the MySQL half of a sources.SQLSource.
type driver struct {
	sources.SQLTable
	conf *gomysql.Config
	db   *sql.DB
	conn *sql.Conn // one connection, for the session variables
}

func newDriver(cfg sources.Config) (sources.SQLDriver, string, error) {
	conf, err := gomysql.ParseDSN(cfg.DSN)
	if err != nil {
		return nil, "", err
	}
	conf.InterpolateParams = false // values travel as parameters, never in SQL text
	conf.ParseTime = false         // RawBytes get the server's text
	conf.Loc = time.UTC
	if conf.Params == nil {
		conf.Params = map[string]string{}
	}
	conf.Params["time_zone"] = "'+00:00'" // TIMESTAMP values and bounds in UTC
	// Results arrive as UTF-8, converted by the server from each column's character set
	// (latin1 included), whatever the DSN's charset says: the raw landing holds UTF-8 only.
	// Params are set after the charset's SET NAMES, so this one wins.
	conf.Params["character_set_results"] = "utf8mb4"
	conf.Logger = &gomysql.NopLogger{} // errors are returned, not printed
	return &driver{SQLTable: sources.NewSQLTable(cfg, quoteIdent), conf: conf}, conf.Passwd, nil
}

func quoteIdent(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// Connect opens the connection.
func (d *driver) Connect(ctx context.Context) error {
	d.Close()
	connector, err := gomysql.NewConnector(d.conf)
	if err == nil {
		d.db = sql.OpenDB(connector)
		d.conn, err = d.db.Conn(ctx)
	}
	if err != nil {
		d.Close()
		return sources.Reword(err, "connecting to database %q as user %q on %s: %s",
			d.conf.DBName, d.conf.User, d.conf.Addr, cause(err))
	}
	return nil
}

// cause is the part of a driver error worth showing.
func cause(err error) string {
	var oe *net.OpError
	if errors.As(err, &oe) {
		return oe.Error()
	}
	return err.Error()
}

// Close closes the connection.
func (d *driver) Close() {
	if d.conn != nil {
		d.conn.Close()
		d.conn = nil
	}
	if d.db != nil {
		d.db.Close()
		d.db = nil
	}
}

// Transient reports connection faults: network errors, a lost connection,
// and the server's errors for going away or being full. Everything else
// (1045 access denied, 1049 no database, 1146 no table, 1054 no column,
// 1142 no permission, 1064 syntax, ...) is final.
func (d *driver) Transient(err error) bool {
	var me *gomysql.MySQLError
	if errors.As(err, &me) {
		switch me.Number {
		case 1040, 1053, 1152, 1927: // too many connections, shutdown, aborted, killed
			return true
		}
		return false
	}
	return errors.Is(err, sqldriver.ErrBadConn) || errors.Is(err, gomysql.ErrInvalidConn) ||
		sources.NetTransient(err)
}

// KindNames names the kinds in MySQL's terms; BOOL is TINYINT(1), an integer.
func (d *driver) KindNames() map[sources.SQLKind]string {
	return map[sources.SQLKind]string{sources.SQLText: "text", sources.SQLInteger: "integer",
		sources.SQLDate: "DATE", sources.SQLTimestamp: "DATETIME", sources.SQLTimestampTZ: "TIMESTAMP",
		sources.SQLNumber: "DECIMAL"}
}

// Package postgres is the `postgres` source kind: one table, view or
// SELECT of a PostgreSQL database, read as raw strings under the column
// names of the config's dataset (see sources.Dataset.RawSchema).
//
// Table mode reads `SELECT <the needed columns> FROM <table>`, with
// `WHERE col >= $1 AND col < $2` for the bounds that are set. The table is
// NAME or SCHEMA.NAME, quoted as written: names are case-sensitive, as
// PostgreSQL stores them (lower case unless created quoted). A bound is
// compared as the bounds column's type: an instant for timestamptz, the
// bound's wall clock for timestamp, its date for date.
//
// Query mode runs Config.Query as written, so its ORDER BY holds and
// source_row is the row's place in its result. It receives the bounds as
// $1 (lower) and $2 (upper), both timestamptz, NULL when open; a query
// uses them as it likes, e.g. `WHERE ($1 IS NULL OR updated_at >= $1) AND
// ($2 IS NULL OR updated_at < $2)`. The session time zone is UTC.
//
// Values are formatted as curation parses them: timestamptz as
// 2024-03-01T09:00:00Z (UTC), timestamp as 2024-03-01T10:00:00 (wall
// clock), date as 2024-03-01, fractional seconds only when not zero
// (trailing zeros trimmed), boolean as true/false, integers and text as
// the server prints them, in UTF-8 (client_encoding is UTF8 whatever the
// DSN says), NULL as "". Every used column's type is checked before any
// row is read.
//
// Rows are streamed with the extended protocol, dates and timestamps in
// binary, one row in memory at a time, so memory does not grow with the
// table. Refused, reset or dropped connections are retried with backoff
// for the retry budget (sources.DefaultRetry unless NewWithRetry says
// otherwise); a drop is retried, re-running the query, only before the
// first batch is returned, so no row is returned twice; later it fails
// with sources.ErrUnavailable. Errors never show the DSN's password.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"scorecard/sources"
)

// Kind is the config's `kind:` for PostgreSQL sources.
const Kind = "postgres"

var _ sources.Source = (*Source)(nil)

// Source streams one PostgreSQL table or query as batches of at most
// Config.BatchSize rows; see the package comment.
type Source = sources.SQLSource

// New returns a PostgreSQL Source for cfg; it checks cfg but does not connect.
func New(cfg sources.Config) (sources.Source, error) { return sources.NewSQL(cfg, Kind, newDriver) }

// NewWithRetry is New with a retry budget other than sources.DefaultRetry.
func NewWithRetry(cfg sources.Config, retry time.Duration) (*Source, error) {
	return sources.NewSQLSource(cfg, Kind, retry, newDriver)
}

// driver is the PostgreSQL half of a sources.SQLSource.
type driver struct {
	sources.SQLTable
	conf *pgconn.Config
	pg   *pgconn.PgConn
}

func newDriver(cfg sources.Config) (sources.SQLDriver, string, error) {
	conf, err := pgconn.ParseConfig(cfg.DSN)
	if err != nil {
		return nil, "", err
	}
	conf.RuntimeParams["timezone"] = "UTC" // query-mode bounds and casts do not depend on the server's zone
	// Text arrives as UTF-8, converted by the server from the database's encoding, whatever
	// the DSN or the server's default says: the raw landing holds UTF-8 only. (A SQL_ASCII
	// database converts nothing; see sources.RawBuilder.)
	conf.RuntimeParams["client_encoding"] = "UTF8"
	if conf.RuntimeParams["application_name"] == "" {
		conf.RuntimeParams["application_name"] = "scorecard"
	}
	return &driver{SQLTable: sources.NewSQLTable(cfg, quoteIdent), conf: conf}, conf.Password, nil
}

func quoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// Connect opens the connection.
func (d *driver) Connect(ctx context.Context) error {
	d.Close()
	pg, err := pgconn.ConnectConfig(ctx, d.conf)
	if err != nil {
		return sources.Reword(err, "connecting to database %q as user %q on %s: %s",
			d.conf.Database, d.conf.User, d.address(), cause(err))
	}
	d.pg = pg
	return nil
}

func (d *driver) address() string {
	if strings.HasPrefix(d.conf.Host, "/") {
		return d.conf.Host
	}
	return net.JoinHostPort(d.conf.Host, fmt.Sprint(d.conf.Port))
}

// cause is the part of a driver error worth showing: the server's message
// with its SQLSTATE, or the network error, without pgconn's preamble.
func cause(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return fmt.Sprintf("%s (SQLSTATE %s)", pe.Message, pe.Code)
	}
	var oe *net.OpError
	if errors.As(err, &oe) {
		return oe.Error()
	}
	return err.Error()
}

// Close closes the connection.
func (d *driver) Close() {
	if d.pg != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		d.pg.Close(ctx)
		cancel()
		d.pg = nil
	}
}

// Transient reports connection faults: network errors, a lost connection,
// and the SQLSTATEs of a server going away or not yet ready. Everything
// else the server says (28P01 bad password, 3D000 no database, 42P01 no
// table, 42703 no column, 42501 no permission, 42601 syntax, ...) is final.
func (d *driver) Transient(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "57P01", "57P02", "57P03", "53300": // shutdown, crash, starting up, too many connections
			return true
		}
		return strings.HasPrefix(pe.Code, "08") // connection exception
	}
	return pgconn.Timeout(err) || errors.Is(err, pgconn.ErrConnClosed) || sources.NetTransient(err)
}

// KindNames names the kinds in PostgreSQL's terms.
func (d *driver) KindNames() map[sources.SQLKind]string {
	return map[sources.SQLKind]string{sources.SQLText: "text", sources.SQLInteger: "integer",
		sources.SQLBoolean: "boolean", sources.SQLDate: "date", sources.SQLTimestamp: "timestamp",
		sources.SQLTimestampTZ: "timestamptz", sources.SQLNumber: "numeric"}
}

package sources_test

// The SQL source kinds share their behaviour, so one suite runs against
// each real server: PostgreSQL when SCORECARD_TEST_PG_DSN is set, MySQL or
// MariaDB when SCORECARD_TEST_MYSQL_DSN is. Each test makes its own tables
// and users under unique names and drops them when it ends.

import (
	"cmp"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	gomysql "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"

	"scorecard/sources"
	"scorecard/sources/mysql"
	"scorecard/sources/postgres"
)

// testDB is one server under test and how its SQL differs.
type testDB struct {
	kind, env, dsn string
	newSource      func(sources.Config, time.Duration) (*sources.SQLSource, error)
	exec           func(tb testing.TB, stmts ...string)
	column         func(tb testing.TB, query string) []string // the first column of a query's rows
	quote          func(name string) string
	types          map[string]string                            // "bool", "instant", "wall", "binary", "float" in DDL
	lower, upper   string                                       // how a query names the bounds
	sleep          string                                       // an expression that takes 10s
	dsnWith        func(user, password, addr, db string) string // "" keeps the test DSN's
	load           func(tb testing.TB, table string, csv io.Reader)
	userSQL        func(user, password string) string // creates a login without rights
	dropUserSQL    func(user string) string
	grantSQL       func(table, user string) string  // lets user read table, or every table ("*")
	kill           func(tb testing.TB, user string) // ends the user's connections, and waits for it
}

var dbs = []struct {
	kind string
	open func(testing.TB) *testDB
}{{postgres.Kind, openPG}, {mysql.Kind, openMySQL}}

// forEachDB runs fn as a subtest per server whose DSN is set.
func forEachDB(t *testing.T, fn func(t *testing.T, db *testDB)) {
	for _, d := range dbs {
		t.Run(d.kind, func(t *testing.T) { fn(t, d.open(t)) })
	}
}

func ctx() context.Context { return context.Background() }

func openPG(tb testing.TB) *testDB {
	dsn := os.Getenv("SCORECARD_TEST_PG_DSN")
	if dsn == "" {
		tb.Skip("set SCORECARD_TEST_PG_DSN=postgres://postgres@127.0.0.1:5432/test?sslmode=disable to run (see .ci/run)")
	}
	conf, err := pgconn.ParseConfig(dsn)
	if err != nil {
		tb.Fatal(err)
	}
	conf.RuntimeParams["timezone"] = "UTC"
	pg, err := pgconn.ConnectConfig(ctx(), conf)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { pg.Close(ctx()) })
	run := func(tb testing.TB, q string) []*pgconn.Result {
		res, err := pg.Exec(ctx(), q).ReadAll()
		if err != nil {
			tb.Fatalf("%s: %v", q, err)
		}
		return res
	}
	return &testDB{
		kind: postgres.Kind, env: "SCORECARD_TEST_PG_DSN", dsn: dsn, newSource: postgres.NewWithRetry,
		exec: func(tb testing.TB, stmts ...string) {
			for _, s := range stmts {
				run(tb, s)
			}
		},
		column: func(tb testing.TB, q string) (out []string) {
			for _, row := range run(tb, q)[0].Rows {
				out = append(out, string(row[0]))
			}
			return out
		},
		quote: func(n string) string { return `"` + n + `"` },
		types: map[string]string{"bool": "boolean", "instant": "timestamptz", "wall": "timestamp",
			"binary": "bytea", "float": "float8"},
		lower: "$1", upper: "$2", sleep: "pg_sleep(10)",
		dsnWith: func(user, password, addr, db string) string {
			u, _ := url.Parse(dsn)
			if user != "" {
				u.User = url.UserPassword(user, password)
			}
			u.Host, u.Path = cmp.Or(addr, u.Host), "/"+cmp.Or(db, strings.TrimPrefix(u.Path, "/"))
			return u.String()
		},
		load: func(tb testing.TB, table string, csv io.Reader) {
			if _, err := pg.CopyFrom(ctx(), csv, "COPY "+table+" FROM STDIN (FORMAT csv)"); err != nil {
				tb.Fatal(err)
			}
		},
		userSQL: func(user, password string) string {
			return fmt.Sprintf("CREATE ROLE %s LOGIN PASSWORD '%s'", user, password)
		},
		dropUserSQL: func(user string) string { return "DROP OWNED BY " + user + "; DROP ROLE " + user },
		grantSQL: func(table, user string) string {
			if table == "*" {
				table = "ALL TABLES IN SCHEMA public"
			}
			return "GRANT SELECT ON " + table + " TO " + user
		},
		kill: func(tb testing.TB, user string) {
			run(tb, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '"+user+"'")
			waitFor(tb, func() bool {
				return len(run(tb, "SELECT 1 FROM pg_stat_activity WHERE usename = '"+user+"'")[0].Rows) == 0
			})
		},
	}
}

func openMySQL(tb testing.TB) *testDB {
	dsn := os.Getenv("SCORECARD_TEST_MYSQL_DSN")
	if dsn == "" {
		tb.Skip("set SCORECARD_TEST_MYSQL_DSN=root@tcp(127.0.0.1:3306)/test to run (see .ci/run)")
	}
	conf, err := gomysql.ParseDSN(dsn)
	if err != nil {
		tb.Fatal(err)
	}
	conf.Params = map[string]string{"time_zone": "'+00:00'"}
	connector, _ := gomysql.NewConnector(conf)
	db := sql.OpenDB(connector)
	tb.Cleanup(func() { db.Close() })
	return &testDB{
		kind: mysql.Kind, env: "SCORECARD_TEST_MYSQL_DSN", dsn: dsn, newSource: mysql.NewWithRetry,
		exec: func(tb testing.TB, stmts ...string) {
			for _, s := range stmts {
				if _, err := db.Exec(s); err != nil {
					tb.Fatalf("%s: %v", s, err)
				}
			}
		},
		column: func(tb testing.TB, q string) []string { return mysqlColumn(tb, db, q) },
		quote:  func(n string) string { return "`" + n + "`" },
		types: map[string]string{"bool": "tinyint(1)", "instant": "timestamp(6) NULL", "wall": "datetime(6)",
			"binary": "varbinary(16)", "float": "double"},
		lower: "@scorecard_lower", upper: "@scorecard_upper", sleep: "SLEEP(10)",
		dsnWith: func(user, password, addr, dbName string) string {
			c := conf.Clone()
			if user != "" {
				c.User, c.Passwd = user, password
			}
			c.Addr, c.DBName, c.Params = cmp.Or(addr, c.Addr), cmp.Or(dbName, c.DBName), nil
			return c.FormatDSN()
		},
		load: func(tb testing.TB, table string, csv io.Reader) {
			gomysql.RegisterReaderHandler(table, func() io.Reader { return csv })
			defer gomysql.DeregisterReaderHandler(table)
			if _, err := db.Exec("LOAD DATA LOCAL INFILE 'Reader::" + table + "' INTO TABLE " + table +
				" FIELDS TERMINATED BY ','"); err != nil {
				tb.Fatal(err)
			}
		},
		userSQL: func(user, password string) string {
			return fmt.Sprintf("CREATE USER '%s'@'%%' IDENTIFIED BY '%s'", user, password)
		},
		dropUserSQL: func(user string) string { return "DROP USER IF EXISTS '" + user + "'@'%'" },
		grantSQL:    func(table, user string) string { return "GRANT SELECT ON " + table + " TO '" + user + "'@'%'" },
		kill: func(tb testing.TB, user string) {
			q := "SELECT ID FROM information_schema.PROCESSLIST WHERE USER = '" + user + "'"
			for _, id := range mysqlColumn(tb, db, q) {
				db.Exec("KILL CONNECTION " + id)
			}
			waitFor(tb, func() bool { return len(mysqlColumn(tb, db, q)) == 0 })
		},
	}
}

// waitFor polls done for up to 5s.
func waitFor(tb testing.TB, done func() bool) {
	for range 100 {
		if done() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	tb.Fatal("gave up waiting")
}

func mysqlColumn(tb testing.TB, db *sql.DB, q string) (out []string) {
	rows, err := db.Query(q)
	if err != nil {
		tb.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			tb.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// unique returns a lower-case name for tb's objects, unique across runs.
func unique(tb testing.TB) string {
	name := strings.ToLower(regexp.MustCompile(`[^A-Za-z0-9]+`).ReplaceAllString(tb.Name(), "_"))
	suffix := make([]byte, 4)
	rand.Read(suffix)
	return "sc_" + name[max(0, len(name)-40):] + "_" + hex.EncodeToString(suffix)
}

// table creates a table of the given columns and rows (SQL VALUES tuples)
// and drops it when tb ends.
func (db *testDB) table(tb testing.TB, columns string, rows ...string) string {
	name := unique(tb)
	db.exec(tb, "CREATE TABLE "+name+" ("+columns+")")
	tb.Cleanup(func() { db.exec(tb, "DROP TABLE IF EXISTS "+name) })
	if len(rows) > 0 {
		db.exec(tb, "INSERT INTO "+name+" VALUES "+strings.Join(rows, ", "))
	}
	return name
}

// user creates a login with password and returns a DSN for it.
func (db *testDB) user(tb testing.TB, password string) (name, dsn string) {
	name = unique(tb)
	db.exec(tb, db.userSQL(name, password))
	tb.Cleanup(func() {
		db.kill(tb, name)
		db.exec(tb, db.dropUserSQL(name))
	})
	return name, db.dsnWith(name, password, "", "")
}

func (db *testDB) database() string {
	if c, err := gomysql.ParseDSN(db.dsn); db.kind == mysql.Kind && err == nil {
		return c.DBName
	}
	u, _ := url.Parse(db.dsn)
	return strings.TrimPrefix(u.Path, "/")
}

// config returns a Config reading table (or query, when it has a space)
// with a checked allocator that fails tb if a buffer leaks.
func (db *testDB) config(tb testing.TB, tableOrQuery string) sources.Config {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	tb.Cleanup(func() { mem.AssertSize(tb, 0) })
	cfg := sources.Config{Name: "cases", Kind: db.kind, DSN: db.dsn, DSNEnv: db.env, Allocator: mem}
	if strings.Contains(tableOrQuery, " ") {
		cfg.Query = tableOrQuery
	} else {
		cfg.Table = tableOrQuery
	}
	return cfg
}

// N is a null cell, as arrow renders it.
const N = array.NullValueStr

// r renders one output row as "source_file:source_row v1|v2|...|v8".
func r(file string, line int64, vals ...string) string {
	return fmt.Sprintf("%s:%d %s", file, line, strings.Join(append(vals, make([]string, 8-len(vals))...), "|"))
}

// field is canonical value c of a row rendered by r.
func field(row string, c int) string {
	_, vals, _ := strings.Cut(row, " ")
	return strings.Split(vals, "|")[c]
}

// read reads cfg to its end with the given retry budget, returning the
// rows, the size of each batch and the first error.
func (db *testDB) read(tb testing.TB, cfg sources.Config, retry time.Duration) ([]string, []int64, error) {
	src, err := db.newSource(cfg, retry)
	if err != nil {
		return nil, nil, err
	}
	defer src.Close()
	if err := src.Open(ctx()); err != nil {
		return nil, nil, err
	}
	var rows []string
	var sizes []int64
	for {
		rec, err := src.Next(ctx())
		if errors.Is(err, io.EOF) {
			if _, err := src.Next(ctx()); !errors.Is(err, io.EOF) {
				tb.Errorf("Next after the end = %v, want io.EOF", err)
			}
			return rows, sizes, nil
		}
		if err != nil {
			return rows, sizes, err
		}
		sizes = append(sizes, rec.NumRows())
		rows = append(rows, toRows(tb, rec)...)
		rec.Release()
	}
}

func toRows(tb testing.TB, rec arrow.RecordBatch) []string {
	if !rec.Schema().Equal(sources.RawSchema()) {
		tb.Fatalf("schema = %s", rec.Schema())
	}
	// a database hands over text (see the note on SQL sources in sources.RawBuilder)
	if defects := rec.Column(10); defects.NullN() != defects.Len() {
		tb.Errorf("defect = %s, want every row NULL", defects)
	}
	out, vals := make([]string, rec.NumRows()), make([]string, 8)
	for i := range out {
		for c := range vals {
			vals[c] = rec.Column(c).ValueStr(i)
		}
		out[i] = r(rec.Column(8).ValueStr(i), rec.Column(9).(*array.Int64).Value(i), vals...)
	}
	return out
}

func compare(tb testing.TB, got, want []string) {
	tb.Helper()
	if !slices.Equal(got, want) {
		tb.Errorf("rows:\n got %q\nwant %q", got, want)
	}
}

// mustRead reads cfg and fails tb on an error.
func (db *testDB) mustRead(tb testing.TB, cfg sources.Config) []string {
	tb.Helper()
	rows, _, err := db.read(tb, cfg, time.Second)
	if err != nil {
		tb.Fatal(err)
	}
	return rows
}

// valueCases are, per kind, a table of every type a canonical column may
// have, its rows and the strings they must read as.
var valueCases = map[string]struct {
	columns string
	rows    []string
	want    [][]string
}{
	postgres.Kind: {
		columns: `id int8, kind varchar(20), "First" boolean, complex int2, service text,
			submitted timestamptz, decided timestamp, updated date`,
		rows: []string{
			// timestamptz across both DST changes of Europe/Copenhagen, written with their offsets
			`(1, 'phd', true, 1, 'ja', '2024-03-31 01:30:00+01', '2024-03-31 02:30:00', '2024-03-01')`,
			`(2, 'studie', false, 0, 'nej', '2024-03-31 03:30:00+02', '2024-10-27 02:30:00.25', '1999-12-31')`,
			`(3, 'eu_ophold', NULL, NULL, NULL, '2024-10-27 02:30:00+01', NULL, NULL)`,
			`(-4, '', true, 2, '', '2024-10-27 02:30:00.123456+02', '1970-01-01 00:00:00', '2000-01-01')`,
			`(5, 'x', false, 1, '1', '1999-12-31 23:59:59.5+00', '1969-07-20 20:17:40', '1900-02-28')`,
			`(6, 'y', true, 0, 'Ja', 'infinity', '-infinity', 'infinity')`,
		},
		want: [][]string{
			{"1", "phd", "true", "1", "ja", "2024-03-31T00:30:00Z", "2024-03-31T02:30:00", "2024-03-01"},
			{"2", "studie", "false", "0", "nej", "2024-03-31T01:30:00Z", "2024-10-27T02:30:00.25", "1999-12-31"},
			{"3", "eu_ophold", "", "", "", "2024-10-27T01:30:00Z", "", ""},
			{"-4", "", "true", "2", "", "2024-10-27T00:30:00.123456Z", "1970-01-01T00:00:00", "2000-01-01"},
			{"5", "x", "false", "1", "1", "1999-12-31T23:59:59.5Z", "1969-07-20T20:17:40", "1900-02-28"},
			{"6", "y", "true", "0", "Ja", "infinity", "-infinity", "infinity"},
		},
	},
	mysql.Kind: {
		columns: "id bigint, kind varchar(20), `First` tinyint(1), complex int, service text, " +
			"submitted timestamp(6) NULL, decided datetime(6), updated date",
		rows: []string{
			// TIMESTAMP is stored in UTC: insert local times across DST converted from their offsets
			`(1, 'phd', TRUE, 1, 'ja', CONVERT_TZ('2024-03-31 01:30:00', '+01:00', '+00:00'), '2024-03-31 02:30:00', '2024-03-01')`,
			`(2, 'studie', FALSE, 0, 'nej', CONVERT_TZ('2024-03-31 03:30:00', '+02:00', '+00:00'), '2024-10-27 02:30:00.25', '1999-12-31')`,
			`(3, 'eu_ophold', NULL, NULL, NULL, CONVERT_TZ('2024-10-27 02:30:00', '+01:00', '+00:00'), NULL, NULL)`,
			`(-4, '', 1, 2, '', CONVERT_TZ('2024-10-27 02:30:00.123456', '+02:00', '+00:00'), '1970-01-01 00:00:00', '2000-01-01')`,
			`(5, 'x', 0, 1, '1', '1999-12-31 23:59:59.5', '1969-07-20 20:17:40', '1900-02-28')`,
		},
		want: [][]string{
			{"1", "phd", "1", "1", "ja", "2024-03-31T00:30:00Z", "2024-03-31T02:30:00", "2024-03-01"},
			{"2", "studie", "0", "0", "nej", "2024-03-31T01:30:00Z", "2024-10-27T02:30:00.25", "1999-12-31"},
			{"3", "eu_ophold", "", "", "", "2024-10-27T01:30:00Z", "", ""},
			{"-4", "", "1", "2", "", "2024-10-27T00:30:00.123456Z", "1970-01-01T00:00:00", "2000-01-01"},
			{"5", "x", "0", "1", "1", "1999-12-31T23:59:59.5Z", "1969-07-20T20:17:40", "1900-02-28"},
		},
	},
}

var danish = map[string]string{"case_id": "id", "case_type": "kind", "first_time": "First",
	"has_service_target": "service", "submitted_at": "submitted", "decided_at": "decided", "updated_at": "updated"}

func TestSQLValues(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *testDB) {
		c := valueCases[db.kind]
		table := db.table(t, c.columns, c.rows...)
		cfg := db.config(t, table)
		cfg.Columns = danish
		var want []string
		for i, vals := range c.want {
			want = append(want, r(table, int64(i+1), vals...))
		}
		compare(t, db.mustRead(t, cfg), want)
	})
}

// TestSQLTextIsUTF8: text arrives as UTF-8 whatever the DSN sets as the client's character
// set (here latin1, in which ø is the byte F8) and whatever the column's: the source asks the
// server to convert its results to UTF-8.
func TestSQLTextIsUTF8(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *testDB) {
		latin1, param := "", "client_encoding=LATIN1"
		if db.kind == mysql.Kind {
			latin1, param = " CHARACTER SET latin1", "charset=latin1"
		}
		table := db.table(t, "case_id varchar(10)"+latin1+", case_type varchar(20)"+latin1+", first_time int, submitted_at date",
			"('S\u00f8-1', 'f\u00e6rdig \u00e5r', 1, '2024-01-01')")
		cfg := db.config(t, table)
		cfg.DSN += map[bool]string{true: "&", false: "?"}[strings.Contains(cfg.DSN, "?")] + param
		compare(t, db.mustRead(t, cfg), []string{r(table, 1, "S\u00f8-1", "f\u00e6rdig \u00e5r", "1", N, N, "2024-01-01", N, N)})
	})
}

func TestSQLColumnsAndBatches(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *testDB) {
		table := db.table(t, "sagsnummer varchar(10), "+db.quote("første gang")+" int, sagstype varchar(10), "+
			"note varchar(10), submitted_at date",
			"('a', 1, 'phd', 'n', '2024-01-01')", "('b', 0, 'phd', 'n', '2024-01-02')",
			"('c', 1, 'phd', 'n', '2024-01-03')", "('d', 0, 'phd', 'n', '2024-01-04')", "('e', 1, 'phd', 'n', NULL)")
		cfg := db.config(t, table)
		cfg.Columns = map[string]string{"case_id": "sagsnummer", "case_type": "SAGSTYPE", "first_time": "første gang"}
		cfg.BatchSize = 2
		rows, sizes, err := db.read(t, cfg, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(sizes) != "[2 2 1]" {
			t.Errorf("batch sizes = %v, want [2 2 1]", sizes)
		}
		compare(t, rows, []string{
			r(table, 1, "a", "phd", "1", N, N, "2024-01-01", N, N),
			r(table, 2, "b", "phd", "0", N, N, "2024-01-02", N, N),
			r(table, 3, "c", "phd", "1", N, N, "2024-01-03", N, N),
			r(table, 4, "d", "phd", "0", N, N, "2024-01-04", N, N),
			r(table, 5, "e", "phd", "1", N, N, "", N, N),
		})
	})
}

// boundsTable holds one row per edge of the bounds [10:00Z, 12:00Z) on
// updated_at (an instant), decided_at (a wall clock) and submitted_at (a date).
func boundsTable(t *testing.T, db *testDB) string {
	row := func(id, instant, wall, date string) string {
		return fmt.Sprintf("('%s', 'phd', 1, '%s', '%s', '%s')", id, date, instant, wall)
	}
	return db.table(t, "case_id varchar(10), case_type varchar(10), first_time int, submitted_at date, "+
		"updated_at "+db.types["instant"]+", decided_at "+db.types["wall"],
		row("1", "2024-03-01 09:59:59.999999", "2024-03-01 10:59:59", "2024-02-29"),
		row("2", "2024-03-01 10:00:00", "2024-03-01 11:00:00", "2024-03-01"),
		row("3", "2024-03-01 11:59:59", "2024-03-01 12:59:59", "2024-03-02"),
		row("4", "2024-03-01 12:00:00", "2024-03-01 13:00:00", "2024-03-03"))
}

func TestSQLBoundsTableMode(t *testing.T) {
	cph, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	at := func(hour int, loc *time.Location) *time.Time {
		v := time.Date(2024, 3, 1, 0, 0, 0, 0, loc).Add(time.Duration(hour) * time.Hour)
		return &v
	}
	tests := []struct {
		name string
		b    sources.Bounds
		want string // case_ids
	}{
		{"instant both", sources.Bounds{Column: "updated_at", Lower: at(10, time.UTC), Upper: at(12, time.UTC)}, "23"},
		{"instant from another zone", sources.Bounds{Column: "UPDATED_AT", Lower: at(11, cph), Upper: at(13, cph)}, "23"},
		{"lower only", sources.Bounds{Column: "updated_at", Lower: at(10, time.UTC)}, "234"},
		{"upper only", sources.Bounds{Column: "updated_at", Upper: at(12, time.UTC)}, "123"},
		{"wall clock", sources.Bounds{Column: "decided_at", Lower: at(11, cph), Upper: at(13, cph)}, "23"},
		{"date", sources.Bounds{Column: "submitted_at", Lower: at(10, cph), Upper: at(48, cph)}, "23"},
		{"none", sources.Bounds{Column: "updated_at"}, "1234"},
	}
	forEachDB(t, func(t *testing.T, db *testDB) {
		table := boundsTable(t, db)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				cfg := db.config(t, table)
				cfg.Bounds = tt.b
				got := ""
				for i, row := range db.mustRead(t, cfg) {
					got += field(row, 0)
					if want := fmt.Sprintf("%s:%d ", table, i+1); !strings.HasPrefix(row, want) {
						t.Errorf("row %q does not start with %q", row, want)
					}
				}
				if got != tt.want {
					t.Errorf("case ids %q, want %q", got, tt.want)
				}
			})
		}
	})
}

func TestSQLQueryMode(t *testing.T) {
	lower, upper := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC), time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	forEachDB(t, func(t *testing.T, db *testDB) {
		table := boundsTable(t, db)
		query := fmt.Sprintf("SELECT case_id AS id, case_type, first_time, submitted_at, updated_at FROM %s "+
			"WHERE (%[2]s IS NULL OR updated_at >= %[2]s) AND (%[3]s IS NULL OR updated_at < %[3]s) "+
			"ORDER BY case_id DESC;\n", table, db.lower, db.upper)
		cfg := db.config(t, query)
		cfg.Columns = map[string]string{"case_id": "id"}
		cfg.Bounds = sources.Bounds{Lower: &lower, Upper: &upper}
		compare(t, db.mustRead(t, cfg), []string{
			r("query", 1, "3", "phd", "1", N, N, "2024-03-02", N, "2024-03-01T11:59:59Z"),
			r("query", 2, "2", "phd", "1", N, N, "2024-03-01", N, "2024-03-01T10:00:00Z"),
		})
		cfg.Bounds = sources.Bounds{Upper: &upper}
		if rows := db.mustRead(t, cfg); len(rows) != 3 || field(rows[2], 0) != "1" {
			t.Errorf("with an open lower bound got %+v", rows)
		}
	})
}

// pre is the prefix of every error of the sources these tests make.
func (db *testDB) pre() string { return db.kind + " (dsn from $" + db.env + "): " }

func TestSQLColumnErrors(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *testDB) {
		noFirst := db.table(t, "case_id int, case_type text, submitted_at date")
		badTypes := db.table(t, "case_id "+db.types["float"]+", case_type text, first_time int, modtaget "+db.types["binary"])
		names := db.KindNames()
		tests := []struct {
			name, table string
			cfg         sources.Config
			want        string
			is          error
		}{
			{name: "missing required column", table: noFirst,
				want: db.pre() + `table "` + noFirst + `": missing required column "first_time"`, is: sources.ErrMissingColumn},
			{name: "wrong types", table: badTypes, cfg: sources.Config{Columns: map[string]string{"submitted_at": "modtaget"}},
				want: db.pre() + `table "` + badTypes + `": column "case_id" (case_id) is ` + names["float"] + `; want text or integer` + "\n" +
					db.pre() + `table "` + badTypes + `": column "modtaget" (submitted_at) is ` + names["binary"] + `; want ` + names["dates"],
				is: sources.ErrColumnType},
			{name: "missing bounds column", table: noFirst, cfg: sources.Config{Bounds: sources.Bounds{Column: "opdateret"}},
				want: db.pre() + `table "` + noFirst + `": missing bounds column "opdateret"`, is: sources.ErrMissingColumn},
			{name: "bounds column not a time", table: noFirst, cfg: sources.Config{Bounds: sources.Bounds{Column: "case_type"}},
				want: db.pre() + `table "` + noFirst + `": bounds column "case_type" is ` + names["text"] + `; want ` + names["bounds"],
				is:   sources.ErrColumnType},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				cfg := db.config(t, tt.table)
				cfg.Columns, cfg.Bounds = tt.cfg.Columns, tt.cfg.Bounds
				_, _, err := db.read(t, cfg, time.Second)
				if err == nil || err.Error() != tt.want {
					t.Fatalf("error = %v\nwant    %s", err, tt.want)
				}
				if !errors.Is(err, tt.is) {
					t.Errorf("error is not %v", tt.is)
				}
			})
		}
	})
}

// KindNames are the type names the column errors show, per kind.
func (db *testDB) KindNames() map[string]string {
	if db.kind == mysql.Kind {
		return map[string]string{"float": "DOUBLE", "binary": "VARBINARY", "text": "TEXT",
			"dates": "DATE, DATETIME, TIMESTAMP or text", "bounds": "DATE, DATETIME or TIMESTAMP"}
	}
	return map[string]string{"float": "float8", "binary": "bytea", "text": "text",
		"dates": "date, timestamp, timestamptz or text", "bounds": "date, timestamp or timestamptz"}
}

// The password every credential test uses: it must appear in no error.
const password = "Zq9-Pa55w0rd-Xk7"

// failFast reads cfg with a 30s retry budget and checks that it fails at
// once (no retry), with an error containing want and not the password.
func (db *testDB) failFast(t *testing.T, cfg sources.Config, want ...string) {
	t.Helper()
	start := time.Now()
	_, _, err := db.read(t, cfg, 30*time.Second)
	switch {
	case err == nil:
		t.Fatal("no error")
	case time.Since(start) > 5*time.Second:
		t.Errorf("took %s: retried a permanent error", time.Since(start))
	case errors.Is(err, sources.ErrUnavailable):
		t.Errorf("error is ErrUnavailable: %v", err)
	case strings.Contains(err.Error(), password) || strings.Contains(err.Error(), "\n"):
		t.Errorf("error shows the password or is not one line: %v", err)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error = %v\nwant it to contain %q", err, w)
		}
	}
}

func TestSQLServerErrors(t *testing.T) {
	codes := map[string][]string{ // per kind: missing table, syntax, missing column, permission, no database, bad login
		postgres.Kind: {"SQLSTATE 42P01", "SQLSTATE 42601", "SQLSTATE 42703", "SQLSTATE 42501", "SQLSTATE 3D000", "SQLSTATE 28"},
		mysql.Kind:    {"Error 1146", "Error 1064", "Error 1054", "Error 1142", "Error 1049", "Access denied for user"},
	}
	forEachDB(t, func(t *testing.T, db *testDB) {
		code := codes[db.kind]
		secret := db.table(t, "case_id int, case_type text, first_time int, submitted_at date")
		granted := db.table(t, "case_id int, case_type text, first_time int, submitted_at date")
		reader, dsn := db.user(t, password) // may read granted, not secret
		db.exec(t, db.grantSQL(granted, reader))
		wide, wideDSN := db.user(t, password) // may read every table (MySQL hides missing tables from others)
		db.exec(t, db.grantSQL("*", wide))
		config := func(t *testing.T, tableOrQuery, dsn string) sources.Config {
			cfg := db.config(t, tableOrQuery)
			cfg.DSN = dsn
			return cfg
		}
		t.Run("missing table", func(t *testing.T) {
			db.failFast(t, config(t, "nope_"+secret, wideDSN), db.pre()+`table "nope_`+secret+`": `, code[0])
		})
		t.Run("syntax error", func(t *testing.T) {
			db.failFast(t, config(t, "SELEC case_id FROM "+granted, dsn), db.pre()+"query: ", code[1])
		})
		t.Run("missing column in query", func(t *testing.T) {
			db.failFast(t, config(t, "SELECT nope FROM "+granted, dsn), db.pre()+"query: ", code[2])
		})
		t.Run("permission denied", func(t *testing.T) {
			db.failFast(t, config(t, secret, dsn), db.pre(), `table "`+secret+`"`, code[3])
		})
		t.Run("missing database", func(t *testing.T) {
			db.failFast(t, config(t, granted, db.dsnWith("", "", "", "nope_"+reader)),
				db.pre()+`connecting to database "nope_`+reader+`" as user`, code[4])
		})
		t.Run("wrong password", func(t *testing.T) {
			cfg := config(t, granted, db.dsnWith(reader, password+"-wrong", "", ""))
			if _, _, err := db.read(t, cfg, time.Second); err == nil {
				t.Skip("the server trusts this connection (e.g. pg_hba.conf trust): a wrong password cannot fail")
			}
			db.failFast(t, cfg, `connecting to database "`+db.database()+`" as user "`+reader+`"`, code[5])
		})
		t.Run("unknown user", func(t *testing.T) {
			cfg := config(t, granted, db.dsnWith("nope_"+reader, password, "", ""))
			db.failFast(t, cfg, `as user "nope_`+reader+`"`, code[5])
		})
	})
}

func TestSQLRefusedConnection(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *testDB) {
		cfg := db.config(t, "cases")
		cfg.DSN = db.dsnWith("scorecard", password, "127.0.0.1:1", "test")
		start := time.Now()
		_, _, err := db.read(t, cfg, time.Second)
		took := time.Since(start)
		if !errors.Is(err, sources.ErrUnavailable) {
			t.Fatalf("error = %v, want ErrUnavailable", err)
		}
		if took < 900*time.Millisecond || took > 3*time.Second {
			t.Errorf("gave up after %s, want about 1s", took)
		}
		want := db.pre() + "unavailable after trying for 1s (4 attempts): connecting to database \"test\" as user \"scorecard\" on 127.0.0.1:1: "
		if !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "connection refused") {
			t.Errorf("error = %v\nwant    %s...connection refused", err, want)
		}
		if strings.Contains(err.Error(), password) {
			t.Errorf("error shows the password: %v", err)
		}
	})
}

// numbers creates a table of n = 0..99 that user may read.
func (db *testDB) numbers(t *testing.T, user string) string {
	var rows []string
	for i := range 100 {
		rows = append(rows, fmt.Sprintf("(%d)", i))
	}
	table := db.table(t, "n int", rows...)
	db.exec(t, db.grantSQL(table, user))
	return table
}

// crossQuery reads the cross product of numbers with itself and, when
// limit > 0, a third copy cut to its first limit rows.
func crossQuery(table string, limit int) string {
	q := "SELECT a.n * 10000 + b.n * 100 AS case_id, 'phd' AS case_type, 1 AS first_time, '2024-01-01' AS submitted_at FROM " +
		table + " a, " + table + " b"
	if limit > 0 {
		q += fmt.Sprintf(", %s c WHERE c.n < %d", table, limit)
	}
	return q
}

func TestSQLReconnects(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *testDB) {
		user, dsn := db.user(t, password)
		table := db.numbers(t, user)
		open := func(t *testing.T, tableOrQuery string) sources.Source {
			cfg := db.config(t, tableOrQuery)
			cfg.DSN, cfg.BatchSize = dsn, 1000
			src, err := db.newSource(cfg, 5*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { src.Close() })
			if err := src.Open(ctx()); err != nil {
				t.Fatal(err)
			}
			return src
		}
		t.Run("dropped before the first batch: read again", func(t *testing.T) {
			src := open(t, "SELECT n AS case_id, 'phd' AS case_type, 1 AS first_time, '2024-01-01' AS submitted_at FROM "+table+" ORDER BY n")
			db.kill(t, user)
			rec, err := src.Next(ctx())
			if err != nil {
				t.Fatal(err)
			}
			defer rec.Release()
			rows := toRows(t, rec)
			if len(rows) != 100 || rows[0] != r("query", 1, "0", "phd", "1", N, N, "2024-01-01", N, N) ||
				rows[99] != r("query", 100, "99", "phd", "1", N, N, "2024-01-01", N, N) {
				t.Errorf("got %d rows, want 100 numbered 1..100 once each: %q", len(rows), rows)
			}
		})
		t.Run("dropped after the first batch: fail", func(t *testing.T) {
			src := open(t, crossQuery(table, 100))
			rec, err := src.Next(ctx())
			if err != nil {
				t.Fatal(err)
			}
			rec.Release()
			db.kill(t, user)
			for err == nil {
				if rec, err = src.Next(ctx()); err == nil {
					rec.Release()
				}
			}
			if !errors.Is(err, sources.ErrUnavailable) || !strings.Contains(err.Error(), "connection lost after") {
				t.Errorf("error = %v, want ErrUnavailable: connection lost after ... rows", err)
			}
		})
	})
}

func TestSQLLifecycle(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *testDB) {
		user, dsn := db.user(t, password)
		query := fmt.Sprintf("SELECT n AS case_id, 'phd' AS case_type, 1 AS first_time, '2024-01-01' AS submitted_at, "+
			"%s AS s FROM %s WHERE n = 0", db.sleep, db.numbers(t, user))
		cfg := db.config(t, query)
		cfg.DSN = dsn
		src, err := db.newSource(cfg, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := src.Next(ctx()); !errors.Is(err, sources.ErrNotOpen) {
			t.Errorf("Next before Open = %v, want ErrNotOpen", err)
		}
		if err := src.Open(ctx()); err != nil {
			t.Fatal(err)
		}
		timeout, cancel := context.WithTimeout(ctx(), 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		if _, err := src.Next(timeout); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Next past its deadline = %v", err)
		}
		if took := time.Since(start); took > 3*time.Second {
			t.Errorf("a cancelled read took %s", took)
		}
		for range 3 {
			if err := src.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		}
		if _, err := src.Next(ctx()); !errors.Is(err, sources.ErrNotOpen) {
			t.Errorf("Next after Close = %v, want ErrNotOpen", err)
		}
		db.kill(t, user) // a server may sleep on after its client left, holding the table
	})
}

// count reads cfg to its end and returns the number of rows, calling each
// (when not nil) while it holds each batch.
func (db *testDB) count(tb testing.TB, cfg sources.Config, each func()) int64 {
	src, err := db.newSource(cfg, time.Second)
	if err != nil {
		tb.Fatal(err)
	}
	defer src.Close()
	if err := src.Open(ctx()); err != nil {
		tb.Fatal(err)
	}
	var rows int64
	for {
		rec, err := src.Next(ctx())
		if errors.Is(err, io.EOF) {
			return rows
		}
		if err != nil {
			tb.Fatal(err)
		}
		if each != nil {
			each()
		}
		rows += rec.NumRows()
		rec.Release()
	}
}

// TestSQLMemoryStaysFlat reads 50k rows in batches of 1000 and checks that
// the Arrow memory held never exceeds a few batches' worth.
func TestSQLMemoryStaysFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 50k rows")
	}
	forEachDB(t, func(t *testing.T, db *testDB) {
		user, _ := db.user(t, password)
		cfg := db.config(t, crossQuery(db.numbers(t, user), 5))
		cfg.BatchSize = 1000
		mem := cfg.Allocator.(*memory.CheckedAllocator)
		peak := 0
		rows := db.count(t, cfg, func() { peak = max(peak, mem.CurrentAlloc()) })
		if rows != 50_000 || peak > 1<<20 {
			t.Errorf("read %d rows with a peak of %d bytes, want 50000 rows under 1 MiB", rows, peak)
		}
	})
}

func TestRedact(t *testing.T) {
	secrets := sources.Secrets("postgres://u:s3cr%2Ft@h/db", "s3cr/t")
	tests := []struct{ in, want string }{
		{`cannot parse "postgres://u:s3cr%2Ft@h/db": bad`, `cannot parse "xxxxx": bad`},
		{"password s3cr/t was refused", "password xxxxx was refused"},
		{"dial u:other@tcp(h:3306)/db", "dial u:xxxxx@tcp(h:3306)/db"},
		{"host=h password=hunter2 user=u", "host=h password=xxxxx user=u"},
		{"Access denied for user 'u'@'h' (using password: YES)", "Access denied for user 'u'@'h' (using password: YES)"},
		{"dial tcp 127.0.0.1:1: connect: connection refused", "dial tcp 127.0.0.1:1: connect: connection refused"},
	}
	for _, tt := range tests {
		if got := sources.Redact(tt.in, secrets); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestValidateSQL(t *testing.T) {
	now := time.Now()
	earlier := now.Add(-time.Hour)
	tests := []struct {
		cfg  sources.Config
		want string
	}{
		{sources.Config{Kind: "postgres", DSNEnv: "PG", Table: "t"}, "invalid source config: a postgres source needs a dsn from $PG"},
		{sources.Config{Kind: "mysql", DSN: "x"}, "invalid source config: a mysql source needs either a table or a query"},
		{sources.Config{Kind: "mysql", DSN: "x", Table: "t", Query: "SELECT 1"}, "invalid source config: a mysql source needs either a table or a query"},
		{sources.Config{DSN: "x", Table: "a.b.c"}, `invalid source config: table "a.b.c" is not NAME or SCHEMA.NAME`},
		{sources.Config{DSN: "x", Table: "t", Bounds: sources.Bounds{Lower: &now}}, "invalid source config: bounds need a column to compare"},
		{sources.Config{DSN: "x", Query: "q", Bounds: sources.Bounds{Lower: &now, Upper: &earlier}}, "invalid source config: bounds: upper"},
		{sources.Config{DSN: "x", Table: "s.t", Bounds: sources.Bounds{Column: "c", Lower: &now}}, ""},
		{sources.Config{DSN: "x", Query: "q", Bounds: sources.Bounds{Lower: &now}}, ""},
	}
	for _, tt := range tests {
		err := sources.ValidateSQL(tt.cfg)
		if (err == nil) != (tt.want == "") || err != nil && !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("ValidateSQL(%+v) = %v, want %q", tt.cfg, err, tt.want)
		}
	}
}

func TestBoundText(t *testing.T) {
	cph, _ := time.LoadLocation("Europe/Copenhagen")
	b := time.Date(2024, 3, 31, 3, 30, 0, 250_000_000, cph) // 01:30:00.25Z, after the spring change
	for kind, want := range map[sources.SQLKind]string{
		sources.SQLTimestampTZ: "2024-03-31 01:30:00.25",
		sources.SQLTimestamp:   "2024-03-31 03:30:00.25",
		sources.SQLDate:        "2024-03-31",
	} {
		if got := sources.BoundText(b, kind); got != want {
			t.Errorf("BoundText(kind %d) = %q, want %q", kind, got, want)
		}
	}
}

// TestNewDoesNotConnect builds sources for an unreachable server through a
// registry: New checks the config only, and the DSN's parse error hides it.
func TestNewDoesNotConnect(t *testing.T) {
	reg := sources.NewRegistry()
	reg.Register(postgres.Kind, postgres.New)
	reg.Register(mysql.Kind, mysql.New)
	for kind, dsn := range map[string]string{
		postgres.Kind: "postgres://u:" + password + "@127.0.0.1:1/db",
		mysql.Kind:    "u:" + password + "@tcp(127.0.0.1:1)/db",
	} {
		src, err := reg.New(sources.Config{Name: "cases", Kind: kind, DSN: dsn, Table: "cases"})
		if _, ok := src.(*sources.SQLSource); err != nil || !ok {
			t.Errorf("%s: New = %T, %v", kind, src, err)
		}
	}
	_, err := mysql.New(sources.Config{DSN: "u:" + password + "@tcp(127.0.0.1:1", DSNEnv: "E", Table: "t"})
	if want := "invalid source config: dsn from $E: invalid DSN"; err == nil || !strings.HasPrefix(err.Error(), want) ||
		strings.Contains(err.Error(), password) {
		t.Errorf("bad DSN: error = %v, want %s... without the password", err, want)
	}
	_, err = postgres.New(sources.Config{DSN: "postgres://u:" + password + "@h:x/db", DSNEnv: "E", Table: "t"})
	if err == nil || strings.Contains(err.Error(), password) {
		t.Errorf("bad DSN: error = %v, want one without the password", err)
	}
}

// BenchmarkExtract reads a table of 200k rows (loaded once, with COPY or
// LOAD DATA) per iteration and reports the throughput in rows/s.
func BenchmarkExtract(b *testing.B) {
	const n = 200_000
	for _, d := range dbs {
		b.Run(d.kind, func(b *testing.B) {
			db := d.open(b)
			table := db.table(b, fmt.Sprintf("case_id varchar(20), case_type varchar(30), first_time %[1]s, complex %[1]s, "+
				"has_service_target %[1]s, submitted_at date, decided_at %[2]s, updated_at %[3]s",
				db.types["bool"], db.types["instant"], db.types["wall"]))
			db.load(b, table, benchRows(n))
			cfg := db.config(b, table)
			var rows int64
			for b.Loop() {
				rows += db.count(b, cfg, nil)
			}
			if rows%n != 0 {
				b.Errorf("read %d rows, want a multiple of %d", rows, n)
			}
			b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// benchRows is n rows of CSV for the benchmark table.
func benchRows(n int) io.Reader {
	var sb strings.Builder
	for i := range n {
		fmt.Fprintf(&sb, "S-%07d,loenarbejde,%d,%d,1,2024-%02d-%02d,2024-%02d-%02d 10:%02d:00,2024-%02d-%02d 11:%02d:00.5\n",
			i, i%2, (i/2)%2, i%12+1, i%28+1, (i+1)%12+1, i%28+1, i%60, (i+1)%12+1, i%28+1, i%60)
	}
	return strings.NewReader(sb.String())
}

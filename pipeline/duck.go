package pipeline

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

//go:embed sql/*.sql
var sqlFiles embed.FS

// engine is one embedded DuckDB database with one pinned connection: temp tables, macros and
// variables live on a connection, so every statement of a run goes through the same one.
type engine struct {
	db      *sql.DB
	conn    *sql.Conn
	threads int // DuckDB's, as configured (at least 1): also how many files are read or written at once
}

// openEngine starts an in-memory DuckDB in UTC with the configured threads and memory limit;
// tempDir is where DuckDB may spill.
func openEngine(ctx context.Context, d DuckDBConfig, tempDir string) (*engine, error) {
	threads := max(d.Threads, 1)
	// Settings of a connection, made on every connection the pool opens.
	session := []string{
		"SET TimeZone = 'UTC'",
		// A partitioned COPY buffers each partition up to this many rows before writing it:
		// one row group's worth halves the time of the default, measured on the cases table.
		"SET partitioned_write_flush_threshold = 122880",
	}
	// Settings of the database, made once: every connection shares them, so making them again
	// on a connection opened later would change them under a statement running on another.
	global := []string{
		// Row order is never relied on (outputs that are read in order say ORDER BY), and
		// keeping it costs a third of the time of every large table and COPY. The landing
		// alone keeps it (engine.landing).
		"SET preserve_insertion_order = false",
		fmt.Sprintf("SET threads = %d", threads),
		"SET memory_limit = " + sqlString(d.MemoryLimit),
	}
	if tempDir != "" {
		global = append(global, "SET temp_directory = "+sqlString(tempDir))
	}
	connector, err := duckdb.NewConnector("", func(execer driver.ExecerContext) error {
		for _, s := range session {
			if _, err := execer.ExecContext(ctx, s, nil); err != nil {
				return fmt.Errorf("duckdb setting %q: %w", s, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("opening duckdb: %w", err)
	}
	db := sql.OpenDB(connector)
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("opening duckdb: %w", err)
	}
	e := &engine{db: db, conn: conn, threads: threads}
	for _, s := range global {
		if err := e.exec(ctx, s); err != nil {
			e.Close()
			return nil, fmt.Errorf("duckdb setting %q: %w", s, err)
		}
	}
	if err := e.runFile(ctx, "session.sql"); err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

// Close releases the connection and the database.
func (e *engine) Close() error {
	cerr := e.conn.Close()
	if err := e.db.Close(); err != nil {
		return err
	}
	return cerr
}

// runFile executes one embedded .sql file; an error names the file.
func (e *engine) runFile(ctx context.Context, name string) error {
	text, err := sqlFiles.ReadFile("sql/" + name)
	if err != nil {
		return fmt.Errorf("sql/%s: %w", name, err)
	}
	defer reportTiming("sql/"+name, time.Now())
	if sqlTiming {
		// Timed statement by statement: our files end each statement with ";" at a line end.
		for i, st := range strings.Split(string(text), ";\n") {
			code := false
			for _, l := range strings.Split(st, "\n") {
				if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "--") {
					code = true
				}
			}
			if !code {
				continue
			}
			t0 := time.Now()
			if _, err := e.conn.ExecContext(ctx, st); err != nil {
				return fmt.Errorf("sql/%s: %w", name, err)
			}
			reportTiming(fmt.Sprintf("  sql/%s#%d", name, i), t0)
		}
		return nil
	}
	if _, err := e.conn.ExecContext(ctx, string(text)); err != nil {
		return fmt.Errorf("sql/%s: %w", name, err)
	}
	return nil
}

// exec runs one statement with arguments.
func (e *engine) exec(ctx context.Context, query string, args ...any) error {
	defer reportTiming(firstLine(query), time.Now())
	if _, err := e.conn.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("%s: %w", firstLine(query), err)
	}
	return nil
}

// sqlTiming is set by SCORECARD_SQL_TIMING: every statement then prints its time on stderr,
// which is how the stages are profiled.
var sqlTiming = os.Getenv("SCORECARD_SQL_TIMING") != ""

func reportTiming(what string, start time.Time) {
	if sqlTiming {
		fmt.Fprintf(os.Stderr, "%s %v\n", what, time.Since(start))
	}
}

// setTimeZone sets the zone local dates are taken in, with the range of its UTC offsets.
func (e *engine) setTimeZone(ctx context.Context, tz string) error {
	if err := e.setVariable(ctx, "tz", sqlString(tz)); err != nil {
		return err
	}
	return e.runFile(ctx, "timezone.sql")
}

// setVariable sets a DuckDB variable read by the embedded SQL through getvariable().
func (e *engine) setVariable(ctx context.Context, name, sqlExpr string) error {
	return e.exec(ctx, fmt.Sprintf("SET VARIABLE %s = %s", name, sqlExpr))
}

// count returns a single integer.
func (e *engine) count(ctx context.Context, query string, args ...any) (int64, error) {
	defer reportTiming(firstLine(query), time.Now())
	var n int64
	if err := e.conn.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("%s: %w", firstLine(query), err)
	}
	return n, nil
}

// landing runs fn, the landing's copies, with the database settings they need: insertion order
// kept, so that what they copy keeps its source's order, and, when oneThreadEach, one thread
// per statement. A copy that keeps its file's order on several threads reorders what they read
// (DuckDB plans a batch copy for it); one thread reads in order by itself and DuckDB plans a
// plain copy, a tenth less work, so files enough to keep every thread busy are better copied
// one per thread. The settings are the database's, not a connection's: they are switched for
// fn as a whole, while nothing else runs in DuckDB, and back after it, since order kept would
// slow every later statement of the run.
func (e *engine) landing(ctx context.Context, oneThreadEach bool, fn func() error) error {
	threads := e.threads
	if oneThreadEach {
		threads = 1
	}
	if err := e.settings(ctx, true, threads); err != nil {
		return err
	}
	err := fn()
	if rerr := e.settings(ctx, false, e.threads); err == nil {
		err = rerr
	}
	return err
}

// settings sets the two database settings the landing changes.
func (e *engine) settings(ctx context.Context, keepOrder bool, threads int) error {
	if err := e.exec(ctx, fmt.Sprintf("SET preserve_insertion_order = %t", keepOrder)); err != nil {
		return err
	}
	return e.exec(ctx, fmt.Sprintf("SET threads = %d", threads))
}

// copyOnOwnConn writes a query's rows, with the extraction time added, as a Parquet file, on a
// connection of its own so that several copies can run at once. Run within landing, the
// file keeps the query's order: its rows are numbered by their position, from firstRow, which
// the file's metadata says. It returns the rows written.
func (e *engine) copyOnOwnConn(ctx context.Context, query, path string, extractedAt time.Time, firstRow int64) (int64, error) {
	conn, err := e.db.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	numbering := fmt.Sprintf("the source_row of row n (from 0) of this file is n + %d", firstRow)
	copySQL := fmt.Sprintf("COPY (SELECT q.*, %s::TIMESTAMPTZ AS extracted_at FROM (%s) q) TO %s (%s, KV_METADATA {source_row: %s})",
		sqlString(instantText(extractedAt)), query, sqlString(path), parquetWriteOptions, sqlString(numbering))
	res, err := conn.ExecContext(ctx, copySQL)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// parquetWriteOptions are the Parquet options of the large writes (the raw landing, the cases
// and the case results).
//   - The dictionary limit is the number of distinct values a column chunk may hold and still
//     be dictionary-encoded. Given explicitly, whatever its value, DuckDB 1.5.5's writer copies
//     a landing file 8% faster than with its default, to the same bytes; 4096 keeps every
//     low-cardinality column encoded.
//   - Format V2 encodes the columns that are not dictionary-encoded by their differences
//     (DELTA_LENGTH_BYTE_ARRAY for text, DELTA_BINARY_PACKED for integers and instants), which
//     leaves snappy less to compress: the cases of ten million rows are written 13% faster and
//     15% smaller. Readers other than DuckDB read it too (TestCasesOpenInAnotherReader).
const parquetWriteOptions = "FORMAT parquet, COMPRESSION snappy, DICTIONARY_SIZE_LIMIT 4096, PARQUET_VERSION V2"

// instantText is an instant as DuckDB reads it back exactly into a TIMESTAMPTZ.
func instantText(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// sqlString quotes s as a SQL string literal.
func sqlString(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// sqlIdent quotes an identifier (a dataset's column name) for DuckDB.
func sqlIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " ..."
	}
	return s
}

// Package engine is the embedded DuckDB a run or a query works in: one database, one pinned
// connection, its settings, and the helpers that run the stages' embedded .sql files on it and
// quote what Go hands them. It knows nothing of cases or plans.
package engine

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"io/fs"
	"os"
	pathpkg "path"
	"strings"
	"syscall"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

// Engine is one embedded DuckDB database with one pinned connection: temp tables, macros and
// variables live on a connection, so every statement of a run goes through the same one.
type Engine struct {
	DB   *sql.DB
	Conn *sql.Conn
	// Threads is DuckDB's, as configured (at least 1): also how many files are read or
	// written at once.
	Threads int
	files   map[string]sqlFile // the .sql files RunFile and QueryFile read, by name
}

// Files are the .sql files of one package, embedded: Dir is the package's folder, which an
// error names them by (pipeline/curate/sql/cases/merge.sql).
type Files struct {
	Dir string
	FS  fs.FS
}

// sqlFile is one .sql file of Files.
type sqlFile struct {
	fsys fs.FS
	path string // in fsys
	dir  string // Files.Dir
}

// Open starts an in-memory DuckDB in UTC with threads and memoryLimit (a DuckDB size such as
// "1GB"); tempDir is where DuckDB may spill ("" none), files the .sql files its RunFile and
// QueryFile read, by name wherever they are in them (a name may be used once in them all).
func Open(ctx context.Context, threads int, memoryLimit, tempDir string, files ...Files) (*Engine, error) {
	threads = max(threads, 1)
	index, err := indexFiles(files)
	if err != nil {
		return nil, err
	}
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
		// alone keeps it (Landing).
		"SET preserve_insertion_order = false",
		fmt.Sprintf("SET threads = %d", threads),
		"SET memory_limit = " + Quote(memoryLimit),
	}
	if tempDir != "" {
		global = append(global, "SET temp_directory = "+Quote(tempDir))
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
	e := &Engine{DB: db, Conn: conn, Threads: threads, files: index}
	for _, s := range global {
		if err := e.Exec(ctx, s); err != nil {
			e.Close()
			return nil, fmt.Errorf("duckdb setting %q: %w", s, err)
		}
	}
	return e, nil
}

// Close releases the connection and the database.
func (e *Engine) Close() error {
	cerr := e.Conn.Close()
	if err := e.DB.Close(); err != nil {
		return err
	}
	return cerr
}

// indexFiles indexes the .sql files of files by name; a name found twice is an error.
func indexFiles(files []Files) (map[string]sqlFile, error) {
	index := map[string]sqlFile{}
	for _, f := range files {
		err := fs.WalkDir(f.FS, ".", func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".sql") {
				return err
			}
			file := sqlFile{fsys: f.FS, path: path, dir: f.Dir}
			name := pathpkg.Base(path)
			if other, ok := index[name]; ok {
				return fmt.Errorf("two SQL files named %s: %s and %s", name, other.shown(), file.shown())
			}
			index[name] = file
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return index, nil
}

// shown is the file's path in the repository, as errors name it.
func (f sqlFile) shown() string { return pathpkg.Join(f.dir, f.path) }

// SQL reads the .sql file called name (see Open); the path it returns names it in errors.
func (e *Engine) SQL(name string) (path, text string, err error) {
	f, ok := e.files[name]
	if !ok {
		return name, "", fmt.Errorf("%s: no such SQL file", name)
	}
	data, err := fs.ReadFile(f.fsys, f.path)
	if err != nil {
		return f.shown(), "", fmt.Errorf("%s: %w", f.shown(), err)
	}
	return f.shown(), string(data), nil
}

// RunFile executes the .sql file called name; an error names its path.
func (e *Engine) RunFile(ctx context.Context, name string) error {
	path, text, err := e.SQL(name)
	if err != nil {
		return err
	}
	defer Timing(path, time.Now())
	if timing {
		// Timed statement by statement: our files end each statement with ";" at a line end.
		for i, st := range strings.Split(text, ";\n") {
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
			if _, err := e.Conn.ExecContext(ctx, st); err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			Timing(fmt.Sprintf("  %s#%d", path, i), t0)
		}
		return nil
	}
	if _, err := e.Conn.ExecContext(ctx, text); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// Exec runs one statement with arguments.
func (e *Engine) Exec(ctx context.Context, query string, args ...any) error {
	defer Timing(firstLine(query), time.Now())
	if _, err := e.Conn.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("%s: %w", firstLine(query), err)
	}
	return nil
}

// timing is set by SCORECARD_SQL_TIMING: every statement then prints its time on stderr,
// which is how the stages are profiled.
var timing = os.Getenv("SCORECARD_SQL_TIMING") != ""

// Timing prints what took since start, when SCORECARD_SQL_TIMING is set.
func Timing(what string, start time.Time) {
	if timing {
		fmt.Fprintf(os.Stderr, "%s %v (process cpu %v)\n", what, time.Since(start), processCPU())
	}
}

// SetVariable sets a DuckDB variable read by the embedded SQL through getvariable().
func (e *Engine) SetVariable(ctx context.Context, name, sqlExpr string) error {
	return e.Exec(ctx, fmt.Sprintf("SET VARIABLE %s = %s", name, sqlExpr))
}

// Count returns a single integer.
func (e *Engine) Count(ctx context.Context, query string, args ...any) (int64, error) {
	defer Timing(firstLine(query), time.Now())
	var n int64
	if err := e.Conn.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("%s: %w", firstLine(query), err)
	}
	return n, nil
}

// Landing runs fn, the landing's copies, with the database settings they need: insertion order
// kept, so that what they copy keeps its source's order, and, when oneThreadEach, one thread
// per statement. A copy that keeps its file's order on several threads reorders what they read
// (DuckDB plans a batch copy for it); one thread reads in order by itself and DuckDB plans a
// plain copy, a tenth less work, so files enough to keep every thread busy are better copied
// one per thread. The settings are the database's, not a connection's: they are switched for
// fn as a whole, while nothing else runs in DuckDB, and back after it, since order kept would
// slow every later statement of the run.
func (e *Engine) Landing(ctx context.Context, oneThreadEach bool, fn func() error) error {
	threads := e.Threads
	if oneThreadEach {
		threads = 1
	}
	if err := e.settings(ctx, true, threads); err != nil {
		return err
	}
	err := fn()
	if rerr := e.settings(ctx, false, e.Threads); err == nil {
		err = rerr
	}
	return err
}

// settings sets the two database settings the landing changes.
func (e *Engine) settings(ctx context.Context, keepOrder bool, threads int) error {
	if err := e.Exec(ctx, fmt.Sprintf("SET preserve_insertion_order = %t", keepOrder)); err != nil {
		return err
	}
	return e.Exec(ctx, fmt.Sprintf("SET threads = %d", threads))
}

// CopyOnOwnConn writes a query's rows, with the extraction time added, as a Parquet file, on a
// connection of its own so that several copies can run at once. Run within landing, the
// file keeps the query's order: its rows are numbered by their position, from firstRow, which
// the file's metadata says. It returns the rows written.
func (e *Engine) CopyOnOwnConn(ctx context.Context, query, path string, extractedAt time.Time, firstRow int64) (int64, error) {
	conn, err := e.DB.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	numbering := fmt.Sprintf("the source_row of row n (from 0) of this file is n + %d", firstRow)
	copySQL := fmt.Sprintf("COPY (SELECT q.*, %s::TIMESTAMPTZ AS extracted_at FROM (%s) q) TO %s (%s, KV_METADATA {source_row: %s})",
		Quote(Instant(extractedAt)), query, Quote(path), ParquetWriteOptions, Quote(numbering))
	res, err := conn.ExecContext(ctx, copySQL)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// CopyFile writes the rows of the query in the .sql file called name to a Parquet file at
// path, with options (such as ParquetWriteOptions), and returns how many it wrote; an error
// names the file.
func (e *Engine) CopyFile(ctx context.Context, name, path, options string) (int64, error) {
	file, text, err := e.SQL(name)
	if err != nil {
		return 0, err
	}
	defer Timing(file, time.Now())
	res, err := e.Conn.ExecContext(ctx, fmt.Sprintf("COPY (%s\n) TO %s (%s)", strings.TrimSpace(text), Quote(path), options))
	if err != nil {
		return 0, fmt.Errorf("%s -> %s: %w", file, path, err)
	}
	return res.RowsAffected() // COPY reports the rows it wrote
}

// ParquetWriteOptions are the Parquet options of the large writes (the raw landing, the cases
// and the case results).
//   - The dictionary limit is the number of distinct values a column chunk may hold and still
//     be dictionary-encoded. Given explicitly, whatever its value, DuckDB 1.5.5's writer copies
//     a landing file 8% faster than with its default, to the same bytes; 4096 keeps every
//     low-cardinality column encoded.
//   - Format V2 encodes the columns that are not dictionary-encoded by their differences
//     (DELTA_LENGTH_BYTE_ARRAY for text, DELTA_BINARY_PACKED for integers and instants), which
//     leaves snappy less to compress: the cases of ten million rows are written 13% faster and
//     15% smaller. Readers other than DuckDB read it too (TestCasesOpenInAnotherReader).
var ParquetWriteOptions = ParquetOptions("", 0)

// ParquetOptions are ParquetWriteOptions with another codec or dictionary limit ("" and 0 keep
// snappy and 4096): the cases' (lake.Specs) and the parsed file's (curate/large.go).
func ParquetOptions(compression string, dictionaryLimit int) string {
	if compression == "" {
		compression = "snappy"
	}
	if dictionaryLimit == 0 {
		dictionaryLimit = 4096
	}
	return fmt.Sprintf("FORMAT parquet, COMPRESSION %s, DICTIONARY_SIZE_LIMIT %d, PARQUET_VERSION V2",
		compression, dictionaryLimit)
}

// Instant is an instant as DuckDB reads it back exactly into a TIMESTAMPTZ.
func Instant(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// Quote quotes s as a SQL string literal.
func Quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// Ident quotes an identifier (a dataset's column name) for DuckDB.
func Ident(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " ..."
	}
	return s
}

// QueryFile runs the query of the .sql file called name (see Open) and turns each row into a T.
func QueryFile[T any](ctx context.Context, e *Engine, name string, row func(scan func(...any) error) (T, error), args ...any) ([]T, error) {
	path, text, err := e.SQL(name)
	if err != nil {
		return nil, err
	}
	defer Timing(path, time.Now())
	rows, err := e.Conn.QueryContext(ctx, text, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := row(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

// List renders strings as a SQL list literal.
func List(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = Quote(s)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// processCPU is the CPU time the process has used so far (user and system), which the timing
// lines end with: the difference between two lines is what the step between them cost on all
// threads, where the wall time shows only how long it took.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Round(time.Millisecond)
}

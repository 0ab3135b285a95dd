package pipeline

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"scorecard/pipeline/config"
	"scorecard/pipeline/engine"
	"scorecard/pipeline/lake"
	"scorecard/pipeline/session"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/duckdb/duckdb-go/v2/mapping"
)

// Result is the outcome of a query: column names, DuckDB type names and rows of Go values.
type Result struct {
	Columns []string
	Types   []string
	Rows    [][]any
}

// Query runs one read-only statement over the lake's views (SPEC §6) on a fresh in-memory
// DuckDB; it never writes to the lake. The statement is checked before any of it runs
// (checkReadOnly), and DuckDB itself keeps it to reading the lake (confine).
func Query(ctx context.Context, lk lake.Lake, d config.DuckDBConfig, query string) (*Result, error) {
	if err := checkPublished(lk); err != nil {
		return nil, err
	}
	eng, closeEng, err := openQueryEngine(ctx, lk, d)
	if err != nil {
		return nil, err
	}
	defer closeEng()
	if err := checkReadOnly(eng, query); err != nil {
		return nil, refused(err)
	}
	res, err := collect(ctx, eng, query)
	return res, refused(err)
}

// checkPublished fails for a lake with no published version: ErrNoLake for a new one, and
// (Current, not HasRun) the repair advice for one whose current link is broken.
func checkPublished(lk lake.Lake) error {
	if cur, err := lk.Current(); err != nil {
		return err
	} else if cur == "" {
		return fmt.Errorf("%w: %s (run `scorecard run` first)", ErrNoLake, lk.Dir)
	}
	return nil
}

// openQueryEngine opens a DuckDB with the lake's views, confined to reading the lake, and the
// .sql files of the steps it runs (none for a query). Its close function closes it and
// removes the folder it may spill to, its own.
func openQueryEngine(ctx context.Context, lk lake.Lake, d config.DuckDBConfig, steps ...engine.Files) (*engine.Engine, func(), error) {
	dir, err := filepath.Abs(lk.Dir)
	if err != nil {
		return nil, nil, err
	}
	spill, err := os.MkdirTemp("", "scorecard-query-")
	if err != nil {
		return nil, nil, err
	}
	eng, err := session.Open(ctx, d, spill, steps...)
	if err != nil {
		os.RemoveAll(spill)
		return nil, nil, err
	}
	closeEng := func() {
		eng.Close()
		os.RemoveAll(spill)
	}
	err = eng.SetVariable(ctx, "lake", engine.Quote(dir))
	if err == nil {
		err = lake.CreateViews(ctx, eng, lake.Lake{Dir: dir})
	}
	if err == nil {
		err = confine(ctx, eng, dir)
	}
	if err != nil {
		closeEng()
		return nil, nil, err
	}
	return eng, closeEng, nil
}

// refused marks DuckDB's refusal of a file (or setting) that confine keeps from the query as
// the query's fault, like a statement that checkReadOnly refuses.
func refused(err error) error {
	var de *duckdb.Error
	if errors.As(err, &de) && de.Type == duckdb.ErrorTypePermission {
		return fmt.Errorf("%w: %w", ErrReadOnly, err)
	}
	return err
}

// confine keeps DuckDB, for whatever runs next, from every file outside the lake and the spill
// folder, from installing or loading extensions and from changing any setting. The views read
// their files when queried, so the lake stays open, and to writing too (DuckDB allows a folder
// or not): what keeps a statement from writing there is checkReadOnly.
func confine(ctx context.Context, e *engine.Engine, lakeDir string) error {
	for _, s := range []string{
		"SET allowed_directories = [" + engine.Quote(lakeDir) + "]",
		"SET enable_external_access = false",
		"SET lock_configuration = true",
	} {
		if err := e.Exec(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// checkReadOnly accepts exactly one statement, a SELECT or an EXPLAIN (ANALYZE) of one, by the
// statement type DuckDB gives it, without running any of it.
func checkReadOnly(e *engine.Engine, query string) error {
	n, err := statementCount(query)
	if err != nil {
		return err
	}
	if n != 1 {
		return fmt.Errorf("%w: the query must be one statement; got %d", ErrReadOnly, n)
	}
	typ, err := statementType(e, query)
	if err != nil {
		return err
	}
	switch typ {
	case duckdb.STATEMENT_TYPE_SELECT:
		return nil
	case duckdb.STATEMENT_TYPE_EXPLAIN:
		// EXPLAIN ANALYZE runs what it explains.
		if inner, ok := explained(query); ok {
			if typ, err := statementType(e, inner); err == nil && typ == duckdb.STATEMENT_TYPE_SELECT {
				return nil
			}
		}
		return fmt.Errorf("%w: EXPLAIN is allowed of a SELECT only", ErrReadOnly)
	}
	return fmt.Errorf("%w: only a SELECT (or EXPLAIN of one) is allowed", ErrReadOnly)
}

// statementCount is the number of statements DuckDB's parser finds in query. It parses on a
// database of its own: nothing of the query is bound or run.
func statementCount(query string) (int, error) {
	var db mapping.Database
	if mapping.Open("", &db) == mapping.StateError {
		return 0, errors.New("opening duckdb to parse the query")
	}
	defer mapping.Close(&db)
	var conn mapping.Connection
	if mapping.Connect(db, &conn) == mapping.StateError {
		return 0, errors.New("connecting to duckdb to parse the query")
	}
	defer mapping.Disconnect(&conn)
	var stmts mapping.ExtractedStatements
	n := mapping.ExtractStatements(conn, query, &stmts)
	defer mapping.DestroyExtracted(&stmts)
	if msg := mapping.ExtractStatementsError(stmts); n == 0 && msg != "" {
		return 0, errors.New(msg)
	}
	return int(n), nil
}

// statementType prepares one statement, which binds it but runs nothing, for its type.
// driver.Conn.Prepare refuses several statements, where PrepareContext would run all but the
// last.
func statementType(e *engine.Engine, query string) (duckdb.StmtType, error) {
	typ := duckdb.STATEMENT_TYPE_INVALID
	err := e.Conn.Raw(func(dc any) error {
		conn, ok := dc.(driver.Conn)
		if !ok {
			return errors.New("duckdb connection cannot prepare")
		}
		stmt, err := conn.Prepare(query)
		if err != nil {
			return err
		}
		defer stmt.Close()
		typ, err = stmt.(*duckdb.Stmt).StatementType()
		return err
	})
	return typ, err
}

// explained returns the statement an EXPLAIN explains: what follows EXPLAIN and its ANALYZE
// or (option, ...) list; a parenthesised statement is its own, as in EXPLAIN (SELECT 1).
// Text it cuts wrong does not prepare as a SELECT, so is refused.
func explained(query string) (string, bool) {
	rest, ok := cutKeyword(skipSpace(query), "EXPLAIN")
	if !ok {
		return "", false
	}
	rest = skipSpace(rest)
	for _, kw := range []string{"ANALYZE", "ANALYSE"} {
		if after, ok := cutKeyword(rest, kw); ok {
			return after, true
		}
	}
	if !strings.HasPrefix(rest, "(") {
		return rest, true
	}
	end := closingParen(rest)
	if end < 0 {
		return "", false
	}
	if after := rest[end+1:]; strings.Trim(skipSpace(after), "; \t\r\n") != "" {
		return after, true
	}
	return rest[:end+1], true
}

// skipSpace drops leading white space and comments.
func skipSpace(s string) string {
	for {
		s = strings.TrimLeft(s, " \t\r\n\f")
		switch {
		case strings.HasPrefix(s, "--"):
			_, s, _ = strings.Cut(s, "\n")
		case strings.HasPrefix(s, "/*"):
			end := commentEnd(s)
			if end < 0 {
				return ""
			}
			s = s[end:]
		default:
			return s
		}
	}
}

// cutKeyword cuts the keyword kw (any letter case) off the start of s.
func cutKeyword(s, kw string) (string, bool) {
	if len(s) < len(kw) || !strings.EqualFold(s[:len(kw)], kw) {
		return s, false
	}
	rest := s[len(kw):]
	if rest != "" && (rest[0] == '_' || rest[0] == '$' || isAlnum(rest[0])) {
		return s, false
	}
	return rest, true
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// closingParen returns the index of the parenthesis that closes the one s starts with, past
// quoted text and comments, or -1.
func closingParen(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '(':
			depth++
		case c == ')':
			if depth--; depth == 0 {
				return i
			}
		case c == '\'' || c == '"':
			// A doubled quote inside closes and reopens: the same as skipping it.
			end := strings.IndexByte(s[i+1:], c)
			if end < 0 {
				return -1
			}
			i += end + 1
		case strings.HasPrefix(s[i:], "--"):
			end := strings.IndexByte(s[i:], '\n')
			if end < 0 {
				return -1
			}
			i += end
		case strings.HasPrefix(s[i:], "/*"):
			end := commentEnd(s[i:])
			if end < 0 {
				return -1
			}
			i += end - 1
		}
	}
	return -1
}

// commentEnd returns the index just past the block comment s starts with (block comments
// nest, as in DuckDB's parser), or -1.
func commentEnd(s string) int {
	depth := 0
	for i := 0; i+1 < len(s); i++ {
		switch s[i : i+2] {
		case "/*":
			depth++
			i++
		case "*/":
			depth--
			i++
			if depth == 0 {
				return i + 1
			}
		}
	}
	return -1
}

func collect(ctx context.Context, e *engine.Engine, query string) (*Result, error) {
	rows, err := e.Conn.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	res := &Result{}
	if res.Columns, err = rows.Columns(); err != nil {
		return nil, err
	}
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	for _, t := range types {
		res.Types = append(res.Types, t.DatabaseTypeName())
	}
	for rows.Next() {
		vals := make([]any, len(res.Columns))
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		res.Rows = append(res.Rows, vals)
	}
	return res, rows.Err()
}

package pipeline

import (
	"context"
	"database/sql/driver"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/duckdb/duckdb-go/v2"
)

// Result is the outcome of a query: column names, DuckDB type names and rows of Go values.
type Result struct {
	Columns []string
	Types   []string
	Rows    [][]any
}

// readOnlyStatements are what `scorecard query` accepts: nothing that writes.
var readOnlyStatements = map[duckdb.StmtType]bool{
	duckdb.STATEMENT_TYPE_SELECT:  true,
	duckdb.STATEMENT_TYPE_EXPLAIN: true,
}

// Query runs one read-only statement over the lake's views (SPEC §6) on a fresh in-memory
// DuckDB; it never writes to the lake.
func Query(ctx context.Context, lake Lake, d DuckDBConfig, query string) (*Result, error) {
	if !lake.HasRun() {
		return nil, fmt.Errorf("%w: %s (run `scorecard run` first)", ErrNoLake, lake.Dir)
	}
	eng, err := openEngine(ctx, d, "")
	if err != nil {
		return nil, err
	}
	defer eng.Close()
	if err := eng.setVariable(ctx, "lake", sqlString(lake.Dir)); err != nil {
		return nil, err
	}
	if err := eng.createViews(ctx, lake); err != nil {
		return nil, err
	}
	if err := eng.checkReadOnly(ctx, query); err != nil {
		return nil, err
	}
	return eng.collect(ctx, query)
}

// createViews creates each view of views.sql whose files exist; a view without files (a table
// no run has written yet) raises a clear error when queried instead.
func (e *engine) createViews(ctx context.Context, lake Lake) error {
	text, err := sqlFiles.ReadFile("sql/views.sql")
	if err != nil {
		return err
	}
	sections := strings.Split(string(text), "-- view: ")
	for _, sec := range sections[1:] {
		head, body, _ := strings.Cut(sec, "\n")
		name, glob, _ := strings.Cut(strings.TrimSpace(head), " ")
		files, err := filepath.Glob(filepath.Join(lake.Dir, glob))
		if err != nil {
			return err
		}
		if len(files) == 0 {
			msg := sqlString(fmt.Sprintf("the lake %s has no %s yet", lake.Dir, name))
			body = fmt.Sprintf("CREATE OR REPLACE VIEW %s AS SELECT error(%s) AS %s", name, msg, name)
		}
		if err := e.exec(ctx, body); err != nil {
			return fmt.Errorf("sql/views.sql, view %s: %w", name, err)
		}
	}
	return nil
}

// checkReadOnly prepares the statement to learn its type without running it.
func (e *engine) checkReadOnly(ctx context.Context, query string) error {
	return e.conn.Raw(func(dc any) error {
		prep, ok := dc.(driver.ConnPrepareContext)
		if !ok {
			return fmt.Errorf("duckdb connection cannot prepare")
		}
		stmt, err := prep.PrepareContext(ctx, query)
		if err != nil {
			return err
		}
		defer stmt.Close()
		typ, err := stmt.(*duckdb.Stmt).StatementType()
		if err != nil {
			return err
		}
		if !readOnlyStatements[typ] {
			return fmt.Errorf("%w: only SELECT (and EXPLAIN) statements are allowed", ErrReadOnly)
		}
		return nil
	})
}

func (e *engine) collect(ctx context.Context, query string) (*Result, error) {
	rows, err := e.conn.QueryContext(ctx, query)
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

package lake

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"scorecard/pipeline/engine"
)

// ViewNames are the names of the lake's views, in the order views.sql declares them.
func ViewNames() []string {
	views, err := lakeViews()
	if err != nil {
		panic(err) // views.sql is embedded
	}
	names := make([]string, len(views))
	for i, v := range views {
		names[i] = v.name
	}
	return names
}

// lakeView is one section of views.sql: a view, the glob of its files, its columns and their
// types (its `-- empty:` lines) and its body.
type lakeView struct {
	name, glob, empty, body string
}

// lakeViews reads the sections of views.sql, each from its `-- view: ` line to the next.
func lakeViews() ([]lakeView, error) {
	text, err := sqlFiles.ReadFile("sql/views.sql")
	if err != nil {
		return nil, err
	}
	var views []lakeView
	for _, line := range strings.SplitAfter(string(text), "\n") {
		if head, ok := strings.CutPrefix(line, "-- view: "); ok {
			var v lakeView
			v.name, v.glob, _ = strings.Cut(strings.TrimSpace(head), " ")
			views = append(views, v)
			continue
		}
		if len(views) == 0 {
			continue
		}
		v := &views[len(views)-1]
		v.body += line
		if cols, ok := strings.CutPrefix(line, "-- empty:"); ok {
			v.empty = strings.TrimSpace(v.empty + " " + strings.TrimSpace(cols))
		}
	}
	return views, nil
}

// CreateViews creates the views of views.sql over the lake. A view whose table has no files
// yet (no run has written it) reads as empty, with its columns and types.
func CreateViews(ctx context.Context, e *engine.Engine, lk Lake) error {
	views, err := lakeViews()
	if err != nil {
		return err
	}
	for _, v := range views {
		files, err := filepath.Glob(filepath.Join(lk.Dir, v.glob))
		if err != nil {
			return err
		}
		body := strings.ReplaceAll(v.body, "{{empty}}", v.noRows())
		if len(files) == 0 {
			body, err = v.emptyBody()
		}
		if err == nil {
			err = e.Exec(ctx, body)
		}
		if err != nil {
			return fmt.Errorf("sql/views.sql, view %s: %w", v.name, err)
		}
	}
	return nil
}

// emptyBody creates the view as no rows of its `-- empty:` columns.
func (v lakeView) emptyBody() (string, error) {
	if v.empty == "" {
		return "", errors.New("no -- empty: columns to create it by with no files")
	}
	return fmt.Sprintf("CREATE OR REPLACE VIEW %s AS %s", v.name, v.noRows()), nil
}

// noRows is a query of no rows with the view's `-- empty:` columns, in their order: a body
// that takes its columns from them says {{empty}} (UNION ALL BY NAME with its files).
func (v lakeView) noRows() string {
	return fmt.Sprintf("FROM (SELECT unnest(NULL::STRUCT(%s)) LIMIT 0)", v.empty)
}

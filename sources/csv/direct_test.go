package csv

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"scorecard/sources"
)

// readMixed reads cfg's files the way the stage step does: each file DuckDB can read itself
// through DirectQuery, the others through Next. It returns the rows and the files streamed.
func readMixed(t *testing.T, cfg sources.Config) ([]row, []string) {
	t.Helper()
	files, err := sources.MatchFiles(cfg.Path)
	if err != nil {
		t.Fatal(err)
	}
	src, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var rows []row
	var streamed []string
	for _, file := range files {
		query, firstRow, err := src.(sources.DirectReader).DirectQuery(file)
		if err != nil {
			t.Fatal(err)
		}
		if query == "" {
			one := cfg
			one.Files = []string{file}
			got, _, err := readAll(t, one)
			if err != nil {
				t.Fatal(err)
			}
			rows = append(rows, got...)
			streamed = append(streamed, filepath.Base(file))
			continue
		}
		// numbered as the stage step's landing file numbers them: by position
		numbered := fmt.Sprintf("SELECT *, row_number() OVER () - 1 + %d AS source_row FROM (%s)", firstRow, query)
		rows = append(rows, queryRows(t, db, numbered)...)
	}
	return rows, streamed
}

// directQuery is the DuckDB query a source gives for its one file, which must have one, and
// an in-memory DuckDB to run it on (closed when the test ends).
func directQuery(t *testing.T, cfg sources.Config) (db *sql.DB, query string, firstRow int64) {
	t.Helper()
	src, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	query, firstRow, err = src.(sources.DirectReader).DirectQuery(cfg.Path)
	if err != nil || query == "" {
		t.Fatalf("DirectQuery = %q, %v; want a query", query, err)
	}
	db, err = sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, query, firstRow
}

func queryRows(t *testing.T, db *sql.DB, query string) []row {
	t.Helper()
	res, err := db.Query(query)
	if err != nil {
		t.Fatalf("%v\n%s", err, query)
	}
	defer res.Close()
	names, err := res.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var rows []row
	for res.Next() {
		var vals [8]sql.NullString
		var file string
		var defect sql.NullString
		var rw row
		var dest []any
		for i := range vals {
			dest = append(dest, &vals[i])
		}
		for _, name := range names[len(vals):] {
			dest = append(dest, map[string]any{"source_file": &file, "defect": &defect, "source_row": &rw.line}[name])
		}
		if err := res.Scan(dest...); err != nil {
			t.Fatal(err)
		}
		rw.file, rw.defect = filepath.Base(file), defect.String
		for i, v := range vals {
			rw.vals[i] = N
			if v.Valid {
				rw.vals[i] = v.String
			}
		}
		rows = append(rows, rw)
	}
	if err := res.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestOnePerLine(t *testing.T) {
	tests := []struct {
		body string
		want bool
	}{
		{"a,b\n1,2\n", true},
		{"a,b\r\n1,2\r\n", true},
		{"a,b\n1,2", true}, // no final line break
		{"a,b\n", true},    // a header alone
		{"a,b\n1,\"2\"\n", false},
		{"a,b\n\n1,2\n", false}, // a blank line
		{"a,b\r\n\r\n1,2\r\n", false},
		{"\na,b\n1,2\n", false}, // a blank first line
		{"\r\na,b\n", false},
		{"a,b\n1,2\n\n", false}, // a blank last line
		{"a,b\r1,2\r", false},   // bare carriage returns
		{"a,b\n1,x\ry\n", false},
		{"a,b\n1,2\r", false}, // a bare CR ending the file
	}
	for _, tt := range tests {
		path := filepath.Join(t.TempDir(), "c.csv")
		if err := os.WriteFile(path, []byte(tt.body), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := onePerLine(path)
		if err != nil || got != tt.want {
			t.Errorf("onePerLine(%q) = %v, %v; want %v", tt.body, got, err, tt.want)
		}
	}
}

// TestOnePerLineBlockEdges puts each kind of line end on every position around the edges of
// the 1 MiB read blocks.
func TestOnePerLineBlockEdges(t *testing.T) {
	const block = 1 << 20
	for at := block - 4; at <= block+3; at++ {
		for _, tt := range []struct {
			end  string
			want bool
		}{{"\n", true}, {"\r\n", true}, {"\n\n", false}, {"\n\r\n", false}, {"\r", false}} {
			body := make([]byte, 0, block+8)
			body = append(body, "a,b\n"...)
			for len(body) < at {
				body = append(body, 'x')
			}
			body = append(body, tt.end...)
			body = append(body, "1,2\n"...)
			path := filepath.Join(t.TempDir(), "c.csv")
			if err := os.WriteFile(path, body, 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := onePerLine(path)
			if err != nil || got != tt.want {
				t.Errorf("line end %q at byte %d: got %v, %v; want %v", tt.end, at, got, err, tt.want)
			}
		}
	}
}

func TestDirectSkipsWhatItCannotRead(t *testing.T) {
	cfg := setup(t, map[string]string{
		"a.csv": header + "1,studie,ja,,,2024-01-02,,\n",
		"b.csv": header + "\"2\",studie,ja,,,2024-01-02,,\n",
		"c.csv": header + "3,studie,ja,,,2024-01-02,,\n\n",
	}, sources.Config{Path: "*.csv"})
	_, streamed := readMixed(t, cfg)
	if want := []string{"b.csv", "c.csv"}; !slices.Equal(streamed, want) {
		t.Errorf("streamed %v, want %v", streamed, want)
	}
}

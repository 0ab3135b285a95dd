package csv

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"scorecard/sources"
)

// readMixed reads cfg's files the way the stage step does: each file DuckDB can read itself
// through DirectPieces, the others through Next. It returns the rows and the files streamed.
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
		query, firstRow, err := wholeQuery(src, file)
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
	query, firstRow, err = wholeQuery(src, cfg.Path)
	if err != nil || query == "" {
		t.Fatalf("the whole file's query = %q, %v; want a query", query, err)
	}
	db, err = sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, query, firstRow
}

// wholeQuery is the query of a file read in one piece ("" when it is left to Next).
func wholeQuery(src sources.Source, path string) (string, int64, error) {
	pieces, err := src.(sources.DirectReader).DirectPieces(path, 1, "")
	if err != nil || len(pieces) == 0 {
		return "", 0, err
	}
	return pieces[0].Query()
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

// TestDirectPieces reads files in 1 to 5 pieces: the pieces' rows, each numbered from its
// first row, one after the other, are the rows Next gives, and each piece after the first
// reads a file of its own, which Close removes.
func TestDirectPieces(t *testing.T) {
	var lf strings.Builder
	lf.WriteString(header)
	for i := range 1000 {
		fmt.Fprintf(&lf, "%d,studie,ja,, ,2024-01-%02d,%s,\n", i, i%28+1, strings.Repeat("x", i%37))
	}
	bodies := map[string]string{
		"lf.csv":        lf.String(),
		"crlf.csv":      strings.ReplaceAll(lf.String(), "\n", "\r\n"),
		"no-end.csv":    strings.TrimSuffix(lf.String(), "\n"),
		"bom.csv":       "\uFEFF" + lf.String(),
		"few.csv":       header + "1,studie,ja,,,2024-01-02,,\n",
		"header.csv":    header,
		"semicolon.csv": strings.ReplaceAll(lf.String(), ",", ";"),
	}
	for name, body := range bodies {
		cfg := setup(t, map[string]string{name: body}, sources.Config{Path: name})
		want, _, err := readAll(t, cfg)
		if err != nil {
			t.Fatal(err)
		}
		src, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		for n := 1; n <= 5; n++ {
			scratch := filepath.Join(t.TempDir(), "pieces")
			pieces, err := src.(sources.DirectReader).DirectPieces(cfg.Path, n, scratch)
			if err != nil {
				t.Fatal(err)
			}
			if wantPieces := min(n, 1+strings.Count(body, "\n")/4); len(want) >= 100 && len(pieces) != wantPieces {
				t.Errorf("%s in %d pieces: %d", name, n, len(pieces))
			}
			var queries []string
			var firstRows []int64
			for i, p := range pieces {
				query, firstRow, err := p.Query()
				if err != nil || query == "" {
					t.Fatalf("%s piece %d of %d: %q, %v", name, i, n, query, err)
				}
				queries, firstRows = append(queries, query), append(firstRows, firstRow)
			}
			if made, _ := os.ReadDir(scratch); len(made) != len(pieces)-1 {
				t.Errorf("%s in %d pieces: %d files made, want %d", name, n, len(made), len(pieces)-1)
			}
			db, err := fuzzDB()
			if err != nil {
				t.Fatal(err)
			}
			var got []row
			for i, query := range queries {
				got = append(got, queryRows(t, db, fmt.Sprintf("SELECT *, row_number() OVER () - 1 + %d AS source_row FROM (%s)", firstRows[i], query))...)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s in %d pieces: %d rows, want %d; first rows %v", name, n, len(got), len(want), firstRows)
			}
			for _, p := range pieces {
				if err := p.Close(); err != nil {
					t.Error(err)
				}
			}
			if left, _ := os.ReadDir(scratch); len(left) != 0 {
				t.Errorf("%s in %d pieces: %d files left after Close", name, n, len(left))
			}
		}
	}
}

// TestDirectPiecesDecline: a file that one piece cannot read is left to Next by every piece,
// wherever the line it cannot read is.
func TestDirectPiecesDecline(t *testing.T) {
	var rows []string
	for i := range 300 {
		rows = append(rows, fmt.Sprintf("%d,studie,ja,,,2024-01-02,,\n", i))
	}
	bodies := map[string]string{
		"a bare CR ending the file": header + strings.Join(rows, "") + "9,studie,ja,,,2024-01-02,,\r",
	}
	for _, bad := range []string{"\"9\",studie,ja,,,2024-01-02,,\n", "\n", "9,studie,ja,\r,,2024-01-02,,\n"} {
		for _, at := range []int{0, 150, 300} {
			bodies[fmt.Sprintf("%q at row %d", bad, at)] = header + strings.Join(slices.Insert(slices.Clone(rows), at, bad), "")
		}
	}
	for name, body := range bodies {
		cfg := setup(t, map[string]string{"c.csv": body}, sources.Config{Path: "c.csv"})
		src, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		pieces, err := src.(sources.DirectReader).DirectPieces(cfg.Path, 3, t.TempDir())
		if err != nil || len(pieces) != 3 {
			t.Fatalf("%s: %d pieces, %v", name, len(pieces), err)
		}
		for i, p := range pieces {
			if query, _, err := p.Query(); query != "" || err != nil {
				t.Errorf("%s: piece %d offers %q, %v", name, i, query, err)
			}
			p.Close()
		}
	}
}

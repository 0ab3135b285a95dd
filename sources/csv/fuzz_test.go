package csv

import (
	"bytes"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	_ "github.com/duckdb/duckdb-go/v2"

	"scorecard/sources"
)

// fuzzEncodings are the Config.Encoding values FuzzCSVSource picks from.
var fuzzEncodings = []string{"", "windows-1252", "iso-8859-1"}

// FuzzCSVSource reads arbitrary bytes as a CSV export, end to end as the stage step does:
// through Open and Next, and through DirectPieces and DuckDB when the source offers it. The
// product promises no panic and no stack trace on any input, so for any file:
//   - nothing panics, and every error names the file;
//   - each row read carries the file and a source_row >= 2 (the header is line 1), rising
//     from row to row, and only valid UTF-8 (RawSchema's promise);
//   - no Arrow buffer leaks (setup's checked allocator);
//   - no record is lost or joined to another: Next fails exactly when refReader (the CSV
//     standard's rules, LF, CRLF and a bare CR ending records outside quotes) rejects the
//     file or its header, and otherwise gives refReader's records, on refReader's lines;
//   - a file without CR read with CR for each LF gives the same rows, lines and error
//     position (a CR in the data where the LF was), so old-Mac files lose nothing;
//   - when DirectPieces offers a query, the file reads through Next without error, and if
//     DuckDB runs the query, it yields exactly Next's rows, numbered from its first row;
//     read in three pieces, the pieces' rows one after the other are the same.
//
// withHeader puts a valid header before the input, so the fuzzer reaches the rows without
// having to invent one; enc picks the encoding.
func FuzzCSVSource(f *testing.F) {
	long := strings.Repeat("x", 100_000)
	wide := strings.TrimSuffix(strings.Repeat("1,", 1000), ",")
	row := "1,studie,ja,nej,ja,2024-01-02,2024-01-05,2024-01-05T10:00:00Z\n"
	for _, seed := range []struct {
		data       string
		withHeader bool
	}{
		{header + row + "2,phd,nej,,,2024-02-01,,\n", false},
		{row, true},
		{"\uFEFF" + header + row, false},
		{"\uFEFF" + row, true},
		{strings.ReplaceAll(header+row, ",", ";"), false},
		{"case_id;case_type;first_time;submitted_at;\"note, with, commas\"\n1;phd;ja;2024-01-01;\"a;b\"\n", false},
		{"1,studie,\"ja\nnej\",,,2024-01-02,,\n\"3\",phd,\"x\"\"y\",,,2024-01-01,,\n", true},
		{"1,studie,ja,\rnej,,2024-01-02,,\n", true},
		{strings.ReplaceAll(header+row+row, "\n", "\r"), false},
		{strings.ReplaceAll(header+row+row, "\n", "\r\n"), false},
		{"1,phd,ja,,,2024-01-02,,x\r2,phd,nej,,,2024-01-03,,y\n", true},
		{"1,\"a\rb\",ja,,,2024-01-02,,\r2,\"c\r\nd\",nej,,,2024-01-03,,\r\r\n\n\r3,\"\r\"\r", true},
		{"\"1,phd\r\r3,x\r", true},
		{header, false},
		{"", false},
		{"", true},
		{"1,stu\x00die,ja,,,2024-01-02,,\n\x00\n", true},
		{"1,studie,\xff\xfe,,,2024-01-02,,\n", true},
		{"1,studie,\xe6\xf8\xe5,,,2024-01-02,,\n", true}, // æøå in windows-1252
		{"1," + long + ",ja,,,2024-01-02,,\n", true},
		{wide + "\n" + wide + "\n", true},
		{"1,studie\n\n\n2,phd,ja,,,2024-01-02,,,,,,\n", true},
		{"\"unterminated,studie\n", true},
		{"a\"b,c\n", true},
		{"case_id,case_id,case_type,first_time,submitted_at\n1,2,x,y,z\n", false},
	} {
		for enc := range fuzzEncodings {
			f.Add([]byte(seed.data), seed.withHeader, uint8(enc))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, withHeader bool, enc uint8) {
		if withHeader {
			data = append([]byte(header), data...)
		}
		cfg := setup(t, map[string]string{"c.csv": string(data)}, sources.Config{
			Name:      "x",
			Encoding:  fuzzEncodings[int(enc)%len(fuzzEncodings)],
			BatchSize: 1 + len(data)%4, // batches end at every place in a file
		})
		path := cfg.Path
		rows, _, err := readAll(t, cfg)
		if err != nil && !strings.Contains(err.Error(), path) {
			t.Errorf("error does not name the file %s: %v", path, err)
		}
		checkRows(t, rows)
		checkReference(t, cfg, data, rows, err)
		checkCROnly(t, cfg, data, rows, err)

		src, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		query, firstRow, qerr := wholeQuery(src, path)
		switch {
		case qerr != nil:
			if !strings.Contains(qerr.Error(), path) {
				t.Errorf("DirectPieces error does not name the file %s: %v", path, qerr)
			}
		case query == "":
		case err != nil:
			t.Errorf("DirectPieces offers a query for a file Next fails on (%v):\n%s", err, query)
		default:
			checkDirect(t, []string{query}, []int64{firstRow}, rows)
			checkPieces(t, src, path, rows)
		}
	})
}

// checkRows checks the rows Next returned from one file, in order.
func checkRows(t *testing.T, rows []row) {
	t.Helper()
	last := int64(1) // the header's line
	for i, rw := range rows {
		if rw.file != "c.csv" || rw.line <= last {
			t.Errorf("row %d: file %q, source_row %d after %d", i, rw.file, rw.line, last)
		}
		last = rw.line
		for c, v := range rw.vals {
			if !utf8.ValidString(v) {
				t.Errorf("row %d (line %d) column %d is not valid UTF-8: %q", i, rw.line, c, v)
			}
		}
		if rw.defect != "" && rw.defect != sources.DefectBadEncoding {
			t.Errorf("row %d (line %d): defect %q", i, rw.line, rw.defect)
		}
	}
}

// checkReference checks the result of reading data through Next against refRows.
func checkReference(t *testing.T, cfg sources.Config, data []byte, rows []row, err error) {
	t.Helper()
	want, werr := refRows(cfg, data)
	switch {
	case werr != nil && err == nil:
		t.Errorf("Next reads a file the reference reader rejects (%v)", werr)
	case werr == nil && err != nil:
		t.Errorf("Next fails on a file the reference reader reads: %v", err)
	case err == nil:
		compare(t, rows, want)
	}
}

// checkCROnly reads data with each LF made a CR, when it has no CR, and checks that it gives
// what data gave: the rows with CR for LF in their values, or the same error.
func checkCROnly(t *testing.T, cfg sources.Config, data []byte, rows []row, err error) {
	t.Helper()
	if bytes.IndexByte(data, '\r') >= 0 || bytes.IndexByte(data, '\n') < 0 {
		return
	}
	crCfg := cfg
	crCfg.Path = filepath.Join(t.TempDir(), "c.csv")
	if err := os.WriteFile(crCfg.Path, bytes.ReplaceAll(data, []byte("\n"), []byte("\r")), 0o644); err != nil {
		t.Fatal(err)
	}
	crRows, _, crErr := readAll(t, crCfg)
	lf := strings.NewReplacer("\r", "\n", `\r`, `\n`, filepath.Dir(crCfg.Path), filepath.Dir(cfg.Path))
	if (err == nil) != (crErr == nil) || err != nil && lf.Replace(crErr.Error()) != lf.Replace(err.Error()) {
		t.Fatalf("with CR line ends: error %v\nwith LF line ends: error %v", crErr, err)
	}
	for i := range crRows {
		for c, v := range crRows[i].vals {
			crRows[i].vals[c] = strings.ReplaceAll(v, "\r", "\n")
		}
	}
	compare(t, crRows, rows)
}

// fuzzDB is the DuckDB database FuzzCSVSource runs DirectPieces' queries on, opened once per
// fuzzing process.
var fuzzDB = sync.OnceValues(func() (*sql.DB, error) { return sql.Open("duckdb", "") })

// checkPieces reads the file in three pieces: each offers a query when the file whole does.
func checkPieces(t *testing.T, src sources.Source, path string, want []row) {
	t.Helper()
	pieces, err := src.(sources.DirectReader).DirectPieces(path, 3, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var queries []string
	var firstRows []int64
	for _, p := range pieces {
		query, firstRow, err := p.Query()
		if err != nil || query == "" {
			t.Fatalf("piece of a file read whole: %q, %v", query, err)
		}
		queries, firstRows = append(queries, query), append(firstRows, firstRow)
	}
	checkDirect(t, queries, firstRows, want)
	for _, p := range pieces {
		if err := p.Close(); err != nil {
			t.Error(err)
		}
	}
}

// checkDirect runs DirectPieces' queries as the stage step does, numbering each piece's rows
// by their position from its first row. DuckDB may fail (the stage step then streams the
// file); if it does not, the pieces' rows must be exactly the rows Next gave.
func checkDirect(t *testing.T, queries []string, firstRows []int64, want []row) {
	t.Helper()
	db, err := fuzzDB()
	if err != nil {
		t.Fatal(err)
	}
	var got []row
	for i, query := range queries {
		rows, err := duckRows(db, fmt.Sprintf("SELECT *, row_number() OVER () - 1 + %d AS source_row FROM (%s)", firstRows[i], query))
		if err != nil {
			return
		}
		got = append(got, rows...)
	}
	if len(got) != len(want) {
		t.Fatalf("DuckDB read %d rows, Next %d\nDuckDB: %+v\nNext:   %+v", len(got), len(want), got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d:\nDuckDB %+v\nNext   %+v", i, got[i], want[i])
		}
	}
}

// duckRows runs a query whose columns are the cases raw schema's, in any order, as rows; unlike
// queryRows it returns DuckDB's error, which is allowed.
func duckRows(db *sql.DB, query string) ([]row, error) {
	res, err := db.Query(query)
	if err != nil {
		return nil, err
	}
	defer res.Close()
	names, err := res.Columns()
	if err != nil {
		return nil, err
	}
	var rows []row
	for res.Next() {
		var vals [8]sql.NullString
		var file string
		var defect sql.NullString
		var rw row
		dest := make([]any, len(names))
		for i, name := range names {
			switch name {
			case sources.SourceFileColumn:
				dest[i] = &file
			case sources.SourceRowColumn:
				dest[i] = &rw.line
			case sources.DefectColumn:
				dest[i] = &defect
			default:
				c := slices.Index(sources.CanonicalColumns, name)
				if c < 0 {
					return nil, fmt.Errorf("unexpected column %q", name)
				}
				dest[i] = &vals[c]
			}
		}
		if err := res.Scan(dest...); err != nil {
			return nil, err
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
	return rows, res.Err()
}

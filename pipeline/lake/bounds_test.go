package lake

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	_ "github.com/duckdb/duckdb-go/v2"
)

// TestReadTextBounds: the bounds read from a footer are DuckDB's own min and max of the column
// over all its row groups, for files written as the lake writes its cases (Parquet V2, small
// row groups) and as an older build did (V1); a file without statistics has unknown bounds.
func TestReadTextBounds(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	dir := t.TempDir()
	// ids in no order, so that each row group spans part of the range; bytes above ASCII sort
	// after it, as Parquet's unsigned order and DuckDB's both have it
	const rows = `SELECT CASE WHEN i = 777 THEN 'ÆØÅ-last' ELSE 'SIRI-' || lpad(((i * 7919) % 5000)::VARCHAR, 6, '0') END AS case_id,
		i AS n FROM range(5000) r(i)`
	for _, c := range []struct {
		name, options string
		want          TextBounds
	}{
		{"v2.parquet", "PARQUET_VERSION V2, ROW_GROUP_SIZE 1024", TextBounds{Min: "SIRI-000000", Max: "ÆØÅ-last", Known: true, Rows: 5000}},
		{"v1.parquet", "ROW_GROUP_SIZE 2048", TextBounds{Min: "SIRI-000000", Max: "ÆØÅ-last", Known: true, Rows: 5000}},
		{"empty.parquet", "ROW_GROUP_SIZE 1024", TextBounds{}},
	} {
		path := filepath.Join(dir, c.name)
		query := rows
		if c.name == "empty.parquet" {
			query += " WHERE false"
		}
		if _, err := db.Exec("COPY (" + query + ") TO '" + path + "' (FORMAT parquet, " + c.options + ")"); err != nil {
			t.Fatal(err)
		}
		if c.want.Known {
			var groups int
			if err := db.QueryRow("SELECT count(DISTINCT row_group_id) FROM parquet_metadata('" + path + "')").Scan(&groups); err != nil || groups < 2 {
				t.Fatalf("%s: %d row groups (%v), want several", c.name, groups, err)
			}
			var lo, hi string
			if err := db.QueryRow("SELECT min(case_id), max(case_id) FROM '"+path+"'").Scan(&lo, &hi); err != nil {
				t.Fatal(err)
			}
			if lo != c.want.Min || hi != c.want.Max {
				t.Fatalf("%s: DuckDB reads %s to %s, the test wants %s to %s", c.name, lo, hi, c.want.Min, c.want.Max)
			}
		}
		got, err := ReadTextBounds(path, "case_id")
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
	// a writer that keeps no statistics: any id may be in the file
	noStats := filepath.Join(dir, "nostats.parquet")
	writeWithoutStats(t, noStats, []string{"SIRI-1", "SIRI-2"})
	if b, err := ReadTextBounds(noStats, "case_id"); err != nil || b != (TextBounds{Rows: 2}) {
		t.Errorf("a file without statistics: %+v, %v; want unknown bounds and its 2 rows", b, err)
	}
	// merge.sql leaves files out by comparing these paths with read_parquet's filename: it
	// must be the path as listed (filepath.Glob's, in PreviousGlob), or no file is left out
	listed := []string{filepath.Join(dir, "v2.parquet"), filepath.Join(dir, "v1.parquet")}
	res, err := db.Query("SELECT DISTINCT filename FROM read_parquet(['" + listed[0] + "', '" + listed[1] + "'], filename = true) ORDER BY 1")
	if err != nil {
		t.Fatal(err)
	}
	var named []string
	for res.Next() {
		var f string
		if err := res.Scan(&f); err != nil {
			t.Fatal(err)
		}
		named = append(named, f)
	}
	res.Close()
	if want := []string{listed[1], listed[0]}; strings.Join(named, " ") != strings.Join(want, " ") {
		t.Errorf("read_parquet names the files %q, want %q as listed", named, want)
	}
	if _, err := ReadTextBounds(filepath.Join(dir, "v2.parquet"), "nope"); err == nil {
		t.Error("a column the file lacks: no error")
	}
	if b, err := ReadTextBounds(filepath.Join(dir, "v2.parquet"), "n"); err != nil || b != (TextBounds{Rows: 5000}) {
		t.Errorf("a number column: %+v, %v; want unknown bounds and the file's 5000 rows", b, err)
	}
}

func writeWithoutStats(t *testing.T, path string, ids []string) {
	t.Helper()
	schema := arrow.NewSchema([]arrow.Field{{Name: "case_id", Type: arrow.BinaryTypes.String}}, nil)
	b := array.NewStringBuilder(memory.DefaultAllocator)
	b.AppendValues(ids, nil)
	col := b.NewArray()
	defer col.Release()
	rec := array.NewRecordBatch(schema, []arrow.Array{col}, int64(len(ids)))
	defer rec.Release()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := pqarrow.NewFileWriter(schema, f, parquet.NewWriterProperties(parquet.WithStats(false)), pqarrow.DefaultWriterProps())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

package csv

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"scorecard/sources"
)

// appointmentFiles are two exports of appointment snapshots: a.csv with the snapshot column
// under another name, no site and a short last line, plain enough for DuckDB to read itself;
// b.csv with a quoted cell, so always streamed.
var appointmentFiles = map[string]string{
	"a.csv": "Tidspunkt;NEXT_FREE_AT;note\n2024-03-01T08:00:00+01:00;2024-03-11;x\n2024-03-02T08:00:00+01:00\n",
	"b.csv": "site,tidspunkt,next_free_at\r\n\"Aarhus, Bruuns\",2024-03-01 07:59,2024-03-12T10:15\r\n",
}

// TestCSVAppointments: an appointments export is read through the same header matching and
// `columns:` mapping as cases, under the appointments raw schema: the mapped column, one
// matched case-insensitively, an absent optional column as null, a short row as "".
func TestCSVAppointments(t *testing.T) {
	cfg := setup(t, appointmentFiles, sources.Config{Path: "*.csv", Dataset: sources.Appointments,
		Columns: map[string]string{"snapshot_at": "tidspunkt"}})
	want := []string{
		"a.csv:2 2024-03-01T08:00:00+01:00|(null)|2024-03-11",
		"a.csv:3 2024-03-02T08:00:00+01:00|(null)|",
		"b.csv:2 2024-03-01 07:59|Aarhus, Bruuns|2024-03-12T10:15",
	}
	if got := readDataset(t, cfg); !slices.Equal(got, want) {
		t.Errorf("rows:\n got %q\nwant %q", got, want)
	}
}

// TestCSVAppointmentsDirect: DuckDB reads a plain appointments file itself to the same rows
// under the same column names as Next.
func TestCSVAppointmentsDirect(t *testing.T) {
	cfg := setup(t, appointmentFiles, sources.Config{Path: "a.csv", Dataset: sources.Appointments,
		Columns: map[string]string{"snapshot_at": "tidspunkt"}})
	db, query, first := directQuery(t, cfg)
	res, err := db.Query(query)
	if err != nil {
		t.Fatalf("%v\n%s", err, query)
	}
	defer res.Close()
	names, _ := res.Columns()
	if want := []string{"snapshot_at", "site", "next_free_at", "source_file", "defect"}; !slices.Equal(names, want) {
		t.Errorf("columns = %v, want %v", names, want)
	}
	var got []string
	for line := first; res.Next(); line++ {
		var snapshot, site, next, defect sql.NullString
		var file string
		if err := res.Scan(&snapshot, &site, &next, &file, &defect); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s:%d %s|%s|%s|%s", filepath.Base(file), line,
			nullable(snapshot), nullable(site), nullable(next), nullable(defect)))
	}
	if err := res.Err(); err != nil {
		t.Fatal(err)
	}
	want := readDataset(t, cfg)
	for i := range want {
		want[i] += "|(null)" // the defect, which Next leaves null for a sound row
	}
	if !slices.Equal(got, want) {
		t.Errorf("DuckDB rows:\n got %q\nwant %q (Next's)", got, want)
	}
}

// TestCSVAppointmentsMissingColumns: a file without a required appointments column fails
// Open with an error naming the file and the column, under its own name or the mapped one.
func TestCSVAppointmentsMissingColumns(t *testing.T) {
	files := map[string]string{"c.csv": "snapshot_at,site,case_id\n2024-03-01T08:00:00Z,1,2\n"}
	tests := []struct {
		columns map[string]string
		want    string
	}{
		{nil, `c.csv: missing required column "next_free_at"`},
		{map[string]string{"next_free_at": "naeste_ledige"}, `c.csv: missing required column "naeste_ledige" (mapped to next_free_at)`},
	}
	for _, tt := range tests {
		cfg := setup(t, files, sources.Config{Path: "c.csv", Dataset: sources.Appointments, Columns: tt.columns})
		_, _, err := readAll(t, cfg)
		if err == nil || !strings.HasSuffix(err.Error(), tt.want) || !strings.Contains(err.Error(), cfg.Path) {
			t.Errorf("error = %v, want %s with the file's path", err, tt.want)
		}
		if !errors.Is(err, sources.ErrMissingColumn) {
			t.Errorf("error %v is not ErrMissingColumn", err)
		}
	}
}

// readDataset reads cfg through Next to its end, each row as "file:line v1|v2|...", with the
// dataset's columns in order, then the defect where there is one; it fails t on an error or a
// schema not the dataset's.
func readDataset(t *testing.T, cfg sources.Config) []string {
	t.Helper()
	src, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	ctx := context.Background()
	if err := src.Open(ctx); err != nil {
		t.Fatal(err)
	}
	schema := cfg.DatasetOrCases().RawSchema()
	var rows []string
	for {
		rec, err := src.Next(ctx)
		if errors.Is(err, io.EOF) {
			return rows
		}
		if err != nil {
			t.Fatal(err)
		}
		if !rec.Schema().Equal(schema) {
			t.Fatalf("schema = %s, want %s", rec.Schema(), schema)
		}
		rows = append(rows, renderRows(rec)...)
		rec.Release()
	}
}

// renderRows renders a raw batch's rows as "file:line v1|v2|...", its columns before the
// provenance ones in order, then the defect where there is one.
func renderRows(rec arrow.RecordBatch) []string {
	n := int(rec.NumCols()) - 3
	files, lines, defects := rec.Column(n), rec.Column(n+1).(*array.Int64), rec.Column(n+2)
	out := make([]string, rec.NumRows())
	for i := range out {
		vals := make([]string, n)
		for c := range vals {
			vals[c] = rec.Column(c).ValueStr(i)
		}
		out[i] = fmt.Sprintf("%s:%d %s", filepath.Base(files.ValueStr(i)), lines.Value(i), strings.Join(vals, "|"))
		if defects.IsValid(i) {
			out[i] += "|" + defects.ValueStr(i)
		}
	}
	return out
}

func nullable(s sql.NullString) string {
	if !s.Valid {
		return array.NullValueStr
	}
	return s.String
}

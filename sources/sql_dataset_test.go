package sources_test

import (
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/array"

	"scorecard/sources"
)

// TestSQLAppointments: an appointments table is read through the same column mapping and
// type checks as cases, under the appointments raw schema: the snapshot column under another
// name, matched case-insensitively, an integer site, a NULL as "", and the columns no
// dataset column names left out.
func TestSQLAppointments(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *testDB) {
		table := db.table(t, "tidspunkt "+db.types["instant"]+", site int, next_free_at date, note varchar(10)",
			"('2024-03-01 07:00:00', 1, '2024-03-11', 'x')", "('2024-03-01 07:30:00.5', NULL, '2024-03-08', NULL)")
		cfg := db.config(t, table)
		cfg.Dataset = sources.Appointments
		cfg.Columns = map[string]string{"snapshot_at": "TIDSPUNKT"}
		compare(t, db.readDataset(t, cfg), []string{
			table + ":1 2024-03-01T07:00:00Z|1|2024-03-11",
			table + ":2 2024-03-01T07:30:00.5Z||2024-03-08",
		})
		cfg.Table, cfg.Query = "", "SELECT next_free_at AS naeste, tidspunkt FROM "+table+" ORDER BY tidspunkt DESC"
		cfg.Columns = map[string]string{"snapshot_at": "tidspunkt", "next_free_at": "naeste"}
		compare(t, db.readDataset(t, cfg), []string{
			"query:1 2024-03-01T07:30:00.5Z|(null)|2024-03-08",
			"query:2 2024-03-01T07:00:00Z|(null)|2024-03-11",
		})
	})
}

// TestSQLAppointmentsColumnErrors: a missing required appointments column and one of a type
// that cannot hold its value fail Open, naming the table and the column.
func TestSQLAppointmentsColumnErrors(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *testDB) {
		noNext := db.table(t, "snapshot_at date, site text")
		badNext := db.table(t, "snapshot_at date, naeste int")
		intName := map[string]string{"postgres": "int4", "mysql": "INT"}[db.kind]
		for _, tt := range []struct {
			table   string
			columns map[string]string
			want    string
			is      error
		}{
			{noNext, nil, db.pre() + `table "` + noNext + `": missing required column "next_free_at"`, sources.ErrMissingColumn},
			{badNext, map[string]string{"next_free_at": "naeste"}, db.pre() + `table "` + badNext +
				`": column "naeste" (next_free_at) is ` + intName + `; want ` + db.KindNames()["dates"], sources.ErrColumnType},
		} {
			cfg := db.config(t, tt.table)
			cfg.Dataset, cfg.Columns = sources.Appointments, tt.columns
			src, err := db.newSource(cfg, time.Second)
			if err != nil {
				t.Fatal(err)
			}
			err = src.Open(ctx())
			src.Close()
			if err == nil || err.Error() != tt.want || !errors.Is(err, tt.is) {
				t.Errorf("error = %v\nwant    %s (%v)", err, tt.want, tt.is)
			}
		}
	})
}

// TestSQLStatusNumbers: the status register's numbers are read from numeric and float
// columns as the server prints them, its plan from an integer.
func TestSQLStatusNumbers(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *testDB) {
		table := db.table(t, "plan int, requirement_id varchar(10), item_id varchar(20), done_on date, "+
			"value numeric(6,2), points "+db.types["float"]+", recorded_at "+db.types["wall"]+", note text",
			"(2020, '2.3', '2020-Q2', NULL, 6.50, NULL, '2024-07-01 12:00:00', 'sygefrav\u00e6r')",
			"(2024, '1.4', 'm1', '2024-03-28', NULL, 2.5, '2024-04-02 08:30:00', NULL)")
		cfg := db.config(t, table)
		cfg.Dataset = sources.Status
		compare(t, db.readDataset(t, cfg), []string{
			table + ":1 2020|2.3|2020-Q2||6.50||2024-07-01T12:00:00|sygefrav\u00e6r",
			table + ":2 2024|1.4|m1|2024-03-28||2.5|2024-04-02T08:30:00|",
		})
	})
}

// readDataset reads cfg to its end, each row as "table:row v1|v2|..." with the dataset's
// columns in order; it fails tb on an error, a schema not the dataset's or a defect.
func (db *testDB) readDataset(tb testing.TB, cfg sources.Config) []string {
	tb.Helper()
	src, err := db.newSource(cfg, time.Second)
	if err != nil {
		tb.Fatal(err)
	}
	defer src.Close()
	if err := src.Open(ctx()); err != nil {
		tb.Fatal(err)
	}
	d := cfg.DatasetOrCases()
	schema, n := d.RawSchema(), len(d.Columns)
	var rows []string
	for {
		rec, err := src.Next(ctx())
		if errors.Is(err, io.EOF) {
			return rows
		}
		if err != nil {
			tb.Fatal(err)
		}
		if !rec.Schema().Equal(schema) {
			tb.Fatalf("schema = %s, want %s", rec.Schema(), schema)
		}
		if defects := rec.Column(n + 2); defects.NullN() != defects.Len() {
			tb.Errorf("defect = %s, want every row NULL", defects)
		}
		for i := range int(rec.NumRows()) {
			vals := make([]string, n)
			for c := range vals {
				vals[c] = rec.Column(c).ValueStr(i)
			}
			row := rec.Column(n + 1).(*array.Int64).Value(i)
			rows = append(rows, rec.Column(n).ValueStr(i)+":"+strconv.FormatInt(row, 10)+" "+strings.Join(vals, "|"))
		}
		rec.Release()
	}
}

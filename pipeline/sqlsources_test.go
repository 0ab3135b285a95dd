package pipeline

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/rs/zerolog"

	"scorecard/sources"
)

// sqlCase is one case as the databases hold it: instants, booleans, a NULL decision.
type sqlCase struct {
	id, caseType       string
	firstTime, complex bool
	submitted, updated time.Time
	decided            *time.Time
}

// sqlCases makes n cases decided in 2024, some around midnight and on the DST nights, so
// the local dates of the instants matter.
func sqlCases(n int) []sqlCase {
	rng := rand.New(rand.NewPCG(7, 7))
	types := []string{"fasttrack", "beloebsordning", "eu_ophold", "studie", "landbrug"}
	out := make([]sqlCase, n)
	for i := range out {
		sub := time.Date(2024, time.Month(1+rng.IntN(12)), 1+rng.IntN(28), rng.IntN(24), rng.IntN(60), 0, 0, time.UTC)
		c := sqlCase{id: fmt.Sprintf("S%04d", i), caseType: types[i%len(types)], firstTime: i%7 != 0,
			complex: i%11 == 0, submitted: sub, updated: sub}
		if i%13 != 0 {
			d := sub.Add(time.Duration(rng.IntN(45*24)) * time.Hour)
			if d.Before(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)) {
				c.decided = &d
			}
		}
		out[i] = c
	}
	return out
}

func (c sqlCase) csvRow() string {
	decided := ""
	if c.decided != nil {
		decided = c.decided.Format(time.RFC3339)
	}
	return fmt.Sprintf("%s,%s,%v,%v,,%s,%s,%s\n", c.id, c.caseType, c.firstTime, c.complex,
		c.submitted.Format(time.RFC3339), decided, c.updated.Format(time.RFC3339))
}

// testDSN returns a database's test DSN, or skips.
func testDSN(t *testing.T, env string) string {
	dsn := os.Getenv(env)
	if dsn == "" {
		t.Skipf("set %s to run (see .ci/run: postgres://postgres@127.0.0.1:5432/test?sslmode=disable, root@tcp(127.0.0.1:3306)/test)", env)
	}
	return dsn
}

// pgTable loads cases into a fresh PostgreSQL table with Danish column names.
func pgTable(t *testing.T, cases []sqlCase) (string, *pgx.Conn) {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), testDSN(t, "SCORECARD_TEST_PG_DSN"))
	if err != nil {
		t.Fatal(err)
	}
	table := fmt.Sprintf("sag_%d", time.Now().UnixNano())
	t.Cleanup(func() {
		_, _ = conn.Exec(context.Background(), "DROP TABLE IF EXISTS "+table)
		conn.Close(context.Background())
	})
	ddl := "CREATE TABLE " + table + ` (sagsnr text PRIMARY KEY, sagstype text, foerstegang boolean,
		kompliceret boolean, modtaget timestamptz, afgjort timestamptz, opdateret timestamptz)`
	if _, err := conn.Exec(t.Context(), ddl); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		_, err := conn.Exec(t.Context(), "INSERT INTO "+table+" VALUES ($1, $2, $3, $4, $5, $6, $7)",
			c.id, c.caseType, c.firstTime, c.complex, c.submitted, c.decided, c.updated)
		if err != nil {
			t.Fatal(err)
		}
	}
	return table, conn
}

// mysqlTable loads cases into a fresh MariaDB table.
func mysqlTable(t *testing.T, cases []sqlCase) string {
	t.Helper()
	db, err := sql.Open("mysql", testDSN(t, "SCORECARD_TEST_MYSQL_DSN")+"?parseTime=true&loc=UTC&time_zone=%27%2B00%3A00%27")
	if err != nil {
		t.Fatal(err)
	}
	table := fmt.Sprintf("sag_%d", time.Now().UnixNano())
	t.Cleanup(func() {
		_, _ = db.Exec("DROP TABLE IF EXISTS " + table)
		db.Close()
	})
	ddl := "CREATE TABLE " + table + ` (sagsnr varchar(20) PRIMARY KEY, sagstype varchar(40), foerstegang tinyint(1),
		kompliceret tinyint(1), modtaget timestamp NULL, afgjort timestamp NULL, opdateret timestamp NULL)`
	if _, err := db.Exec(ddl); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		var decided any
		if c.decided != nil {
			decided = *c.decided
		}
		_, err := db.Exec("INSERT INTO "+table+" VALUES (?, ?, ?, ?, ?, ?, ?)",
			c.id, c.caseType, c.firstTime, c.complex, c.submitted, decided, c.updated)
		if err != nil {
			t.Fatal(err)
		}
	}
	return table
}

func sqlSourceConfig(kind, env, table, extra string) string {
	return fmt.Sprintf(`plans: [2024]
sources:
  - name: cases
    kind: %s
    dsn_env: %s
    table: %s
    columns: {case_id: sagsnr, case_type: sagstype, first_time: foerstegang, complex: kompliceret,
              submitted_at: modtaget, decided_at: afgjort, updated_at: opdateret}
%s`, kind, env, table, extra)
}

// TestSQLSourcesMatchCSV: the same cases read from PostgreSQL, from MariaDB and from a CSV file
// give identical scorecards and case results.
func TestSQLSourcesMatchCSV(t *testing.T) {
	cases := sqlCases(400)
	var csvBody strings.Builder
	csvBody.WriteString(caseHeader)
	for _, c := range cases {
		csvBody.WriteString(c.csvRow())
	}
	fromCSV := newFixture(t, "plans: [2024]\nsources:\n  - {name: cases, kind: csv, path: cases.csv}\n", map[string]string{"cases.csv": csvBody.String()})
	fromCSV.run("2024-12-31")
	want := scorecardContent(t, fromCSV) + resultsContent(t, fromCSV)

	pg, _ := pgTable(t, cases)
	fromPG := newFixture(t, sqlSourceConfig("postgres", "SCORECARD_TEST_PG_DSN", pg, ""), nil)
	fromPG.run("2024-12-31")
	if got := scorecardContent(t, fromPG) + resultsContent(t, fromPG); got != want {
		t.Error("PostgreSQL and CSV gave different scorecards")
	}
	my := mysqlTable(t, cases)
	fromMySQL := newFixture(t, sqlSourceConfig("mysql", "SCORECARD_TEST_MYSQL_DSN", my, ""), nil)
	fromMySQL.run("2024-12-31")
	if got := scorecardContent(t, fromMySQL) + resultsContent(t, fromMySQL); got != want {
		t.Error("MariaDB and CSV gave different scorecards")
	}
}

// TestIncrementalSQL: after 10 rows change, a nightly run reads exactly those rows (the
// watermark less the overlap excludes the others), and the scorecard reflects them.
func TestIncrementalSQL(t *testing.T) {
	cases := sqlCases(200)
	table, conn := pgTable(t, cases)
	f := newFixture(t, sqlSourceConfig("postgres", "SCORECARD_TEST_PG_DSN", table, "    incremental: {column: updated_at, overlap: 1h}\n"), nil)
	first := f.run("2024-12-31")
	if first.Sources[0].RowsRead != 200 {
		t.Fatalf("first run read %d rows, want 200", first.Sources[0].RowsRead)
	}
	// The ten most recently changed cases (so the watermark row is among them) are corrected:
	// decided the day they were submitted.
	res, err := conn.Exec(t.Context(), "UPDATE "+table+` SET afgjort = modtaget, opdateret = TIMESTAMPTZ '2025-01-15 12:00:00+00'
		WHERE sagsnr IN (SELECT sagsnr FROM `+table+` ORDER BY opdateret DESC LIMIT 10)`)
	if err != nil || res.RowsAffected() != 10 {
		t.Fatalf("update: %v, %d rows", err, res.RowsAffected())
	}
	second := f.run("2024-12-31")
	if second.Sources[0].RowsRead != 10 || second.Sources[0].RowsWritten != 10 {
		t.Errorf("incremental run read %d and merged %d rows, want 10 and 10", second.Sources[0].RowsRead, second.Sources[0].RowsWritten)
	}
	same := f.query(`SELECT count(*) AS n FROM cases WHERE decided_date = submitted_date
		AND updated_at = TIMESTAMPTZ '2025-01-15 12:00:00+00'`)
	results := f.query(`SELECT count(DISTINCT case_id) AS n FROM case_results r JOIN cases c USING (source, case_id)
		WHERE c.updated_at = TIMESTAMPTZ '2025-01-15 12:00:00+00' AND r.elapsed_days = 0`)
	if same[0]["n"] != int64(10) || results[0]["n"] == int64(0) {
		t.Errorf("the corrections are not in the lake: %v cases, %v with results", same[0]["n"], results[0]["n"])
	}
	third := f.run("2024-12-31")
	if third.Sources[0].RowsRead != 10 { // the overlap re-reads the last hour's changes, nothing older
		t.Errorf("a run with nothing new read %d rows, want the 10 inside the overlap", third.Sources[0].RowsRead)
	}
}

// TestSQLSourceErrors: a wrong column type, a missing table and a refused connection each fail
// the run with their error, and the DSN's password is in no error and no log line.
func TestSQLSourceErrors(t *testing.T) {
	table, conn := pgTable(t, sqlCases(5))
	if _, err := conn.Exec(t.Context(), "CREATE TABLE "+table+"_bad (sagsnr text, sagstype text, foerstegang boolean, kompliceret boolean, modtaget integer, afgjort timestamptz, opdateret timestamptz)"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = conn.Exec(context.Background(), "DROP TABLE IF EXISTS "+table+"_bad") })
	const secret = "hunter2-not-in-logs"
	t.Setenv("SCORECARD_REFUSED_DSN", "postgres://postgres:"+secret+"@127.0.0.1:1/test?sslmode=disable&connect_timeout=1")
	tests := []struct{ name, env, table, extra, want string }{
		{"wrong type", "SCORECARD_TEST_PG_DSN", table + "_bad", "", `"modtaget" (submitted_at) is int4`},
		{"missing table", "SCORECARD_TEST_PG_DSN", table + "_none", "", table + "_none"},
		{"refused", "SCORECARD_REFUSED_DSN", table, "    retry: 1s\n", "unavailable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			log := zerolog.New(&logs)
			f := newFixture(t, sqlSourceConfig("postgres", tt.env, tt.table, tt.extra), nil)
			f.log = &log
			_, err := f.tryRun("2024-12-31")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			if tt.name == "refused" && !errors.Is(err, sources.ErrUnavailable) {
				t.Errorf("refused connection: %v is not ErrUnavailable", err)
			}
			if strings.Contains(err.Error(), secret) || strings.Contains(logs.String(), secret) {
				t.Errorf("the password leaked:\n%v\n%s", err, logs.String())
			}
		})
	}
}

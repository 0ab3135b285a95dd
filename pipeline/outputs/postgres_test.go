package outputs

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// pgDSNEnv names the test database; without it the PostgreSQL tests skip.
const pgDSNEnv = "SCORECARD_TEST_PG_DSN"

func testDSN(t *testing.T) string {
	dsn := os.Getenv(pgDSNEnv)
	if dsn == "" {
		t.Skipf("PostgreSQL test skipped: set %s, e.g. %s=postgres://postgres@127.0.0.1:5432/test?sslmode=disable go test ./pipeline/outputs/", pgDSNEnv, pgDSNEnv)
	}
	return dsn
}

// Loading twice, the second time with changed figures and a period fewer,
// leaves exactly the second report's rows, value for value.
func TestPostgres(t *testing.T) {
	dsn := testDSN(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(ctx) }) // after the drop below: cleanups run last first
	table := fmt.Sprintf("scorecard_test_%d_%d", os.Getpid(), time.Now().UnixNano())
	t.Cleanup(func() {
		if _, err := conn.Exec(ctx, "DROP TABLE IF EXISTS public."+table+", public."+table+requirementsSuffix); err != nil {
			t.Error(err)
		}
	})
	l, err := New(Config{Kind: "postgres", Table: "public." + table, DSN: dsn, DSNEnv: pgDSNEnv})
	if err != nil {
		t.Fatal(err)
	}
	first := testReport(t)
	if err := l.Load(ctx, first); err != nil {
		t.Fatal(err)
	}
	compareTable(t, conn, table, first.Rows)

	second := changedReport(t)
	if err := l.Load(ctx, second); err != nil {
		t.Fatal(err)
	}
	compareTable(t, conn, table, second.Rows)
	checkColumnTypes(t, conn, table)
}

// changedReport is the fixture rerun: other figures, a met target with no
// decided cases any more, a new run id, and without May 2024.
func changedReport(t *testing.T) *Report {
	r := testReport(t)
	var rows []Row
	for i, row := range r.Rows {
		if row.Period == "2024-05" {
			continue
		}
		row.Decided += 7
		row.Pending++
		row.RunID, row.ComputedAt = "second-run", row.ComputedAt.Add(24*time.Hour)
		if i%5 == 0 {
			row.Decided, row.WithinTarget, row.PctWithinTarget, row.Met, row.Points = 0, 0, nil, nil, nil
			row.PctLow, row.PctHigh = nil, nil
		}
		if i%7 == 0 {
			row.Excluded, row.ExcludedPct = 0, nil
		}
		rows = append(rows, row)
	}
	r.Rows = rows
	return r
}

// compareTable reads the table back in key order and compares it with rows.
func compareTable(t *testing.T, conn *pgx.Conn, table string, rows []Row) {
	t.Helper()
	got, err := pgx.CollectRows(mustQuery(t, conn, "SELECT "+strings.Join(Columns, ", ")+
		" FROM public."+table+" ORDER BY plan, target_id, period"), scanRow)
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(rows)
	slices.SortFunc(want, func(a, b Row) int {
		return strings.Compare(a.Plan+"\x00"+a.TargetID+"\x00"+a.Period, b.Plan+"\x00"+b.TargetID+"\x00"+b.Period)
	})
	if len(got) != len(want) {
		t.Fatalf("the table has %d rows, want %d", len(got), len(want))
	}
	for i := range want {
		if g, w := rowText(got[i]), rowText(want[i]); g != w {
			t.Errorf("row %d:\n got %s\nwant %s", i, g, w)
		}
	}
}

func mustQuery(t *testing.T, conn *pgx.Conn, sql string) pgx.Rows {
	rows, err := conn.Query(context.Background(), sql)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func scanRow(rows pgx.CollectableRow) (Row, error) {
	var r Row
	err := rows.Scan(&r.Plan, &r.RequirementID, &r.TargetID, &r.Label, &r.Period, &r.PeriodStart, &r.PeriodEnd,
		&r.PeriodComplete, &r.TargetDays, &r.MinPct, &r.Decided, &r.WithinTarget, &r.PctWithinTarget,
		&r.PctLow, &r.PctHigh, &r.Met, &r.Points, &r.MaxPoints, &r.Excluded, &r.ExcludedPct, &r.Pending,
		&r.PendingBreached, &r.RunID, &r.ComputedAt)
	return r, err
}

// rowText prints every field of a row, NULL as <nil>, times in UTC.
func rowText(r Row) string {
	deref := func(v any) string {
		switch v := v.(type) {
		case *float64:
			if v != nil {
				return fmt.Sprint(*v)
			}
		case *bool:
			if v != nil {
				return fmt.Sprint(*v)
			}
		}
		return "<nil>"
	}
	return fmt.Sprintln(r.Plan, r.RequirementID, r.TargetID, r.Label, r.Period,
		r.PeriodStart.UTC().Format(DateLayout), r.PeriodEnd.UTC().Format(DateLayout), r.PeriodComplete,
		r.TargetDays, r.MinPct, r.Decided, r.WithinTarget, deref(r.PctWithinTarget), deref(r.PctLow),
		deref(r.PctHigh), deref(r.Met), deref(r.Points), r.MaxPoints, r.Excluded, deref(r.ExcludedPct),
		r.Pending, r.PendingBreached, r.RunID, r.ComputedAt.UTC().Format(time.RFC3339Nano))
}

func checkColumnTypes(t *testing.T, conn *pgx.Conn, table string) {
	rows := mustQuery(t, conn, `SELECT column_name || ' ' || data_type FROM information_schema.columns
		WHERE table_schema = 'public' AND table_name = '`+table+`' ORDER BY ordinal_position`)
	got, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"plan text", "requirement_id text", "target_id text", "label text", "period text",
		"period_start date", "period_end date", "period_complete boolean", "target_days integer",
		"min_pct numeric", "decided bigint", "within_target bigint", "pct_within_target double precision",
		"pct_low double precision", "pct_high double precision",
		"met boolean", "points double precision", "max_points double precision", "excluded bigint",
		"excluded_pct double precision",
		"pending bigint", "pending_breached bigint", "run_id text", "computed_at timestamp with time zone"}
	if !slices.Equal(got, want) {
		t.Errorf("columns:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var key string
	err = conn.QueryRow(context.Background(), `SELECT pg_get_constraintdef(oid) FROM pg_constraint
		WHERE conrelid = 'public.`+table+`'::regclass AND contype = 'p'`).Scan(&key)
	if err != nil || key != "PRIMARY KEY (plan, target_id, period)" {
		t.Errorf("primary key = %q, %v", key, err)
	}
}

// oldTableDDL is the table as versions before SPEC §8's shares made it.
const oldTableDDL = `CREATE TABLE %s (
    plan text NOT NULL, requirement_id text NOT NULL, target_id text NOT NULL, label text NOT NULL,
    period text NOT NULL, period_start date NOT NULL, period_end date NOT NULL,
    period_complete boolean NOT NULL, target_days integer NOT NULL, min_pct numeric(5, 2) NOT NULL,
    decided bigint NOT NULL, within_target bigint NOT NULL, pct_within_target double precision,
    met boolean, points double precision, max_points double precision NOT NULL,
    excluded bigint NOT NULL, pending bigint NOT NULL, pending_breached bigint NOT NULL,
    run_id text NOT NULL, computed_at timestamptz NOT NULL,
    PRIMARY KEY (plan, target_id, period))`

// A table an older version made, with its rows, gets the new columns on the
// next load, which fills them; the load after that alters nothing.
func TestPostgresUpgradesOldTable(t *testing.T) {
	dsn := testDSN(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(ctx) })
	table := fmt.Sprintf("scorecard_old_%d_%d", os.Getpid(), time.Now().UnixNano())
	t.Cleanup(func() {
		if _, err := conn.Exec(ctx, "DROP TABLE IF EXISTS public."+table+", public."+table+requirementsSuffix); err != nil {
			t.Error(err)
		}
	})
	if _, err := conn.Exec(ctx, fmt.Sprintf(oldTableDDL, "public."+table)); err != nil {
		t.Fatal(err)
	}
	_, err = conn.Exec(ctx, "INSERT INTO public."+table+` VALUES ('2024', '1', 'eu.1', 'EU', '2024',
		'2024-01-01', '2024-05-20', false, 1, 70, 3, 2, 66.7, false, 0, 20, 1, 0, 0, 'old-run', now())`)
	if err != nil {
		t.Fatal(err)
	}
	l, err := New(Config{Kind: "postgres", Table: "public." + table, DSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	first := testReport(t)
	if err := l.Load(ctx, first); err != nil {
		t.Fatal(err)
	}
	compareTable(t, conn, table, first.Rows)
	var filled int
	err = conn.QueryRow(ctx, "SELECT count(*) FROM public."+table+
		" WHERE pct_low IS NOT NULL AND pct_high IS NOT NULL AND excluded_pct IS NOT NULL").Scan(&filled)
	if err != nil || filled == 0 {
		t.Errorf("%d rows with the new columns filled, %v", filled, err)
	}
	// The next load alters nothing: it goes through while a reader holds the table, which an
	// ALTER TABLE would wait for.
	reader, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Rollback(ctx)
	if _, err := reader.Exec(ctx, "SELECT count(*) FROM public."+table); err != nil {
		t.Fatal(err)
	}
	second := changedReport(t)
	loadCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := l.Load(loadCtx, second); err != nil {
		t.Fatalf("the second load, beside a reader: %v", err)
	}
	if err := reader.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	compareTable(t, conn, table, second.Rows)
}

// A refused connection fails with the loader's name and without the DSN or
// its password.
func TestPostgresErrorHidesDSN(t *testing.T) {
	dsn := "postgres://scorecard:s3cret-pa55@127.0.0.1:1/test?sslmode=disable&connect_timeout=5"
	l, err := New(Config{Kind: "postgres", DSN: dsn, DSNEnv: "SCORECARD_PG_DSN"})
	if err != nil {
		t.Fatal(err)
	}
	err = l.Load(context.Background(), testReport(t))
	if err == nil {
		t.Fatal("Load succeeded against a closed port")
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "postgres scorecard ($SCORECARD_PG_DSN): ") {
		t.Errorf("error %q does not start with the loader's name", msg)
	}
	for _, secret := range []string{"s3cret-pa55", dsn} {
		if strings.Contains(msg, secret) {
			t.Errorf("error %q shows %q", msg, secret)
		}
	}
}

// A connection string that does not parse is not quoted back.
func TestPostgresBadDSNNotQuoted(t *testing.T) {
	dsn := "postgres://scorecard:s3cret pa55@127.0.0.1:bad/test"
	l, err := New(Config{Kind: "postgres", DSN: dsn, DSNEnv: "SCORECARD_PG_DSN"})
	if err != nil {
		t.Fatal(err)
	}
	err = l.Load(context.Background(), testReport(t))
	if err == nil || strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "$SCORECARD_PG_DSN") {
		t.Errorf("Load = %v, want an error naming the variable, not the password", err)
	}
}

// TestPostgresTablesAreTheColumns: each CREATE declares the Go column list the loader copies
// and upserts, in its order, with the upsert's key as its primary key; the SET list is the
// rest.
func TestPostgresTablesAreTheColumns(t *testing.T) {
	for _, tt := range []struct {
		file    string
		columns []string
		key     []string
	}{
		{"pg_create.sql", Columns, scorecardKey},
		{"pg_requirements_create.sql", RequirementColumns, requirementKey},
	} {
		text, err := sqlFiles.ReadFile("sql/" + tt.file)
		if err != nil {
			t.Fatal(err)
		}
		var declared []string
		var key string
		for _, line := range strings.Split(string(text), "\n") {
			line = strings.TrimSpace(line)
			if k, ok := strings.CutPrefix(line, "PRIMARY KEY ("); ok {
				key = strings.TrimSuffix(k, ")")
			} else if f := strings.Fields(line); len(f) >= 2 && !strings.HasPrefix(line, "--") && !strings.HasPrefix(line, "CREATE") {
				declared = append(declared, f[0])
			}
		}
		if !slices.Equal(declared, tt.columns) {
			t.Errorf("%s declares\n %v\nthe loader copies\n %v", tt.file, declared, tt.columns)
		}
		if want := strings.Join(tt.key, ", "); key != want {
			t.Errorf("%s primary key (%s), the upsert's (%s)", tt.file, key, want)
		}
	}
	if got := updateSet([]string{"plan", "label", "excluded"}, []string{"plan"}); got != `"label" = excluded."label", "excluded" = excluded."excluded"` {
		t.Errorf("updateSet = %s", got)
	}
}

func TestRedact(t *testing.T) {
	dsn := "postgres://u:p%40ss@h/db"
	err := redact(fmt.Errorf("cannot use %s: password p@ss refused", dsn), dsn)
	if got := err.Error(); got != "cannot use xxxxx: password xxxxx refused" {
		t.Errorf("redact = %q", got)
	}
}

// TestPostgresRequirements: the loader writes the requirements view to <table>_requirements
// beside the scorecard table: loading twice, the second time with a row fewer and changed
// points, leaves exactly the second report's rows, value for value, NULL points as NULL.
func TestPostgresRequirements(t *testing.T) {
	dsn := testDSN(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(ctx) })
	table := fmt.Sprintf("scorecard_req_%d_%d", os.Getpid(), time.Now().UnixNano())
	t.Cleanup(func() {
		if _, err := conn.Exec(ctx, "DROP TABLE IF EXISTS public."+table+", public."+table+requirementsSuffix); err != nil {
			t.Error(err)
		}
	})
	l, err := New(Config{Kind: "postgres", Table: "public." + table, DSN: dsn, DSNEnv: pgDSNEnv})
	if err != nil {
		t.Fatal(err)
	}
	first := testReport(t)
	if err := l.Load(ctx, first); err != nil {
		t.Fatal(err)
	}
	compareRequirements(t, conn, table+requirementsSuffix, first.Requirements)

	second := testReport(t)
	second.Requirements = slices.DeleteFunc(second.Requirements, func(q Requirement) bool { return q.Period == "2024-03" })
	for i := range second.Requirements {
		q := &second.Requirements[i]
		q.RunID = "second-run"
		if q.Plan == "2020" && q.RequirementID == "2.1" {
			q.Status, q.Detail, q.Points = "met", "Sum 100 af 108 mulige fra 36 scorer", ptr(5.0)
		}
	}
	if err := l.Load(ctx, second); err != nil {
		t.Fatal(err)
	}
	compareRequirements(t, conn, table+requirementsSuffix, second.Requirements)
	compareTable(t, conn, table, second.Rows)
}

// TestPostgresRequirementsOneTransaction: when the requirements table cannot take the rows,
// the load fails whole: the scorecard table keeps none of the new rows either.
func TestPostgresRequirementsOneTransaction(t *testing.T) {
	dsn := testDSN(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(ctx) })
	table := fmt.Sprintf("scorecard_tx_%d_%d", os.Getpid(), time.Now().UnixNano())
	t.Cleanup(func() {
		if _, err := conn.Exec(ctx, "DROP TABLE IF EXISTS public."+table+", public."+table+requirementsSuffix); err != nil {
			t.Error(err)
		}
	})
	// A table of that name that is not ours: COPY of the view's columns into it fails.
	if _, err := conn.Exec(ctx, "CREATE TABLE public."+table+requirementsSuffix+" (plan text PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	l, err := New(Config{Kind: "postgres", Table: "public." + table, DSN: dsn, DSNEnv: pgDSNEnv})
	if err != nil {
		t.Fatal(err)
	}
	err = l.Load(ctx, testReport(t))
	if err == nil || !strings.Contains(err.Error(), "copying requirements") {
		t.Fatalf("Load = %v, want the requirements' copy to fail", err)
	}
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT to_regclass('public."+table+"') IS NOT NULL").Scan(&exists); err != nil || exists {
		t.Errorf("the scorecard table exists (%v, %v): the failed load was not rolled back", exists, err)
	}
}

func ptr[T any](v T) *T { return &v }

// compareRequirements reads the requirements table back in key order and compares it with qs.
func compareRequirements(t *testing.T, conn *pgx.Conn, table string, qs []Requirement) {
	t.Helper()
	rows := mustQuery(t, conn, "SELECT "+strings.Join(RequirementColumns, ", ")+" FROM public."+table+
		" ORDER BY plan COLLATE \"C\", requirement_id COLLATE \"C\", period COLLATE \"C\"")
	got, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (string, error) {
		var q Requirement
		err := row.Scan(&q.Plan, &q.RequirementID, &q.Title, &q.Kind, &q.Period, &q.PeriodEnd, &q.PeriodComplete,
			&q.Measure, &q.Threshold, &q.Met, &q.Points, &q.MaxPoints, &q.Status, &q.Detail, &q.RunID)
		return requirementText(q), err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := make([]string, len(qs))
	for i, q := range qs {
		want[i] = requirementText(q)
	}
	slices.Sort(want) // plan, requirement_id and period lead each line, as the ORDER BY
	if len(got) != len(want) || len(want) == 0 {
		t.Fatalf("the table has %d rows, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d:\n got %s\nwant %s", i, got[i], want[i])
		}
	}
}

// requirementText prints every field, NULL as <nil>, separated so that it sorts by key.
func requirementText(q Requirement) string {
	vals := q.values()
	parts := make([]string, len(vals))
	for i, v := range vals {
		switch v := v.(type) {
		case nil:
			parts[i] = "<nil>"
		case date:
			parts[i] = time.Time(v).UTC().Format(DateLayout)
		default:
			parts[i] = fmt.Sprint(v)
		}
	}
	return strings.Join(parts, "\x00")
}

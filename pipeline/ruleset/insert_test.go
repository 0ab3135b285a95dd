package ruleset

import (
	"context"
	"math"
	"strings"
	"testing"

	"scorecard/pipeline/engine"
)

// TestInsertRows: every kind of value the rule tables are filled with reads back as it was
// given, through the JSON the rows travel in: texts with quotes and accents, NULLs, integers
// beyond a double's precision, floats that do not round-trip through a short decimal, floats
// that are not finite, pointers, and placeholders inside expressions.
func TestInsertRows(t *testing.T) {
	ctx := context.Background()
	e, err := engine.Open(ctx, 2, "1GB", "")
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if err := e.Exec(ctx, `CREATE TEMP TABLE t (s VARCHAR, n INTEGER, big BIGINT, f DOUBLE, b BOOLEAN,
		d DATE, l VARCHAR[], o VARCHAR)`); err != nil {
		t.Fatal(err)
	}
	yes, twoThirds := true, 2.0/3 // the rules hold optional values as pointers
	const row = "(?, ?, ?, ?, ?, ?::DATE, CASE WHEN ? THEN NULL ELSE string_split(?, ',') END, nullif(?, ''))"
	rows := [][]any{
		{`Kø "quoted" it's`, 7, int64(math.MaxInt64), 0.1, &yes, "2024-02-29", false, "a,b", "x"},
		{"", nil, int64(-1), &twoThirds, false, "1900-01-01", true, "", ""},
		{nil, 0, 0, math.Inf(1), (*bool)(nil), nil, false, "c", nil},
		{"nan", -3, 1, math.NaN(), true, "2199-12-31", false, "", "y"},
		{"neg", 1, 2, math.Inf(-1), true, "2024-01-01", false, "d", "z"},
		{"int as float", 1, 2, 3, true, "2024-01-01", false, "d", "z"}, // an int where others are floats
	}
	if err := InsertRows(ctx, e, "t", row, rows); err != nil {
		t.Fatal(err)
	}
	if rows[3][3].(float64) == rows[3][3].(float64) {
		t.Error("the caller's NaN was replaced")
	}
	// Each row as DuckDB prints it; a float by its exact bits, which no decimal rounding keeps.
	res, err := e.Conn.QueryContext(ctx, `SELECT concat_ws('|', coalesce(s, '<null>'), coalesce(n::VARCHAR, '<null>'),
		big, CASE WHEN isnan(f) THEN 'nan' ELSE f::VARCHAR END, f = ?::DOUBLE OR f = ?::DOUBLE OR f = 3 OR NOT isfinite(f),
		coalesce(b::VARCHAR, '<null>'), coalesce(d::VARCHAR, '<null>'), coalesce(l::VARCHAR, '<null>'),
		coalesce(o, '<null>')) FROM t ORDER BY rowid`, 0.1, 2.0/3)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Close()
	var got []string
	for res.Next() {
		var line string
		if err := res.Scan(&line); err != nil {
			t.Fatal(err)
		}
		got = append(got, line)
	}
	want := []string{
		`Kø "quoted" it's|7|9223372036854775807|0.1|true|true|2024-02-29|[a, b]|x`,
		`|<null>|-1|0.6666666666666666|true|false|1900-01-01|<null>|<null>`,
		`<null>|0|0|inf|true|<null>|<null>|[c]|<null>`,
		`nan|-3|1|nan|true|true|2199-12-31|['']|y`,
		`neg|1|2|-inf|true|true|2024-01-01|[d]|z`,
		`int as float|1|2|3.0|true|true|2024-01-01|[d]|z`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("read back:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestInsertRowsRejects: a row of another width, a value of a type the rows cannot carry and
// a placeholder count that does not match fail with what is wrong, before anything is inserted.
func TestInsertRowsRejects(t *testing.T) {
	ctx := context.Background()
	e, err := engine.Open(ctx, 1, "1GB", "")
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if err := e.Exec(ctx, "CREATE TEMP TABLE t (a VARCHAR, b BIGINT)"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		row  string
		rows [][]any
		want string
	}{
		{"(?, ?)", [][]any{{"a", 1}, {"b"}}, "row 1 has 1 values, row 0 2"},
		{"(?, ?)", [][]any{{"a", []string{"x"}}}, "row 0 value 1: a []string"},
		{"(?, ?)", [][]any{{"a", 1}, {"b", "2"}}, "row 1 value 1: a string where another row has a BIGINT"},
		{"(?, ?, ?)", [][]any{{"a", 1}}, "2 values for more placeholders"},
		{"(?)", [][]any{{"a", 1}}, "2 values for 1 placeholders"},
	} {
		err := InsertRows(ctx, e, "t", c.row, c.rows)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "insert into t") {
			t.Errorf("%s %v: %v, want an error saying %q", c.row, c.rows, err, c.want)
		}
	}
	var n int
	if err := e.Conn.QueryRowContext(ctx, "SELECT count(*) FROM t").Scan(&n); err != nil || n != 0 {
		t.Errorf("%d rows inserted (%v), want none", n, err)
	}
}

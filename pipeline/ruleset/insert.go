package ruleset

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strings"

	"scorecard/pipeline/engine"
)

// InsertRows inserts rows into a table with one statement, each row's values standing for the
// placeholders of row, a VALUES tuple such as "(?, ?::DATE, upper(?))". The rows travel
// as one JSON parameter, each value read back with the SQL type of its Go type (text, BIGINT,
// DOUBLE or BOOLEAN): binding one parameter per value cost DuckDB 40 ms for the two hundred
// rows of requirement_specs, a twentieth of a nightly run, against 5 ms so.
func InsertRows(ctx context.Context, e *engine.Engine, table, row string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	types, err := valueTypes(rows)
	if err != nil {
		return fmt.Errorf("insert into %s: %w", table, err)
	}
	tuple, err := jsonTuple(row, types)
	if err != nil {
		return fmt.Errorf("insert into %s: %w", table, err)
	}
	doc, err := json.Marshal(jsonRows(rows))
	if err != nil {
		return fmt.Errorf("insert into %s: %w", table, err)
	}
	return e.Exec(ctx, "INSERT INTO "+table+" SELECT "+tuple+" FROM (SELECT unnest(CAST(? AS JSON[])) AS r)", string(doc))
}

// valueTypes gives the SQL type of each place of the rows, from the Go types of its values:
// every row has as many, and a place holds one kind of value or nil (ints and floats together
// are DOUBLE; a place of nils only is VARCHAR, NULL cast to the column's type).
func valueTypes(rows [][]any) ([]string, error) {
	types := make([]string, len(rows[0]))
	for i, r := range rows {
		if len(r) != len(types) {
			return nil, fmt.Errorf("row %d has %d values, row 0 %d", i, len(r), len(types))
		}
		for k, v := range r {
			var t string
			switch v := plainValue(v); v.(type) {
			case nil:
				continue
			case string:
				t = "VARCHAR"
			case bool:
				t = "BOOLEAN"
			case int, int8, int16, int32, int64, uint8, uint16, uint32:
				t = "BIGINT"
			case float32, float64:
				t = "DOUBLE"
			default:
				return nil, fmt.Errorf("row %d value %d: a %T", i, k, v)
			}
			switch {
			case types[k] == "" || types[k] == t:
				types[k] = t
			case (types[k] == "BIGINT" && t == "DOUBLE") || (types[k] == "DOUBLE" && t == "BIGINT"):
				types[k] = "DOUBLE"
			default:
				return nil, fmt.Errorf("row %d value %d: a %T where another row has a %s", i, k, v, types[k])
			}
		}
	}
	for k := range types {
		if types[k] == "" {
			types[k] = "VARCHAR"
		}
	}
	return types, nil
}

// jsonTuple is row with its k-th placeholder read from the k-th value of the JSON array r.
func jsonTuple(row string, types []string) (string, error) {
	tuple := strings.TrimSpace(row)
	tuple = strings.TrimSuffix(strings.TrimPrefix(tuple, "("), ")")
	var b strings.Builder
	k := 0
	for _, c := range tuple {
		if c != '?' {
			b.WriteRune(c)
			continue
		}
		if k == len(types) {
			return "", fmt.Errorf("%d values for more placeholders in %s", len(types), row)
		}
		fmt.Fprintf(&b, "CAST(r->>%d AS %s)", k, types[k])
		k++
	}
	if k != len(types) {
		return "", fmt.Errorf("%d values for %d placeholders in %s", len(types), k, row)
	}
	return b.String(), nil
}

// jsonRows are the rows as JSON holds them: a pointer as what it points to (nil as NULL), and
// a float that is not finite as the text DuckDB casts back to it (JSON has no NaN or
// infinity). The caller's rows are left as they were.
func jsonRows(rows [][]any) [][]any {
	out := make([][]any, len(rows))
	for i, r := range rows {
		out[i] = make([]any, len(r))
		for k, v := range r {
			v = plainValue(v)
			if f, ok := v.(float64); ok {
				switch {
				case math.IsNaN(f):
					v = "nan"
				case math.IsInf(f, 1):
					v = "inf"
				case math.IsInf(f, -1):
					v = "-inf"
				}
			}
			out[i][k] = v
		}
	}
	return out
}

// plainValue is what a pointer points to (nil for a nil one), else v: the rules hold optional
// values as pointers.
func plainValue(v any) any {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil
		}
		rv = rv.Elem()
	}
	if !rv.IsValid() {
		return nil
	}
	return rv.Interface()
}

package outputs

import (
	"bytes"
	"encoding/json"
	"io"
	"time"
)

// writeJSON writes one document: {"scorecard": [...], "requirements": [...]}, the scorecard
// rows (keys in Columns order) and the requirements view's rows (keys in RequirementColumns
// order), one object a line. encoding/json would sort a map's keys, so each object is built
// by hand.
func writeJSON(w io.Writer, r *Report) error {
	if _, err := io.WriteString(w, "{\n"); err != nil {
		return err
	}
	rows := make([][]any, len(r.Rows))
	for i, row := range r.Rows {
		rows[i] = row.values()
	}
	if err := jsonArray(w, "scorecard", Columns, rows); err != nil {
		return err
	}
	if _, err := io.WriteString(w, ",\n"); err != nil {
		return err
	}
	reqs := make([][]any, len(r.Requirements))
	for i, q := range r.Requirements {
		reqs[i] = q.values()
	}
	if err := jsonArray(w, "requirements", RequirementColumns, reqs); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n}\n")
	return err
}

// jsonArray writes `"name": [` and an object per row, each row's values under keys.
func jsonArray(w io.Writer, name string, keys []string, rows [][]any) error {
	var buf bytes.Buffer
	key, _ := json.Marshal(name)
	buf.Write(key)
	buf.WriteString(": [")
	for i, values := range rows {
		if i > 0 {
			buf.WriteString(",")
		}
		buf.WriteString("\n  ")
		if err := jsonObject(&buf, keys, values); err != nil {
			return err
		}
		if _, err := w.Write(buf.Bytes()); err != nil {
			return err
		}
		buf.Reset()
	}
	buf.WriteString("\n]")
	_, err := w.Write(buf.Bytes())
	return err
}

func jsonObject(buf *bytes.Buffer, keys []string, values []any) error {
	buf.WriteString("{")
	for i, v := range values {
		if i > 0 {
			buf.WriteString(", ")
		}
		key, _ := json.Marshal(keys[i])
		buf.Write(key)
		buf.WriteString(": ")
		val, err := json.Marshal(jsonValue(v))
		if err != nil {
			return err
		}
		buf.Write(val)
	}
	buf.WriteString("}")
	return nil
}

// jsonValue turns dates and instants into their strings; other values
// marshal as they are (nil as null, float64 in its shortest form).
func jsonValue(v any) any {
	switch v := v.(type) {
	case date:
		return time.Time(v).Format(DateLayout)
	case time.Time:
		return formatInstant(v)
	}
	return v
}

package outputs

import (
	"bytes"
	"encoding/json"
	"io"
	"time"
)

// writeJSON writes an array of objects, one a line, with the keys in Columns
// order; encoding/json would sort a map's keys, so each object is built by
// hand.
func writeJSON(w io.Writer, r *Report) error {
	var buf bytes.Buffer
	buf.WriteString("[")
	for i, row := range r.Rows {
		if i > 0 {
			buf.WriteString(",")
		}
		buf.WriteString("\n  ")
		if err := jsonObject(&buf, row); err != nil {
			return err
		}
		if _, err := w.Write(buf.Bytes()); err != nil {
			return err
		}
		buf.Reset()
	}
	buf.WriteString("\n]\n")
	_, err := w.Write(buf.Bytes())
	return err
}

func jsonObject(buf *bytes.Buffer, row Row) error {
	buf.WriteString("{")
	for i, v := range row.values() {
		if i > 0 {
			buf.WriteString(", ")
		}
		key, _ := json.Marshal(Columns[i])
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

package outputs

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"
)

// writeCSV writes the scorecard rows under a header of Columns; NULL is an
// empty field.
func writeCSV(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(Columns); err != nil {
		return err
	}
	record := make([]string, len(Columns))
	for _, row := range r.Rows {
		for i, v := range row.values() {
			record[i] = csvField(v)
		}
		if err := cw.Write(record); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvField(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case date:
		return time.Time(v).Format(DateLayout)
	case time.Time:
		return formatInstant(v)
	case bool:
		return strconv.FormatBool(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return formatFloat(v)
	}
	panic(fmt.Sprintf("outputs: no CSV form for %T", v))
}

package outputs

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// writeCSV writes the scorecard rows under a header of Columns; NULL is an
// empty field, and text that a spreadsheet would run as a formula is
// neutralised (neutralizeCell).
func writeCSV(w io.Writer, r *Report) error {
	return writeCSVRows(w, Columns, r.Rows, Row.values)
}

// writeCSVRows writes rows under a header of columns, each row as its values (in columns
// order) through csvField.
func writeCSVRows[T any](w io.Writer, columns []string, rows []T, values func(T) []any) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(columns); err != nil {
		return err
	}
	record := make([]string, len(columns))
	for _, row := range rows {
		for i, v := range values(row) {
			record[i] = csvField(v)
		}
		if err := cw.Write(record); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvField writes one value; only strings are text a spreadsheet could take
// for a formula.
func csvField(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return neutralizeCell(v)
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

// formulaStarts are the first characters that make a spreadsheet read a
// cell as a formula: OWASP's list for CSV injection, tab and carriage
// return included because a spreadsheet may skip them and read the formula
// behind.
const formulaStarts = "=+-@\t\r"

// neutralizeCell keeps a spreadsheet that opens the CSV from running a text
// cell as a formula (=HYPERLINK, =WEBSERVICE, DDE): a cell that begins with
// one of formulaStarts gets a single quote in front, as OWASP advises, so it
// is shown as text. Every text cell of a CSV this package writes goes
// through it; numbers, dates and booleans do not, so a negative number stays
// a number. A program that reads the file back sees the quote.
func neutralizeCell(s string) string {
	if s != "" && strings.IndexByte(formulaStarts, s[0]) >= 0 {
		return "'" + s
	}
	return s
}

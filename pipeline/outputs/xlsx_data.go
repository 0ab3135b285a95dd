package outputs

import (
	"time"

	"github.com/xuri/excelize/v2"
)

// dataSheet names the workbook's sheet of every scorecard row with every column.
const dataSheet = "Data"

// writeDataSheet writes the scorecard rows under a header of Columns, the
// values as the CSV has them (shares in percent, 0–100, at full precision,
// the interval and the excluded share included) so that a reader can filter
// and compute with them; dates are dates, NULL an empty cell.
func writeDataSheet(s *sheetWriter, r *Report) error {
	s.row = 1
	for i, c := range Columns {
		s.cell(i+1, c, s.st.header)
	}
	for _, row := range r.Rows {
		s.row++
		for i, v := range row.values() {
			value, style := dataCell(s.st, v)
			s.cell(i+1, value, style)
		}
	}
	s.width(1, len(Columns), 13)
	s.freeze(0, 1)
	if s.err == nil && len(r.Rows) > 0 {
		last, _ := excelize.CoordinatesToCellName(len(Columns), s.row)
		s.err = s.f.AutoFilter(s.name, "A1:"+last, nil)
	}
	return s.err
}

// dataCell is a value of Row.values as a cell: a date with the date format, an
// instant as its RFC 3339 text (a spreadsheet has no time zones), the rest as
// they are.
func dataCell(st *xlsxStyles, v any) (any, int) {
	switch v := v.(type) {
	case date:
		return time.Time(v), st.date
	case time.Time:
		return formatInstant(v), 0
	}
	return v, 0
}

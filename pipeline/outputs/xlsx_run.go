package outputs

import (
	"time"
)

// Names of the workbook's fixed sheets.
const (
	quarantineSheet = "Karantæne"
	runSheet        = "Kørsel"
)

// writeQuarantineSheet lists the quarantined rows per source and reason,
// with the reason explained, and their total.
func writeQuarantineSheet(s *sheetWriter, r *Report) error {
	s.row = 1
	for col, h := range []string{"Kilde", "Årsag", "Forklaring", "Rækker"} {
		s.cell(col+1, h, s.st.header)
	}
	var total int64
	for _, q := range r.Quarantine {
		s.row++
		s.cell(1, q.Source, 0)
		s.cell(2, q.Reason, 0)
		s.cell(3, reasonLabels[q.Reason], 0)
		s.cell(4, q.Rows, s.st.number)
		total += q.Rows
	}
	s.row++
	s.cell(1, "I alt", s.st.total)
	s.fillRow(2, 3, s.st.total)
	s.cell(4, total, s.st.totalNumber)
	s.widths(20, 26, 32, 10)
	s.freeze(0, 1)
	return s.err
}

// writeRunSheet writes the run's lineage: what ran, when, with which plan
// files and what each source gave it.
func writeRunSheet(s *sheetWriter, r *Report) error {
	loc := runLocation(r.Run.Timezone)
	s.row = 0
	for _, kv := range [][2]string{
		{"Kørsel", r.RunID},
		{"Opgjort pr.", r.AsOf.Format(DateLayout)},
		{"Beregnet", formatInstant(r.ComputedAt)},
		{"Kommando", r.Run.Command},
		{"Version", r.Run.Version},
		{"Tidszone", r.Run.Timezone},
		{"Startet", localTime(r.Run.StartedAt, loc)},
		{"Sluttet", localTime(r.Run.EndedAt, loc)},
	} {
		s.row++
		s.cell(1, kv[0], s.st.area)
		s.cell(2, kv[1], 0)
	}
	s.row++
	writePlanFiles(s, r.Run.Plans)
	s.row++
	writeSourceCounts(s, r.Run.Sources)
	s.widths(22, 44, 16, 16, 16, 16) // a SHA-256 runs on into the empty cells to its right
	return s.err
}

func writePlanFiles(s *sheetWriter, plans []PlanFile) {
	s.row++
	for col, h := range []string{"Plan", "Planfil", "SHA-256"} {
		s.cell(col+1, h, s.st.header)
	}
	for _, p := range plans {
		s.row++
		s.cell(1, p.Plan, 0)
		s.cell(2, p.Source, 0)
		s.cell(3, p.SHA256, 0)
	}
}

func writeSourceCounts(s *sheetWriter, sources []SourceCount) {
	s.row++
	for col, h := range []string{"Kilde", "Type", "Filer indlæst", "Rækker læst", "I karantæne", "Rækker skrevet"} {
		s.cell(col+1, h, s.st.header)
	}
	for _, src := range sources {
		s.row++
		s.cell(1, src.Source, 0)
		s.cell(2, src.Kind, 0)
		for i, n := range []int64{src.FilesLanded, src.RowsRead, src.RowsQuarantined, src.RowsWritten} {
			s.cell(3+i, n, s.st.number)
		}
	}
}

// runLocation is the run's time zone, or UTC when it cannot be loaded here.
func runLocation(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil && name != "" {
		return loc
	}
	return time.UTC
}

// localTime writes an instant in the run's zone with its offset, so it is
// unambiguous; the zero time (not recorded) is empty.
func localTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format("2006-01-02 15:04:05 -07:00")
}

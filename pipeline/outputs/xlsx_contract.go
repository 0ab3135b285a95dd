package outputs

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// The contract sheet's columns, in the contract's own order.
const (
	colContractTitle = iota + 1
	colContractID
	colContractWeight
	colContractStatus
	colContractPoints
	colContractDetail
	contractHeaderRows = 3 // title, subtitle, column names
)

// contractSheetNames names each plan's contract sheet, "Kontrakt 2024", in the plans' order,
// none of them like another sheet's name (taken: the fixed, plan and forecast sheets').
func contractSheetNames(plans []contractLayout, taken []string) []string {
	taken = append([]string{"History", quarantineSheet, runSheet, dataSheet}, taken...)
	names := make([]string, len(plans))
	for i, cl := range plans {
		names[i] = uniqueSheetName("Kontrakt "+cl.Plan.ID, taken)
		taken = append(taken, names[i])
	}
	return names
}

// writeContractSheets adds a contract sheet per plan, named by names.
func writeContractSheets(f *excelize.File, st *xlsxStyles, names []string, r *Report, contracts []contractLayout, first *bool) error {
	for i := range contracts {
		if err := addSheet(f, names[i], first); err != nil {
			return err
		}
		if err := writeContractSheet(&sheetWriter{f: f, name: names[i], st: st}, r, &contracts[i]); err != nil {
			return err
		}
	}
	return nil
}

// writeContractSheet lays out a plan's whole contract as the contract does: its sections
// ("3.1 Faglige mål", "3.2 Koncernfælles mål"), each requirement's title, id, weight, the
// year's status in Danish, its points (empty when not known, never 0) and the sentence that
// explains them, and the total of the points awarded against the weights' sum.
func writeContractSheet(s *sheetWriter, r *Report, cl *contractLayout) error {
	s.row = 1
	s.cell(1, fmt.Sprintf("Resultatkontrakt %s — %s", cl.Year, cl.Plan.Title), s.st.title)
	s.row = 2
	s.cell(1, fmt.Sprintf("Opgjort pr. %s (%s) · kørsel %s · beregnet %s",
		danishDate(r.AsOf), r.AsOf.Format(DateLayout), r.RunID, formatInstant(r.ComputedAt)), s.st.subtitle)
	s.row = 3
	for col, h := range []string{"Område", "Resultatkrav", "Vægt", "Status", "Point", "Bemærkning"} {
		s.cell(col+1, h, s.st.header)
	}
	for _, sec := range cl.Sections {
		s.row++
		s.cell(colContractTitle, sec.Title, s.st.requirement)
		s.fillRow(colContractID, colContractDetail, s.st.requirement)
		for _, c := range sec.Reqs {
			s.row++
			writeContractRow(s, c)
		}
	}
	s.row++
	earned, weights := cl.totals()
	s.cell(colContractTitle, "Point i alt", s.st.total)
	s.cell(colContractWeight, weights, s.st.totalNumber)
	s.cell(colContractPoints, earned, s.st.totalNumber)
	s.cell(colContractDetail, fmt.Sprintf("%s af %s point tildelt for %s", danishDecimal(earned, 2), danishDecimal(weights, 2), cl.Year), s.st.total)
	s.fillRow(colContractID, colContractDetail, s.st.total)
	s.row += 2
	s.cell(1, "Point står tomt, hvor de endnu ikke kendes (mangler data, ingen pointskala, afventer); de tæller ikke med i summen.", s.st.subtitle)
	s.widths(46, 13, 8, 16, 8, 70)
	s.freeze(0, contractHeaderRows)
	s.landscape()
	return s.err
}

func writeContractRow(s *sheetWriter, c contractReq) {
	s.cell(colContractTitle, c.title(), s.st.text)
	s.cell(colContractID, c.Req.ID, s.st.text)
	s.cell(colContractWeight, c.weight(), s.st.number)
	status, style := "", s.st.text
	if c.status() != "" {
		status = statusWord(c.status())
	}
	switch c.status() {
	case "met":
		style = s.st.met
	case "not_met":
		style = s.st.missed
	case "overdue":
		style = s.st.uncertain
	}
	s.cell(colContractStatus, status, style)
	if p := c.points(); p != nil {
		s.cell(colContractPoints, *p, s.st.number)
	}
	s.cell(colContractDetail, c.detail(), s.st.text)
}

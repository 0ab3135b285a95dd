package outputs

import (
	"encoding/csv"
	"io"
)

// writeRequirementsCSV writes the requirements view, every plan, requirement and period, in
// the report's order (the contract's) under RequirementColumns. Text cells are neutralised as
// in the scorecard's CSV: titles, details and notes come from plan files and the register.
func writeRequirementsCSV(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(RequirementColumns); err != nil {
		return err
	}
	record := make([]string, len(RequirementColumns))
	for _, q := range r.Requirements {
		for i, v := range q.values() {
			record[i] = csvField(v)
		}
		if err := cw.Write(record); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

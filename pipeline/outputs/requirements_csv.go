package outputs

import (
	"io"
)

// writeRequirementsCSV writes the requirements view, every plan, requirement and period, in
// the report's order (the contract's) under RequirementColumns. Text cells are neutralised as
// in the scorecard's CSV: titles, details and notes come from plan files and the register.
func writeRequirementsCSV(w io.Writer, r *Report) error {
	return writeCSVRows(w, RequirementColumns, r.Requirements, Requirement.values)
}

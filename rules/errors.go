package rules

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalid is wrapped by every error about a malformed plan or catalogue,
// and by LoadPlan when a plan reference names neither a built-in plan nor a
// readable file. The CLI maps it to exit code 2.
var ErrInvalid = errors.New("invalid plan")

// ErrNotRegular is wrapped by ReadFile's error for a path that is a folder, device or pipe.
var ErrNotRegular = errors.New("not a regular file")

// Problem is one thing wrong in a plan or catalogue file, with its position.
type Problem struct {
	File        string
	Line, Col   int    // 1-based; 0 when the position is unknown
	Requirement string // id of the requirement the problem is in, when not in a target
	Target      string // id of the target the problem is in
	Field       string // the offending field, e.g. "min_pct" or "select.case_types[1]"
	Message     string
}

// String formats the problem as
// `FILE:LINE:COL: target "ID": field "min_pct": message`.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", p.Line, p.Col)
	}
	b.WriteString(": ")
	switch {
	case p.Target != "":
		fmt.Fprintf(&b, "target %q: ", p.Target)
	case p.Requirement != "":
		fmt.Fprintf(&b, "requirement %q: ", p.Requirement)
	}
	if p.Field != "" {
		fmt.Fprintf(&b, "field %q: ", p.Field)
	}
	b.WriteString(p.Message)
	return b.String()
}

// ValidationError lists every problem found in a file, in file order.
// errors.Is(err, ErrInvalid) holds for it.
type ValidationError struct {
	Problems []Problem
}

// Error returns one line per problem.
func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Unwrap makes errors.Is(err, ErrInvalid) true.
func (e *ValidationError) Unwrap() error { return ErrInvalid }

// errUnreadablePlan reports a plan reference that is neither built in nor readable.
func errUnreadablePlan(ref string, err error) error {
	return fmt.Errorf("%w: %q is not a built-in plan (%s) and cannot be read: %w",
		ErrInvalid, ref, strings.Join(BuiltinPlanIDs(), ", "), err)
}

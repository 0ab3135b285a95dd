package pipeline

import "errors"

// ErrNoLake is returned when a lake has no published run to query.
var ErrNoLake = errors.New("no published run in the lake")

// ErrReadOnly is returned when a query would change something.
var ErrReadOnly = errors.New("query is read-only")

// RunError is the error of a run that started: it names the run, so the last log line of a
// failed run carries its run_id like every other.
type RunError struct {
	RunID string
	Err   error
}

func (e *RunError) Error() string { return "run " + e.RunID + ": " + e.Err.Error() }
func (e *RunError) Unwrap() error { return e.Err }

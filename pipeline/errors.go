package pipeline

import "errors"

// ErrConfig marks a bad config file or plan: the CLI exits 2 on it.
var ErrConfig = errors.New("bad config")

// ErrNoLake is returned when a lake has no published run to query.
var ErrNoLake = errors.New("no published run in the lake")

// ErrReadOnly is returned when a query would change something.
var ErrReadOnly = errors.New("query is read-only")

// ErrTooManyBadRows fails a run whose sources quarantined more than max_quarantine_pct.
var ErrTooManyBadRows = errors.New("too many quarantined rows")

// RunError is the error of a run that started: it names the run, so the last log line of a
// failed run carries its run_id like every other.
type RunError struct {
	RunID string
	Err   error
}

func (e *RunError) Error() string { return "run " + e.RunID + ": " + e.Err.Error() }
func (e *RunError) Unwrap() error { return e.Err }

// ErrShrink fails a run that would remove more than max_shrink_pct of a source's published
// cases, unless it runs with --allow-shrink.
var ErrShrink = errors.New("too many cases would leave the lake")

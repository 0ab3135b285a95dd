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

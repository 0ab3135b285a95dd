package outputs

import "errors"

// ErrUnknownKind is returned by New for a kind that is not one of Kinds().
var ErrUnknownKind = errors.New("unknown output kind")

// ErrConfig marks an output entry that cannot work as written.
var ErrConfig = errors.New("bad output config")

// loadError names the loader that failed, so a run's log says which output
// broke; the message never contains a DSN.
type loadError struct {
	name string
	err  error
}

func (e *loadError) Error() string { return e.name + ": " + e.err.Error() }
func (e *loadError) Unwrap() error { return e.err }

package sources

import (
	"errors"
	"fmt"
)

// Named errors of the sources package. Errors returned by this package and
// by the source kinds wrap one of them, so callers can test with errors.Is.
var (
	// ErrUnknownKind is returned for a source kind no factory is registered for.
	ErrUnknownKind = errors.New("unknown source kind")
	// ErrMissingColumn is returned when a required column, or a column named
	// by a `columns:` mapping, is absent from the source.
	ErrMissingColumn = errors.New("missing column")
	// ErrUnknownColumn is returned when a `columns:` key is not a column of the source's dataset.
	ErrUnknownColumn = errors.New("unknown canonical column")
	// ErrDuplicateColumn is returned when a column the extractor needs
	// appears more than once in the source's header.
	ErrDuplicateColumn = errors.New("duplicate column")
	// ErrNoFiles is returned when a file source's path matches no file.
	ErrNoFiles = errors.New("no files match")
	// ErrNoHeader is returned for a file without a header line.
	ErrNoHeader = errors.New("no header line")
	// ErrInvalidConfig is returned for a source configuration that cannot work.
	ErrInvalidConfig = errors.New("invalid source config")
	// ErrNotOpen is returned by Next before Open or after Close.
	ErrNotOpen = errors.New("source not open")
	// ErrUnknownDataset is returned by DatasetNamed for a name no dataset has.
	ErrUnknownDataset = errors.New("unknown dataset")
	// ErrInvalidDataset is returned for a Dataset whose declaration cannot work.
	ErrInvalidDataset = errors.New("invalid dataset")
)

// detailError carries a full message of its own while still matching a
// sentinel, so texts read `missing required column "x"` rather than
// repeating the sentinel's words.
type detailError struct {
	sentinel error
	msg      string
}

func (e *detailError) Error() string { return e.msg }
func (e *detailError) Unwrap() error { return e.sentinel }

// errorf formats a message that wraps sentinel without showing its text.
func errorf(sentinel error, format string, args ...any) error {
	return &detailError{sentinel: sentinel, msg: fmt.Sprintf(format, args...)}
}

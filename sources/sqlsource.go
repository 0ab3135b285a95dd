package sources

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
)

// What the SQL source kinds (postgres, mysql) share: the type rules of the
// dataset's columns, the retry policy, secret redaction, and SQLSource, the
// Source that drives a database-specific SQLDriver.

var (
	// ErrUnavailable is returned by a SQL source when its server could not be
	// reached within the retry budget, or the connection was lost mid-read.
	ErrUnavailable = errors.New("database unavailable")
	// ErrColumnType is returned when a column's database type cannot hold
	// the dataset's column it is read as.
	ErrColumnType = errors.New("unsupported column type")
)

// DefaultRetry is how long a SQL source keeps retrying a refused or dropped
// connection before it fails with ErrUnavailable.
const DefaultRetry = 30 * time.Second

const (
	retryFirst  = 200 * time.Millisecond // the first pause between attempts; it doubles
	retryMax    = 5 * time.Second        // the longest pause, and the shortest attempt timeout
	maxRestarts = 3                      // re-runs of a query dropped before its first batch
)

// SQLDriver is the database-specific half of a SQLSource: one connection,
// the statements of one table or query, and how to read its errors. Its
// errors name what failed (`table "x": ...`); SQLSource adds the source.
type SQLDriver interface {
	Connect(ctx context.Context) error                 // opens the connection, closing any earlier one
	Describe(ctx context.Context) ([]SQLColumn, error) // the result's columns, no rows read
	// Query starts reading the columns at positions cols of the result;
	// cancelling ctx aborts the read, so ctx must outlive the rows.
	Query(ctx context.Context, cols []int) (SQLRows, error)
	Transient(err error) bool      // err is a connection fault worth a retry
	KindNames() map[SQLKind]string // the database's names of the kinds, for messages
	Close()                        // closes the connection; safe at any time
}

// SQLRows yields a result's rows as the strings curation parses.
type SQLRows interface {
	// Next returns the next row's values, one per requested column (nil
	// for NULL), valid until the next call; io.EOF after the last row.
	Next() ([][]byte, error)
	Close() // after a cancel it must not wait for the rest of the result
}

// SQLSource is a Source over a SQLDriver. It retries connection faults
// with exponential backoff until its retry budget is spent, and re-runs
// the query after a drop only while no batch has been returned, so no row
// is ever returned twice.
type SQLSource struct {
	cfg       Config
	d         SQLDriver
	where     string // "source NAME (dsn from $ENV)", the prefix of every error
	budget    time.Duration
	secrets   []string // texts removed from every error
	positions []int    // result positions of the columns read
	index     []int    // per column of the dataset: its place in positions, or -1
	build     *RawBuilder
	rows      SQLRows
	mu        sync.Mutex         // guards cancel and killed, which the caller's context reaches
	cancel    context.CancelFunc // aborts the running query
	killed    bool               // the caller's context ended: abort every query
	connected bool
	done      bool  // the result has been read to its end
	row       int64 // rows read so far
	emitted   bool  // a batch has been returned
	restarts  int
	err       error // sticky: io.EOF after the last batch, or the first failure
}

// NewSQLDriver builds a kind's SQLDriver for a checked cfg. It returns the
// DSN's password, to keep out of errors; its error is the DSN's parse error.
type NewSQLDriver func(cfg Config) (d SQLDriver, password string, err error)

// NewSQL checks cfg and returns a Source of kind reading it through the
// driver newDriver builds, retrying for DefaultRetry. It does not connect.
func NewSQL(cfg Config, kind string, newDriver NewSQLDriver) (Source, error) {
	retry := DefaultRetry
	if cfg.Retry > 0 {
		retry = cfg.Retry
	}
	s, err := NewSQLSource(cfg, kind, retry, newDriver)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// NewSQLSource is NewSQL with another retry budget, returning the concrete type.
func NewSQLSource(cfg Config, kind string, retry time.Duration, newDriver NewSQLDriver) (*SQLSource, error) {
	if cfg.Kind == "" {
		cfg.Kind = kind
	}
	cfg.Dataset = cfg.DatasetOrCases()
	if err := ValidateSQL(cfg); err != nil {
		return nil, err
	}
	d, password, err := newDriver(cfg)
	if err != nil {
		return nil, fmt.Errorf("%w: dsn%s: %s", ErrInvalidConfig, envHint(cfg), Redact(err.Error(), Secrets(cfg.DSN, "")))
	}
	// The pipeline names the source; this names the database and where its DSN comes from.
	where := cfg.Kind
	if cfg.DSNEnv != "" {
		where += " (dsn from $" + cfg.DSNEnv + ")"
	}
	return &SQLSource{cfg: cfg, d: d, where: where, budget: retry, secrets: Secrets(cfg.DSN, password)}, nil
}

// Open connects, describes the result and checks its columns and types.
func (s *SQLSource) Open(ctx context.Context) error {
	if s.build != nil {
		return fmt.Errorf("%s: opened twice", s.where)
	}
	var cols []SQLColumn
	err := s.retry(ctx, func(actx context.Context) (err error) {
		if err = s.connect(actx); err == nil {
			cols, err = s.d.Describe(ctx)
		}
		return err
	})
	if err == nil {
		err = s.plan(cols)
	}
	if err != nil {
		s.disconnect()
		return err
	}
	s.build = NewRawBuilder(s.cfg.Dataset, s.cfg.Mem())
	return nil
}

// plan resolves the dataset's columns among cols and picks those to read.
func (s *SQLSource) plan(cols []SQLColumn) error {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	where := s.where + ": " + sqlTarget(s.cfg)
	index, err := s.cfg.Dataset.ResolveColumns(where, names, s.cfg.Columns)
	if err == nil {
		err = checkSQLTypes(s.cfg.Dataset, where, cols, index, s.d.KindNames())
	}
	seen := map[int]int{} // result position -> place in positions
	s.positions, s.index = nil, make([]int, len(index))
	for i, pos := range index {
		if _, ok := seen[pos]; !ok && pos >= 0 {
			seen[pos] = len(s.positions)
			s.positions = append(s.positions, pos)
		}
		s.index[i] = -1
		if pos >= 0 {
			s.index[i] = seen[pos]
		}
	}
	return err
}

func (s *SQLSource) connect(ctx context.Context) error {
	if s.connected {
		return nil
	}
	err := s.d.Connect(ctx)
	s.connected = err == nil
	return err
}

func (s *SQLSource) disconnect() {
	if s.rows != nil {
		s.abort() // so that closing does not read the rest of the result
		s.rows.Close()
		s.rows = nil
	}
	s.d.Close()
	s.connected = false
}

// retry runs op until it succeeds, fails for good or the budget is spent,
// pausing 200ms, 400ms, ... up to 5s between attempts. op connects with the
// context it is given, which ends with the budget (but gives an attempt at
// least 5s), so that a connection attempt to a silent host ends too;
// statements use the caller's, as a slow query is not a fault.
func (s *SQLSource) retry(ctx context.Context, op func(context.Context) error) error {
	start := time.Now()
	deadline, pause := start.Add(s.budget), retryFirst
	for attempt := 1; ; attempt++ {
		actx, cancel := context.WithTimeout(ctx, max(time.Until(deadline), retryMax))
		err := op(actx)
		cancel()
		switch {
		case err == nil:
			return nil
		case ctx.Err() != nil:
			return ctx.Err()
		case !s.d.Transient(err):
			return s.wrap(err, nil, "")
		}
		s.disconnect()
		left := time.Until(deadline)
		if left <= 0 {
			return s.wrap(err, ErrUnavailable, "unavailable after trying for %s (%d attempts)",
				time.Since(start).Round(100*time.Millisecond), attempt)
		}
		if err := sleep(ctx, min(pause, left)); err != nil {
			return err
		}
		pause = min(2*pause, retryMax)
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// wrap builds an error's text: the source, what happened (format, when not
// empty), then err's own text, with every secret removed. The result
// matches err and, when not nil, sentinel.
func (s *SQLSource) wrap(err, sentinel error, format string, args ...any) error {
	msg, errs := s.where+": ", []error{err}
	if sentinel != nil {
		errs = append(errs, sentinel)
	}
	if format != "" {
		msg += fmt.Sprintf(format, args...) + ": "
	}
	text := strings.NewReplacer("\r\n", " ", "\n", " ", "\t", " ").Replace(err.Error()) // one line
	return &sqlError{msg: Redact(msg+text, s.secrets), errs: errs}
}

// Next returns the next batch, or io.EOF after the last.
func (s *SQLSource) Next(ctx context.Context) (arrow.RecordBatch, error) {
	switch {
	case s.build == nil:
		return nil, ErrNotOpen
	case s.err != nil:
		return nil, s.err
	case ctx.Err() != nil:
		return nil, ctx.Err()
	}
	stop := context.AfterFunc(ctx, s.kill) // a read blocked in the driver ends with ctx
	err := s.fill(ctx)
	if !stop() && err == nil {
		s.err = ctx.Err() // the query was aborted: this batch is whole, the next fails
	}
	if err != nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	if err == nil && s.build.Len() == 0 {
		err = io.EOF
	}
	if err != nil {
		s.err = err
		s.disconnect()
		return nil, err
	}
	s.emitted = true
	return s.build.NewRecordBatch(), nil
}

// fill appends rows until the batch is full or the result ends.
func (s *SQLSource) fill(ctx context.Context) error {
	for !s.done && s.build.Len() < s.cfg.BatchRows() {
		if s.rows == nil {
			if err := s.start(ctx); err != nil {
				return err
			}
		}
		vals, err := s.rows.Next()
		switch transient := err != nil && s.d.Transient(err); {
		case err == io.EOF:
			s.done = true
			s.disconnect()
		case transient && !s.emitted && s.restarts < maxRestarts:
			s.restart()
		case transient:
			return s.wrap(err, ErrUnavailable, "connection lost after %d rows (not retried, so that no row repeats)", s.row)
		case err != nil:
			return s.wrap(err, nil, "")
		default:
			s.row++
			s.build.appendValues(vals, s.index, s.sourceFile(), s.row)
		}
	}
	return nil
}

func (s *SQLSource) sourceFile() string { return SQLSourceFile(s.cfg) }

// SQLSourceFile is what an SQL source's rows carry as their source_file: the table's name, or
// "query".
func SQLSourceFile(cfg Config) string {
	if cfg.Table != "" {
		return cfg.Table
	}
	return "query"
}

// start runs the query, reconnecting first if the connection was lost.
func (s *SQLSource) start(ctx context.Context) error {
	return s.retry(ctx, func(actx context.Context) error {
		if err := s.connect(actx); err != nil {
			return err
		}
		qctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		s.mu.Lock()
		s.cancel = cancel
		if s.killed {
			cancel()
		}
		s.mu.Unlock()
		rows, err := s.d.Query(qctx, s.positions)
		if err == nil {
			s.rows = rows
		}
		return err
	})
}

// restart forgets the rows read since the last batch was returned (none
// was), so that the query can run again from its first row.
func (s *SQLSource) restart() {
	s.build.NewRecordBatch().Release()
	s.row = 0
	s.restarts++
	s.disconnect()
}

// abort cancels the running query, if any.
func (s *SQLSource) abort() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancel != nil {
		s.cancel()
	}
}

// kill aborts the running query and any started after it.
func (s *SQLSource) kill() {
	s.mu.Lock()
	s.killed = true
	s.mu.Unlock()
	s.abort()
}

// Close ends the query and the connection and releases the builder; it is
// safe to call twice. It reports nothing: either every row has been read,
// or the caller wants no more of this connection.
func (s *SQLSource) Close() error {
	s.disconnect()
	if s.build != nil {
		s.build.Release()
		s.build = nil
	}
	return nil
}

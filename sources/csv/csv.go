// Package csv is the `csv` source kind: one file or a glob of files, each
// with its own header line, read as raw strings under the column names of
// the config's dataset (see sources.Dataset).
package csv

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"

	"scorecard/sources"
)

// Kind is the config's `kind:` for CSV sources.
const Kind = "csv"

var _ sources.Source = (*Source)(nil)

// Source streams the rows of the CSV files matching Config.Path, in sorted
// order, as batches of at most Config.BatchSize rows. Batches may span files;
// every row carries its file and line.
type Source struct {
	cfg   sources.Config
	files []string
	next  int      // index in files of the next file to open
	cur   *csvFile // the file being read, nil between files
	build *sources.RawBuilder
	err   error // sticky: io.EOF after the last batch, or the first failure
}

// New returns a CSV Source for cfg; it checks cfg but touches no file.
func New(cfg sources.Config) (sources.Source, error) {
	cfg.Dataset = cfg.DatasetOrCases()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Path == "" {
		return nil, fmt.Errorf("%w: a csv source needs a path", sources.ErrInvalidConfig)
	}
	if err := checkDelimiter(cfg.Delimiter); err != nil {
		return nil, err
	}
	if cfg.Encoding != "" && !slices.Contains(sources.Encodings, cfg.Encoding) {
		return nil, fmt.Errorf("%w: encoding %q is not one of %s",
			sources.ErrInvalidConfig, cfg.Encoding, strings.Join(sources.Encodings, ", "))
	}
	return &Source{cfg: cfg}, nil
}

func checkDelimiter(d string) error {
	r, size := utf8.DecodeRuneInString(d)
	switch {
	case d == "":
		return nil
	case size != len(d) || r == utf8.RuneError || r == '"' || r == '\r' || r == '\n':
		return fmt.Errorf("%w: delimiter %q must be one character, not a quote or line break",
			sources.ErrInvalidConfig, d)
	}
	return nil
}

// Open finds the files and checks every file's header, so a bad header in
// the last file fails before any row is read.
func (s *Source) Open(ctx context.Context) error {
	if s.build != nil {
		return errors.New("csv source opened twice")
	}
	files := s.cfg.Files
	if files == nil {
		var err error
		if files, err = sources.MatchFiles(s.cfg.Path); err != nil {
			return err
		}
	}
	var errs []error
	for _, path := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		errs = append(errs, checkHeader(path, s.cfg))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	s.files, s.build = files, sources.NewRawBuilder(s.cfg.Dataset, s.cfg.Mem())
	return nil
}

func checkHeader(path string, cfg sources.Config) error {
	f, err := openFile(path, cfg)
	if err != nil {
		return err
	}
	return f.close()
}

// Next returns the next batch, or io.EOF after the last.
func (s *Source) Next(ctx context.Context) (arrow.RecordBatch, error) {
	if s.build == nil {
		return nil, sources.ErrNotOpen
	}
	if s.err != nil {
		return nil, s.err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := s.fill(); err != nil {
		s.err = err
		return nil, err
	}
	if s.build.Len() == 0 {
		s.err = io.EOF
		return nil, io.EOF
	}
	return s.build.NewRecordBatch(), nil
}

// fill appends rows until the batch is full or the last file is read.
func (s *Source) fill() error {
	for s.build.Len() < s.cfg.BatchRows() {
		if s.cur == nil {
			if s.next == len(s.files) {
				return nil
			}
			f, err := openFile(s.files[s.next], s.cfg)
			if err != nil {
				return err
			}
			s.cur, s.next = f, s.next+1
		}
		fields, line, err := s.cur.read()
		if err == io.EOF {
			err, s.cur = s.cur.close(), nil
		} else if err == nil {
			s.build.Append(fields, s.cur.index, s.cur.path, line)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Close closes the open file and releases the builder; it is safe to call twice.
func (s *Source) Close() error {
	var err error
	if s.cur != nil {
		err, s.cur = s.cur.close(), nil
	}
	if s.build != nil {
		s.build.Release()
		s.build = nil
	}
	return err
}

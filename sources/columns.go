package sources

import (
	"errors"
	"slices"
	"strings"
)

// ResolveColumns finds each of d's columns among a source's column names (a
// CSV header, a table's columns) and returns, per d.Columns entry, its
// position in names, or -1 where an optional column is absent. where (a file
// path or table name) prefixes every message. Names are trimmed of
// surrounding whitespace before matching.
//
// A column is looked up under its mapped name when mapping has one, else
// under its own name; names match case-sensitively first, then
// case-insensitively. A column a mapping claims is not also read under the
// name of the dataset's column. Every problem is reported at once. It runs
// once per file or table, never per row.
func (d Dataset) ResolveColumns(where string, names []string, mapping map[string]string) ([]int, error) {
	trimmed := make([]string, len(names))
	for i, n := range names {
		trimmed[i] = strings.TrimSpace(n)
	}
	r := resolver{where: where, names: trimmed, index: make([]int, len(d.Columns)), claimed: map[int]string{}, d: d}
	for _, k := range sortedKeys(mapping) {
		if !slices.Contains(d.Columns, k) {
			r.fail(d.validateMapping(k, mapping[k]))
		}
	}
	for i, column := range d.Columns {
		r.index[i] = -1
		if col, ok := mapping[column]; ok {
			r.mapped(i, column, strings.TrimSpace(col))
		}
	}
	for i, column := range d.Columns {
		if _, ok := mapping[column]; !ok {
			r.unmapped(i, column)
		}
	}
	return r.index, errors.Join(r.errs...)
}

// resolver holds the state of one ResolveColumns call.
type resolver struct {
	where   string
	names   []string
	index   []int
	claimed map[int]string // position -> the dataset's column mapped onto it
	errs    []error
	d       Dataset
}

func (r *resolver) fail(err error) {
	if r.where != "" {
		err = errorf(err, "%s: %s", r.where, err)
	}
	r.errs = append(r.errs, err)
}

// mapped resolves the dataset's column i under the source name col.
func (r *resolver) mapped(i int, canonical, col string) {
	pos, err := r.lookup(col)
	switch {
	case err != nil:
		r.fail(err)
	case pos >= 0:
		r.index[i] = pos
		r.claimed[pos] = canonical
	case r.d.required(canonical):
		r.fail(errorf(ErrMissingColumn, "missing required column %q (mapped to %s)", col, canonical))
	default:
		r.fail(errorf(ErrMissingColumn, "missing column %q (mapped to %s)", col, canonical))
	}
}

// unmapped resolves the dataset's column i under its own name.
func (r *resolver) unmapped(i int, canonical string) {
	pos, err := r.lookup(canonical)
	if err != nil {
		r.fail(err)
		return
	}
	if owner, ok := r.claimed[pos]; ok {
		if r.d.required(canonical) {
			r.fail(errorf(ErrMissingColumn, "missing required column %q (the column %q is mapped to %s)",
				canonical, r.names[pos], owner))
		}
		return
	}
	if pos < 0 && r.d.required(canonical) {
		r.fail(errorf(ErrMissingColumn, "missing required column %q", canonical))
	}
	r.index[i] = pos
}

// lookup returns the position of want in names: the only exact match, else
// the only case-insensitive match, else -1. Several matches are an error.
func (r *resolver) lookup(want string) (int, error) {
	if pos, err := r.find(want, func(a, b string) bool { return a == b }); pos >= 0 || err != nil {
		return pos, err
	}
	return r.find(want, strings.EqualFold)
}

func (r *resolver) find(want string, eq func(a, b string) bool) (int, error) {
	pos, count := -1, 0
	for i, name := range r.names {
		if eq(name, want) {
			if pos < 0 {
				pos = i
			}
			count++
		}
	}
	if count > 1 {
		return -1, errorf(ErrDuplicateColumn, "column %q appears %d times in the header", want, count)
	}
	return pos, nil
}

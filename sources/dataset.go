package sources

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// Dataset is the record a source reads: its columns in order (the raw schema's first
// columns), those every source must have (after its `columns:` mapping), and what each column
// holds, which decides the SQL types it may be read from. Every source kind reads any dataset
// the same way, so a new kind of data is one more Dataset, not one more reader.
//
// The datasets of this package are shared: treat their slices and maps as read-only.
type Dataset struct {
	Name     string
	Columns  []string
	Required []string
	// Values says what a column holds; a column not in it holds text.
	Values map[string]ValueType
}

// ValueType is what a dataset column holds, as far as a SQL source needs to know: the
// database types it may be read from (see sqlAccepts). Every value is still read as text;
// curation parses it.
type ValueType int

// The value types of dataset columns.
const (
	ValueText   ValueType = iota // text only
	ValueID                      // an identifier: text or an integer
	ValueBool                    // a boolean: boolean, an integer (1/0) or text
	ValueTime                    // a date or timestamp: date, timestamp, timestamptz or text
	ValueNumber                  // a number: numeric or float, an integer or text
)

// Cases is the canonical case record (SPEC §3), the dataset a source reads unless its config
// names another.
var Cases = Dataset{
	Name:     "cases",
	Columns:  []string{"case_id", "case_type", "first_time", "complex", "has_service_target", "submitted_at", "decided_at", "updated_at"},
	Required: []string{"case_id", "case_type", "first_time", "submitted_at"},
	Values: map[string]ValueType{
		"case_id": ValueID, "first_time": ValueBool, "complex": ValueBool, "has_service_target": ValueBool,
		"submitted_at": ValueTime, "decided_at": ValueTime, "updated_at": ValueTime,
	},
}

// Appointments are snapshots of the next free biometrics appointment (SPEC §9): at
// snapshot_at, the next free time at site was next_free_at.
var Appointments = Dataset{
	Name:     "appointments",
	Columns:  []string{"snapshot_at", "site", "next_free_at"},
	Required: []string{"snapshot_at", "next_free_at"},
	Values:   map[string]ValueType{"snapshot_at": ValueTime, "site": ValueID, "next_free_at": ValueTime},
}

// Status is the register a data team keeps of the requirements measured by hand (SPEC §9):
// milestones done, KPI values, assessment scores and agreed points, per plan, requirement
// and item; the newest recorded_at wins.
var Status = Dataset{
	Name:     "status",
	Columns:  []string{"plan", "requirement_id", "item_id", "done_on", "value", "points", "recorded_at", "note"},
	Required: []string{"plan", "requirement_id", "item_id", "recorded_at"},
	Values: map[string]ValueType{
		"plan": ValueID, "item_id": ValueID, "done_on": ValueTime, "value": ValueNumber,
		"points": ValueNumber, "recorded_at": ValueTime,
	},
}

// datasets are the datasets DatasetNamed knows, in the order messages list them.
var datasets = []Dataset{Cases, Appointments, Status}

// DatasetNamed returns the known dataset called name (a config's `dataset:`); "" is Cases,
// the default. An unknown name is an error listing the known ones.
func DatasetNamed(name string) (Dataset, error) {
	if name == "" {
		return Cases, nil
	}
	for _, d := range datasets {
		if d.Name == name {
			return d, nil
		}
	}
	return Dataset{}, errorf(ErrUnknownDataset, "unknown dataset %q (known: %s)", name, strings.Join(DatasetNames(), ", "))
}

// DatasetNames returns the names of the known datasets, Cases first.
func DatasetNames() []string {
	names := make([]string, len(datasets))
	for i, d := range datasets {
		names[i] = d.Name
	}
	return names
}

// isZero reports whether d is the zero Dataset, which a Config reads as Cases.
func (d Dataset) isZero() bool { return d.Name == "" && len(d.Columns) == 0 && len(d.Required) == 0 }

// RawSchema is the schema of every batch a Source reading d yields: d's columns as nullable
// utf8 (null = the source has no such column, "" = an empty cell), then source_file (the file
// path, or a table name for SQL sources) and source_row (the row's line or ordinal number),
// both not null, and defect, nullable utf8 (see DefectColumn). Its text must be valid UTF-8:
// DuckDB refuses anything else where it reads the landing back (see RawBuilder).
func (d Dataset) RawSchema() *arrow.Schema {
	fields := make([]arrow.Field, 0, len(d.Columns)+3)
	for _, name := range d.Columns {
		fields = append(fields, arrow.Field{Name: name, Type: arrow.BinaryTypes.String, Nullable: true})
	}
	// defect goes last, so that the provenance columns keep their places.
	fields = append(fields,
		arrow.Field{Name: SourceFileColumn, Type: arrow.BinaryTypes.String},
		arrow.Field{Name: SourceRowColumn, Type: arrow.PrimitiveTypes.Int64},
		arrow.Field{Name: DefectColumn, Type: arrow.BinaryTypes.String, Nullable: true},
	)
	return arrow.NewSchema(fields, nil)
}

// Validate checks a dataset's declaration: a name, at least one column, no column twice or
// named as a provenance column, and every required column and value type of a column it has.
// It reports every problem at once.
func (d Dataset) Validate() error {
	var errs []error
	if d.Name == "" {
		errs = append(errs, errorf(ErrInvalidDataset, "a dataset needs a name"))
	}
	if len(d.Columns) == 0 {
		errs = append(errs, errorf(ErrInvalidDataset, "dataset %q has no columns", d.Name))
	}
	reserved := []string{SourceFileColumn, SourceRowColumn, DefectColumn}
	for i, c := range d.Columns {
		switch {
		case c == "":
			errs = append(errs, errorf(ErrInvalidDataset, "dataset %q: column %d has no name", d.Name, i+1))
		case slices.Contains(d.Columns[:i], c):
			errs = append(errs, errorf(ErrInvalidDataset, "dataset %q: column %q appears twice", d.Name, c))
		case slices.Contains(reserved, c):
			errs = append(errs, errorf(ErrInvalidDataset, "dataset %q: column %q is a provenance column", d.Name, c))
		}
	}
	for _, c := range d.Required {
		if !slices.Contains(d.Columns, c) {
			errs = append(errs, errorf(ErrInvalidDataset, "dataset %q: required column %q is not one of its columns", d.Name, c))
		}
	}
	for _, c := range sortedKeys(d.Values) {
		if !slices.Contains(d.Columns, c) {
			errs = append(errs, errorf(ErrInvalidDataset, "dataset %q: value type of %q, which is not one of its columns", d.Name, c))
		}
	}
	return errors.Join(errs...)
}

// required reports whether column must be present in every source of d.
func (d Dataset) required(column string) bool { return slices.Contains(d.Required, column) }

// validateMapping checks one `columns:` entry: the key must be one of d's columns and the
// value a name.
func (d Dataset) validateMapping(column, sourceColumn string) error {
	if slices.Contains(d.Columns, column) {
		if strings.TrimSpace(sourceColumn) == "" {
			return errorf(ErrInvalidConfig, "columns: %s is mapped to an empty column name", column)
		}
		return nil
	}
	hint := ""
	if slices.Contains(d.Columns, sourceColumn) {
		hint = fmt.Sprintf("; the map is canonical name: source column, so perhaps %s: %s", sourceColumn, column)
	}
	return errorf(ErrUnknownColumn, "columns: unknown canonical column %q (allowed: %s%s)",
		column, strings.Join(d.Columns, ", "), hint)
}

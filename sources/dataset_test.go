package sources

import (
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// TestCasesIsTodaysRecord: Cases is the case record the sources read before there were
// datasets, column for column, with the same required columns and SQL type rules, and a
// Config that names no dataset reads it.
func TestCasesIsTodaysRecord(t *testing.T) {
	columns := []string{"case_id", "case_type", "first_time", "complex", "has_service_target", "submitted_at", "decided_at", "updated_at"}
	required := []string{"case_id", "case_type", "first_time", "submitted_at"}
	if !slices.Equal(Cases.Columns, columns) || !slices.Equal(CanonicalColumns, columns) {
		t.Errorf("columns = %v and %v, want %v", Cases.Columns, CanonicalColumns, columns)
	}
	if !slices.Equal(Cases.Required, required) || !slices.Equal(RequiredColumns, required) {
		t.Errorf("required = %v and %v, want %v", Cases.Required, RequiredColumns, required)
	}
	if !RawSchema().Equal(Cases.RawSchema()) {
		t.Errorf("RawSchema() = %s, want %s", RawSchema(), Cases.RawSchema())
	}
	if got := (Config{}).DatasetOrCases(); got.Name != "cases" || !slices.Equal(got.Columns, columns) {
		t.Errorf("the zero Config reads %+v, want cases", got)
	}
	accepts := map[string][]SQLKind{ // sqlAccepts as it was, per column
		"case_id":            {SQLText, SQLInteger},
		"case_type":          {SQLText},
		"first_time":         {SQLBoolean, SQLInteger, SQLText},
		"complex":            {SQLBoolean, SQLInteger, SQLText},
		"has_service_target": {SQLBoolean, SQLInteger, SQLText},
		"submitted_at":       {SQLDate, SQLTimestamp, SQLTimestampTZ, SQLText},
		"decided_at":         {SQLDate, SQLTimestamp, SQLTimestampTZ, SQLText},
		"updated_at":         {SQLDate, SQLTimestamp, SQLTimestampTZ, SQLText},
	}
	for _, col := range columns {
		if got := sqlAccepts[Cases.Values[col]]; !slices.Equal(got, accepts[col]) {
			t.Errorf("%s accepts %v, want %v", col, got, accepts[col])
		}
	}
}

// TestDatasetRawSchema: every known dataset's raw schema is its columns as nullable utf8,
// then source_file, source_row and defect.
func TestDatasetRawSchema(t *testing.T) {
	for _, d := range datasets {
		t.Run(d.Name, func(t *testing.T) {
			s := d.RawSchema()
			want := append(slices.Clone(d.Columns), "source_file", "source_row", "defect")
			if s.NumFields() != len(want) {
				t.Fatalf("fields = %d, want %d", s.NumFields(), len(want))
			}
			for i, name := range want {
				f := s.Field(i)
				nullable := i < len(d.Columns) || name == "defect"
				typ := arrow.DataType(arrow.BinaryTypes.String)
				if name == "source_row" {
					typ = arrow.PrimitiveTypes.Int64
				}
				if f.Name != name || f.Nullable != nullable || !arrow.TypeEqual(f.Type, typ) {
					t.Errorf("field %d = %s, want %s %s nullable=%v", i, f, name, typ, nullable)
				}
			}
		})
	}
}

// TestDatasetNamed: the datasets of SPEC §9 by name, with their columns and required columns,
// "" meaning cases, and an unknown name an error listing the known ones.
func TestDatasetNamed(t *testing.T) {
	tests := []struct {
		name, want        string
		columns, required []string
	}{
		{"", "cases", Cases.Columns, Cases.Required},
		{"cases", "cases", Cases.Columns, Cases.Required},
		{"appointments", "appointments", []string{"snapshot_at", "site", "next_free_at"}, []string{"snapshot_at", "next_free_at"}},
		{"status", "status",
			[]string{"plan", "requirement_id", "item_id", "done_on", "value", "points", "recorded_at", "note"},
			[]string{"plan", "requirement_id", "item_id", "recorded_at"}},
	}
	for _, tt := range tests {
		d, err := DatasetNamed(tt.name)
		if err != nil {
			t.Fatalf("DatasetNamed(%q): %v", tt.name, err)
		}
		if d.Name != tt.want || !slices.Equal(d.Columns, tt.columns) || !slices.Equal(d.Required, tt.required) {
			t.Errorf("DatasetNamed(%q) = %+v, want %s %v required %v", tt.name, d, tt.want, tt.columns, tt.required)
		}
	}
	if got := DatasetNames(); !slices.Equal(got, []string{"cases", "appointments", "status"}) {
		t.Errorf("DatasetNames() = %v", got)
	}
	_, err := DatasetNamed("appointment")
	checkErr(t, err, ErrUnknownDataset, `unknown dataset "appointment" (known: cases, appointments, status)`)
}

// TestDatasetValidate: the known datasets are sound; a bad declaration reports every problem,
// and a Config carrying it fails to validate.
func TestDatasetValidate(t *testing.T) {
	for _, d := range datasets {
		if err := d.Validate(); err != nil {
			t.Errorf("%s: %v", d.Name, err)
		}
	}
	checkErr(t, Dataset{Required: []string{"a"}}.Validate(), ErrInvalidDataset, "a dataset needs a name", `dataset "" has no columns`)
	bad := Dataset{Name: "x", Columns: []string{"a", "a", "source_row", ""}, Required: []string{"b"},
		Values: map[string]ValueType{"c": ValueTime}}
	want := []string{`dataset "x": column "a" appears twice`, `dataset "x": column "source_row" is a provenance column`,
		`dataset "x": column 4 has no name`, `dataset "x": required column "b" is not one of its columns`,
		`dataset "x": value type of "c", which is not one of its columns`}
	checkErr(t, bad.Validate(), ErrInvalidDataset, want...)
	checkErr(t, Config{Dataset: bad}.Validate(), ErrInvalidDataset, want...)
}

// TestConfigValidateDataset: a `columns:` key must be a column of the Config's dataset, and
// the message lists that dataset's columns.
func TestConfigValidateDataset(t *testing.T) {
	ok := Config{Dataset: Appointments, Columns: map[string]string{"snapshot_at": "tidspunkt", "site": "sted"}}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := Config{Dataset: Appointments, Columns: map[string]string{"case_id": "x", "tidspunkt": "snapshot_at"}}
	checkErr(t, bad.Validate(), ErrUnknownColumn,
		`columns: unknown canonical column "case_id" (allowed: snapshot_at, site, next_free_at)`,
		`unknown canonical column "tidspunkt" (allowed: snapshot_at, site, next_free_at; the map is canonical name: source column, so perhaps snapshot_at: tidspunkt)`)
}

// TestResolveColumnsDatasets: the other datasets' columns are found as the cases' are:
// mapped, case-insensitively, absent optional columns as -1, missing required ones named
// with the file.
func TestResolveColumnsDatasets(t *testing.T) {
	const N = -1
	tests := []struct {
		name    string
		d       Dataset
		header  []string
		mapping map[string]string
		want    []int
		errs    []string
	}{
		{name: "appointments mapped", d: Appointments, header: []string{"Sted", "Tidspunkt", "NEXT_FREE_AT", "x"},
			mapping: map[string]string{"snapshot_at": "tidspunkt", "site": "sted"}, want: []int{1, 0, 2}},
		{name: "appointments without a site", d: Appointments, header: []string{"next_free_at", "snapshot_at"},
			want: []int{1, N, 0}},
		{name: "appointments missing required", d: Appointments, header: []string{"snapshot_at", "site", "case_id"},
			errs: []string{`f.csv: missing required column "next_free_at"`}},
		{name: "status optional columns absent", d: Status, header: []string{"plan", "requirement_id", "item_id", "recorded_at"},
			want: []int{0, 1, 2, N, N, N, 3, N}},
		{name: "status missing mapped", d: Status, header: []string{"plan", "requirement_id", "item_id"},
			mapping: map[string]string{"recorded_at": "registreret"},
			errs:    []string{`f.csv: missing required column "registreret" (mapped to recorded_at)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.d.ResolveColumns("f.csv", tt.header, tt.mapping)
			if tt.errs != nil {
				checkErr(t, err, ErrMissingColumn, tt.errs...)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("index = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestRawBuilderDataset: a builder of appointments makes batches with their raw schema, the
// provenance columns after the dataset's three, and marks a row with bad bytes.
func TestRawBuilderDataset(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := NewRawBuilder(Appointments, mem)
	defer b.Release()
	index := []int{1, -1, 0}
	b.Append([]string{"2024-03-11", "2024-03-01T08:00:00Z"}, index, "a.csv", 2)
	b.Append([]string{"2024-03-1\xf8"}, index, "a.csv", 3)
	rec := b.NewRecordBatch()
	defer rec.Release()
	if !rec.Schema().Equal(Appointments.RawSchema()) {
		t.Fatalf("schema = %s", rec.Schema())
	}
	got := make([]string, rec.NumCols())
	for i, col := range rec.Columns() {
		got[i] = col.String()
	}
	want := []string{`["2024-03-01T08:00:00Z" ""]`, `[(null) (null)]`, `["2024-03-11" "2024-03-1\\xF8"]`,
		`["a.csv" "a.csv"]`, `[2 3]`, `[(null) "bad_encoding"]`}
	if !slices.Equal(got, want) {
		t.Errorf("columns:\n got %q\nwant %q", got, want)
	}
}

// TestCheckSQLTypesStatus: the status columns take the SQL types their values need (a
// number from numeric, a date from date, an id from an integer) and refuse the others, and a
// case column still refuses a number.
func TestCheckSQLTypesStatus(t *testing.T) {
	names := map[SQLKind]string{SQLText: "text", SQLInteger: "integer", SQLBoolean: "boolean", SQLDate: "date",
		SQLTimestamp: "timestamp", SQLTimestampTZ: "timestamptz", SQLNumber: "numeric"}
	cols := []SQLColumn{{"plan", "int4", SQLInteger}, {"requirement_id", "int4", SQLInteger}, {"item_id", "text", SQLText},
		{"done_on", "date", SQLDate}, {"value", "numeric", SQLNumber}, {"points", "int4", SQLInteger},
		{"recorded_at", "timestamptz", SQLTimestampTZ}, {"note", "bytea", SQLOther}}
	err := checkSQLTypes(Status, `table "s"`, cols, []int{0, 1, 2, 3, 4, 5, 6, 7}, names)
	checkErr(t, err, ErrColumnType, `table "s": column "requirement_id" (requirement_id) is int4; want text`,
		`table "s": column "note" (note) is bytea; want text`)
	if n := strings.Count(err.Error(), "\n") + 1; n != 2 {
		t.Errorf("%d errors, want 2: %v", n, err)
	}
	err = checkSQLTypes(Cases, `table "c"`, []SQLColumn{{"id", "numeric", SQLNumber}}, []int{0, -1, -1, -1, -1, -1, -1, -1}, names)
	checkErr(t, err, ErrColumnType, `table "c": column "id" (case_id) is numeric; want text or integer`)
}

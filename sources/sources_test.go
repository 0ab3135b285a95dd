package sources

import (
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

func TestRawSchema(t *testing.T) {
	s := RawSchema()
	want := append(append([]string{}, CanonicalColumns...), "source_file", "source_row")
	if s.NumFields() != len(want) {
		t.Fatalf("fields = %d, want %d", s.NumFields(), len(want))
	}
	for i, name := range want {
		f := s.Field(i)
		nullable := i < len(CanonicalColumns)
		typ := arrow.DataType(arrow.BinaryTypes.String)
		if name == "source_row" {
			typ = arrow.PrimitiveTypes.Int64
		}
		if f.Name != name || f.Nullable != nullable || !arrow.TypeEqual(f.Type, typ) {
			t.Errorf("field %d = %s, want %s %s nullable=%v", i, f, name, typ, nullable)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want []string // substrings of the error; none = valid
		is   error
	}{
		{name: "empty", cfg: Config{}},
		{name: "mapping", cfg: Config{Columns: map[string]string{"case_id": "sagsnummer", "submitted_at": "modtaget"}}},
		{
			name: "unknown key", cfg: Config{Columns: map[string]string{"case": "x"}},
			want: []string{`unknown canonical column "case"`, "allowed: case_id, case_type, first_time, complex, has_service_target, submitted_at, decided_at, updated_at"},
			is:   ErrUnknownColumn,
		},
		{
			name: "reversed map", cfg: Config{Columns: map[string]string{"sagsnummer": "case_id"}},
			want: []string{`unknown canonical column "sagsnummer"`, "perhaps case_id: sagsnummer"},
			is:   ErrUnknownColumn,
		},
		{
			name: "every problem", cfg: Config{Columns: map[string]string{"b": "x", "a": "y", "case_id": " "}, BatchSize: -1},
			want: []string{`"a"`, `"b"`, "case_id is mapped to an empty column name", "batch size -1"},
			is:   ErrInvalidConfig,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErr(t, tt.cfg.Validate(), tt.is, tt.want...)
		})
	}
}

func TestRawBuilder(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := NewRawBuilder(mem)
	defer b.Release()
	index := []int{0, 1, 2, -1, -1, 3, 7, -1}
	b.Append([]string{"1", "studie", "", "2024-01-02"}, index, "a.csv", 2)
	b.Append([]string{"2", "phd", "ja", "2024-01-03", "", "", "", "2024-02-01"}, index, "a.csv", 3)
	if b.Len() != 2 {
		t.Fatalf("Len = %d, want 2", b.Len())
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	want := "[\"\" \"2024-02-01\"]"
	if got := rec.Column(6).String(); got != want {
		t.Errorf("decided_at = %s, want %s", got, want)
	}
	if got := rec.Column(3).(*array.String); got.NullN() != 2 {
		t.Errorf("complex nulls = %d, want 2", got.NullN())
	}
	if b.Len() != 0 {
		t.Errorf("Len after batch = %d, want 0", b.Len())
	}
}

func checkErr(t *testing.T, err, is error, want ...string) {
	t.Helper()
	if len(want) == 0 {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("no error, want %q", want)
	}
	if is != nil && !errors.Is(err, is) {
		t.Errorf("error %q is not %v", err, is)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not contain %q", err, w)
		}
	}
}

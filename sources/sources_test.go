package sources

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

func TestRawSchema(t *testing.T) {
	s := RawSchema()
	want := append(append([]string{}, CanonicalColumns...), "source_file", "source_row", "defect")
	if s.NumFields() != len(want) {
		t.Fatalf("fields = %d, want %d", s.NumFields(), len(want))
	}
	for i, name := range want {
		f := s.Field(i)
		nullable := i < len(CanonicalColumns) || name == "defect"
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
	b := NewRawBuilder(Cases, mem)
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

func TestEscapeInvalidUTF8(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"K\u00f8benhavn \\x \u20ac", "K\u00f8benhavn \\x \u20ac"}, // valid: unchanged, backslash too
		{"K\xf8benhavn", `K\xF8benhavn`},                           // windows-1252 ø
		{"\xff\xfe", `\xFF\xFE`},
		{"\u00e6\xe6", "\u00e6" + `\xE6`}, // a valid æ beside a windows-1252 one
		{"ab\xc3", `ab\xC3`},              // a sequence cut off at the end
		{"\xe2\x82x", `\xE2\x82x`},        // cut off before another character
		{"\xed\xa0\x80", `\xED\xA0\x80`},  // a surrogate, which UTF-8 excludes
		{"\xc0\xaf", `\xC0\xAF`},          // an overlong '/'
	}
	for _, tt := range tests {
		if got := EscapeInvalidUTF8(tt.in); got != tt.want {
			t.Errorf("EscapeInvalidUTF8(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestRawBuilderMarksBadEncoding: a row with a taken field that is not UTF-8 has its fields
// escaped and defect bad_encoding; the other rows, before and after it, have a NULL defect,
// in this batch and the next, and a field no column takes is not checked.
func TestRawBuilderMarksBadEncoding(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := NewRawBuilder(Cases, mem)
	defer b.Release()
	index := []int{0, 1, 2, -1, -1, 3, -1, -1}
	b.Append([]string{"1", "studie", "ja", "2024-01-02"}, index, "a.csv", 2)
	b.Append([]string{"2", "studie", "ja", "2024-01-02", "n\xf8te"}, index, "a.csv", 3) // not taken
	b.Append([]string{"S\xf8", "f\u00e6rdig", "ja"}, index, "a.csv", 4)
	b.Append([]string{"4", "studie", "ja", "2024-01-02"}, index, "a.csv", 5)
	b.Append([]string{"5", "studie\xe6", "ja", "2024-01-02"}, index, "a.csv", 6)
	first := b.NewRecordBatch()
	defer first.Release()
	b.Append([]string{"6", "studie", "ja", "2024-01-02"}, index, "a.csv", 7)
	second := b.NewRecordBatch()
	defer second.Release()

	for _, tt := range []struct {
		rec                 arrow.RecordBatch
		ids, types, defects string
	}{
		{first, `["1" "2" "S\\xF8" "4" "5"]`, `["studie" "studie" "færdig" "studie" "studie\\xE6"]`,
			`[(null) (null) "bad_encoding" (null) "bad_encoding"]`},
		{second, `["6"]`, `["studie"]`, `[(null)]`},
	} {
		if err := array.ValidateFull(tt.rec.Column(10)); err != nil {
			t.Fatal(err)
		}
		got := []string{tt.rec.Column(0).String(), tt.rec.Column(1).String(), tt.rec.Column(10).String()}
		if want := []string{tt.ids, tt.types, tt.defects}; !slices.Equal(got, want) {
			t.Errorf("case_id, case_type, defect:\n got %q\nwant %q", got, want)
		}
	}
}

// TestRawBuilderSQLBadEncoding: a SQL row with a value that is not UTF-8 (a PostgreSQL
// database in SQL_ASCII hands over whatever bytes it holds) is escaped and marked, like a CSV
// row; a NULL becomes "" and an unmapped column null.
func TestRawBuilderSQLBadEncoding(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := NewRawBuilder(Cases, mem)
	defer b.Release()
	index := []int{0, 1, -1, -1, -1, 2, -1, -1}
	b.appendValues([][]byte{[]byte("1"), []byte("studie"), nil}, index, "sag", 1)
	b.appendValues([][]byte{[]byte("S\xf8"), []byte("studie"), []byte("2024-01-02")}, index, "sag", 2)
	rec := b.NewRecordBatch()
	defer rec.Release()
	got := []string{rec.Column(0).String(), rec.Column(2).String(), rec.Column(5).String(), rec.Column(10).String()}
	want := []string{`["1" "S\\xF8"]`, `[(null) (null)]`, `["" "2024-01-02"]`, `[(null) "bad_encoding"]`}
	if !slices.Equal(got, want) {
		t.Errorf("case_id, first_time, submitted_at, defect:\n got %q\nwant %q", got, want)
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

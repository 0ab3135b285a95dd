package sources

import (
	"slices"
	"testing"
)

func TestResolveColumns(t *testing.T) {
	const N = -1
	tests := []struct {
		name    string
		header  []string
		mapping map[string]string
		want    []int
		errs    []string
		is      error
	}{
		{
			name:   "canonical, other order, extra column",
			header: []string{"x", "submitted_at", "first_time", "case_type", "case_id", "decided_at"},
			want:   []int{4, 3, 2, N, N, 1, 5, N},
		},
		{
			name:   "trimmed and case-insensitive",
			header: []string{" Case_ID ", "CASE_TYPE", "first_time\t", "Submitted_At"},
			want:   []int{0, 1, 2, N, N, 3, N, N},
		},
		{
			name:   "exact match wins over case-insensitive",
			header: []string{"CASE_ID", "case_id", "case_type", "first_time", "submitted_at"},
			want:   []int{1, 2, 3, N, N, 4, N, N},
		},
		{
			name:    "mapping",
			header:  []string{"Sagsnummer", "case_type", "first_time", "modtaget", "afgjort"},
			mapping: map[string]string{"case_id": "sagsnummer", "submitted_at": "modtaget", "decided_at": "afgjort"},
			want:    []int{0, 1, 2, N, N, 3, 4, N},
		},
		{
			name:    "a mapped column is not also read under its own name",
			header:  []string{"case_id", "case_type", "first_time", "updated_at"},
			mapping: map[string]string{"submitted_at": "updated_at"},
			want:    []int{0, 1, 2, N, N, 3, N, N},
		},
		{
			name:   "missing required",
			header: []string{"case_id", "case_type", "submitted_at"},
			errs:   []string{`f.csv: missing required column "first_time"`},
			is:     ErrMissingColumn,
		},
		{
			name:    "missing mapped, required and optional",
			header:  []string{"case_id", "case_type", "first_time"},
			mapping: map[string]string{"submitted_at": "modtaget", "decided_at": "afgjort"},
			errs: []string{
				`f.csv: missing required column "modtaget" (mapped to submitted_at)`,
				`f.csv: missing column "afgjort" (mapped to decided_at)`,
			},
			is: ErrMissingColumn,
		},
		{
			name:    "required column taken by a mapping",
			header:  []string{"case_id", "case_type", "first_time", "x"},
			mapping: map[string]string{"submitted_at": "x", "decided_at": "case_type"},
			errs:    []string{`f.csv: missing required column "case_type" (the column "case_type" is mapped to decided_at)`},
			is:      ErrMissingColumn,
		},
		{
			name:   "duplicate used column",
			header: []string{"case_id", "case_type", "first_time", "submitted_at", "case_id"},
			errs:   []string{`f.csv: column "case_id" appears 2 times in the header`},
			is:     ErrDuplicateColumn,
		},
		{
			name:   "duplicate unused column is fine",
			header: []string{"case_id", "case_type", "first_time", "submitted_at", "note", "note"},
			want:   []int{0, 1, 2, N, N, 3, N, N},
		},
		{
			name:   "ambiguous case-insensitive",
			header: []string{"case_id", "case_type", "first_time", "submitted_at", "Complex", "COMPLEX"},
			errs:   []string{`f.csv: column "complex" appears 2 times in the header`},
			is:     ErrDuplicateColumn,
		},
		{
			name:    "unknown mapping key",
			header:  []string{"case_id", "case_type", "first_time", "submitted_at"},
			mapping: map[string]string{"sag": "case_id"},
			errs:    []string{`f.csv: columns: unknown canonical column "sag"`},
			is:      ErrUnknownColumn,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Cases.ResolveColumns("f.csv", tt.header, tt.mapping)
			if tt.errs != nil {
				checkErr(t, err, tt.is, tt.errs...)
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

package lake

import (
	"path/filepath"
	"slices"
	"testing"
)

// TestNewestRunFiles: the newest n run files, widened back to the first run of the second the
// oldest of them started in, so that no run left out started later than one taken.
func TestNewestRunFiles(t *testing.T) {
	runs := func(ids ...string) []string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = filepath.Join("v", TableRuns, id+".parquet")
		}
		return out
	}
	tests := []struct {
		name  string
		files []string
		n     int
		want  []string
	}{
		{"fewer than n", runs("20250101T000000Z-aaaaaa"), 3, runs("20250101T000000Z-aaaaaa")},
		{"the last n",
			runs("20250101T000000Z-aaaaaa", "20250102T000000Z-aaaaaa", "20250103T000000Z-aaaaaa", "20250104T000000Z-aaaaaa"), 2,
			runs("20250103T000000Z-aaaaaa", "20250104T000000Z-aaaaaa")},
		{"widened over runs of the same second",
			runs("20250101T000000Z-aaaaaa", "20250102T000000Z-aaaaaa", "20250102T000000Z-bbbbbb", "20250104T000000Z-aaaaaa"), 2,
			runs("20250102T000000Z-aaaaaa", "20250102T000000Z-bbbbbb", "20250104T000000Z-aaaaaa")},
		{"a file not named for a run: all",
			append(runs("20250101T000000Z-aaaaaa", "20250102T000000Z-aaaaaa"), filepath.Join("v", TableRuns, "old.parquet")), 1,
			append(runs("20250101T000000Z-aaaaaa", "20250102T000000Z-aaaaaa"), filepath.Join("v", TableRuns, "old.parquet"))},
		{"none", nil, 8, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NewestRunFiles(tt.files, tt.n); !slices.Equal(got, tt.want) {
				t.Errorf("NewestRunFiles(%v, %d) = %v, want %v", tt.files, tt.n, got, tt.want)
			}
		})
	}
}

package pipeline

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/parquet/file"
)

// TestOutputRowsAreFiles: the rows the run's record gives each cases partition it wrote are
// the rows in that file (load.go fileRows reads them from the footers in one query), and they
// add up to the run's cases. The cases lie in four partitions: three quarters and one open year.
func TestOutputRowsAreFiles(t *testing.T) {
	f := csvFixture(t, `
		A1,eu_ophold,ja,,,2024-01-01,2024-01-02,
		A2,eu_ophold,nej,,,2024-02-01,2024-02-05,
		A3,eu_ophold,ja,,,2024-03-01,2024-04-03,
		A4,eu_ophold,ja,,,2024-05-01,2024-05-02,
		A5,eu_ophold,ja,,,2024-05-03,2024-07-09,
		A6,eu_ophold,ja,,,2024-06-01,,
	`)
	sum := f.run("2024-12-31")
	want := map[string]int64{
		"cases/decided_quarter=2024-Q1/data.parquet":        2,
		"cases/decided_quarter=2024-Q2/data.parquet":        2,
		"cases/decided_quarter=2024-Q3/data.parquet":        1,
		"cases/decided_quarter=undecided-2024/data.parquet": 1,
	}
	var total int64
	for _, o := range sum.Outputs {
		if !strings.HasPrefix(o.Path, "cases/") {
			continue
		}
		r, err := file.OpenParquetFile(filepath.Join(f.cfg.LakeDir(), filepath.FromSlash(o.Path)), false)
		if err != nil {
			t.Fatal(err)
		}
		inFile := r.NumRows()
		r.Close()
		if o.Rows != inFile || o.Rows != want[o.Path] {
			t.Errorf("%s: recorded %d rows, the file has %d, want %d", o.Path, o.Rows, inFile, want[o.Path])
		}
		delete(want, o.Path)
		total += o.Rows
	}
	if len(want) != 0 {
		t.Errorf("no output recorded for %v", want)
	}
	if total != sum.Cases {
		t.Errorf("the cases files hold %d rows, the run %d cases", total, sum.Cases)
	}
}

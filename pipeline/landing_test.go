package pipeline

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestSourceRowsAreLines checks the row numbers of the files DuckDB lands itself, which are
// positions in the landing files rather than numbers it writes: on two files large enough for
// the reader to split among threads, landed at the same time, beside a file streamed through
// Go (it has a quoted field), every case and every quarantined row must name the line it came
// from. The case ids are the line numbers, their first letter the file, so the check needs no
// other reading of the files. With two threads the large files (20 MB each) are copied one per
// thread; with four each is cut in two pieces, copied one per thread, the first read from the
// file itself and the second from a file of its own.
func TestSourceRowsAreLines(t *testing.T) {
	const lines = 300_000
	big := func(prefix string) string {
		return bigCSV(lines, func(line int) (string, string) {
			if line%1000 == 0 {
				return fmt.Sprintf("%s%07d", prefix, line), "nope" // unknown_case_type
			}
			return fmt.Sprintf("%s%07d", prefix, line), "fasttrack"
		})
	}
	streamed := caseHeader +
		"Q0000002,\"fasttrack\",true,false,true,2024-03-01,2024-03-05,\n" +
		"Q0000003,nope,true,false,true,2024-03-01,2024-03-05,\n" +
		"Q0000004,fasttrack,true,false,true,2024-03-01,2024-03-05,\n"
	files := map[string]string{"big1.csv": big("C"), "big2.csv": big("D"), "quoted.csv": streamed}
	for _, land := range []struct{ threads, parts int }{{2, 3}, {4, 5}} {
		threads := land.threads
		f := newFixture(t, "plans: [2024]\nsources:\n  - {name: export, kind: csv, path: '*.csv'}\n", files)
		f.cfg.DuckDB.Threads = threads
		f.run("2024-12-31")
		parts, err := filepath.Glob(filepath.Join(f.cfg.LakeDir(), "raw", "source=export", "run_id=*", "part-*.parquet"))
		if err != nil || len(parts) != land.parts {
			t.Errorf("threads %d: %d landing parts (%v), want %d", threads, len(parts), err, land.parts)
		}

		for _, tt := range []struct {
			table     string
			want      int64
			wantWrong int64
		}{
			{"cases", 2*(lines-lines/1000) + 2, 0},
			{"quarantine", 2*(lines/1000) + 1, 0},
		} {
			got := f.query(fmt.Sprintf(`SELECT count(*) AS n,
				count(*) FILTER (WHERE CAST(case_id[2:] AS BIGINT) <> source_row
					OR NOT ends_with(source_file, CASE case_id[1] WHEN 'C' THEN 'big1.csv' WHEN 'D' THEN 'big2.csv' ELSE 'quoted.csv' END)) AS wrong
				FROM %s`, tt.table))[0]
			if got["n"] != tt.want || got["wrong"] != tt.wantWrong {
				t.Errorf("threads %d, %s: %v rows, %v with a source_row not their line; want %d and %d",
					threads, tt.table, got["n"], got["wrong"], tt.want, tt.wantWrong)
			}
		}
	}
}

// TestPieceFailureStreamsFile: a file landed in pieces lands whole or not at all. A byte that
// is not UTF-8 near its end makes DuckDB fail on the second piece; the first piece's part is
// left out of the landing and the whole file streamed through Go (the one part published),
// which quarantines that one row as bad_encoding on its line and keeps every other once.
func TestPieceFailureStreamsFile(t *testing.T) {
	const lines = 300_000 // 20 MB: two pieces on two threads
	const badLine = 290_000
	big := bigCSV(lines, func(line int) (string, string) {
		if line == badLine {
			return "C\xf8", "fasttrack"
		}
		return fmt.Sprintf("C%07d", line), "fasttrack"
	})
	f := newFixture(t, "plans: [2024]\nsources:\n  - {name: export, kind: csv, path: '*.csv'}\n", map[string]string{"big.csv": big})
	f.cfg.DuckDB.Threads = 2
	f.run("2024-12-31")
	parts, err := filepath.Glob(filepath.Join(f.cfg.LakeDir(), "raw", "source=export", "run_id=*", "part-*.parquet"))
	if err != nil || len(parts) != 1 {
		t.Errorf("%d landing parts (%v), want the streamed one", len(parts), err)
	}
	got := f.query(`SELECT (SELECT count(*) FROM cases) AS cases,
		(SELECT count(*) FILTER (WHERE CAST(case_id[2:] AS BIGINT) <> source_row) FROM cases) AS wrong,
		(SELECT string_agg(reason || ' ' || source_row, ',') FROM quarantine) AS quarantined`)[0]
	if got["cases"] != int64(lines-1) || got["wrong"] != int64(0) || got["quarantined"] != fmt.Sprintf("bad_encoding %d", badLine) {
		t.Errorf("%v cases (%v not on their line), quarantined %v; want %d, 0, bad_encoding %d", got["cases"], got["wrong"], got["quarantined"], lines-1, badLine)
	}
}

// bigCSV is a case file of lines records, on lines 2 to lines+1, each with the id and case type
// row gives for its line: decided 2024-04-DD, a month after submission on 2024-03-DD.
func bigCSV(lines int, row func(line int) (id, caseType string)) string {
	var b strings.Builder
	b.WriteString(caseHeader)
	for line := 2; line <= lines+1; line++ {
		id, caseType := row(line)
		fmt.Fprintf(&b, "%s,%s,true,false,true,2024-03-%02d,2024-04-%02dT10:00:00Z,\n", id, caseType, line%28+1, line%28+1)
	}
	return b.String()
}

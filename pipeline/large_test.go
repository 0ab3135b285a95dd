package pipeline

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"scorecard/pipeline/curate"
)

// TestLargeRunPaths: a run larger than memory_limit writes its parsed rows to a Parquet file
// rather than a temp table (curate/large.go). Forced on
// a small fixture (rejected rows, repeated cases within and across files, then a second run
// that merges), both ways publish the same cases, quarantine, scorecard and results.
func TestLargeRunPaths(t *testing.T) {
	a := caseHeader + dedent(dedupeRows+`
		,fasttrack,ja,,,2024-01-01,2024-01-05,
		Q02,,ja,,,2024-01-01,2024-01-05,
		Q04,fasttrack,ja,,,2024-02-30,,
		Q07,fasttrack,maybe,,,2024-01-01,2024-01-05,
		Q11,nosuch,ja,,,2024-01-01,2024-01-05,
		Q13,fasttrack,ja,,,2024-01-05,2024-01-04,
		Q14,fasttrack,ja,,,2025-06-02,,
		G01,fasttrack,nej,ja,nej,2024-03-01,2024-03-20,
		G02,fasttrack,ja,,,2024-04-01,,
		G03,asyl,ja,,,2024-05-01,2024-07-01,2024-07-02T00:00:00Z
	`)
	b := caseHeader + dedent(`
		D5,eu_ophold,ja,,,2024-01-01,2024-01-10,
		G03,asyl,ja,,,2024-05-01,2024-06-01,2024-07-01T00:00:00Z
		G04,fasttrack,ja,,,2024-08-01,2024-08-02,
	`)
	again := caseHeader + dedent(`
		G02,fasttrack,ja,,,2024-04-01,2024-04-20,2024-05-01T00:00:00Z
		G02,fasttrack,ja,,,2024-04-01,2024-04-21,2024-05-02T00:00:00Z
		D1,eu_ophold,ja,,,2024-01-01,2024-01-11,2024-03-01T00:00:00Z
		G05,fasttrack,ja,,,2024-09-01,bad,
		G06,fasttrack,ja,,,2024-10-01,2024-10-02,
	`)
	body := "plans: [2024]\nsources:\n  - {name: export, kind: csv, path: 'cases-*.csv'}\n"
	tables := []string{"cases", "quarantine", "scorecard", "case_results", "at_risk", "restatements"}
	lakes := map[bool][][]string{}
	for _, large := range []bool{false, true} {
		if large {
			t.Setenv(curate.ParsedFileRowsEnv, "0")
		} else {
			t.Setenv(curate.ParsedFileRowsEnv, "1000000000")
		}
		f := newFixture(t, body, map[string]string{"cases-a.csv": a, "cases-b.csv": b})
		f.run("2024-12-31")
		first := lakeRows(f, tables)
		f.writeFile("cases-c.csv", again)
		f.run("2024-12-31")
		lakes[large] = append(first, lakeRows(f, tables)...)
	}
	for i, rows := range lakes[false] {
		if !slices.Equal(rows, lakes[true][i]) {
			t.Errorf("%s (run %d): temp table and file differ:\n%s\n--\n%s", tables[i%len(tables)], i/len(tables)+1,
				strings.Join(rows, "\n"), strings.Join(lakes[true][i], "\n"))
		}
		if len(rows) == 0 && tables[i%len(tables)] != "restatements" && tables[i%len(tables)] != "at_risk" {
			t.Errorf("%s (run %d): no rows", tables[i%len(tables)], i/len(tables)+1)
		}
	}
}

// lakeRows reads each table's rows as sorted text, without the columns that name the run or
// its clock (lakeIgnored, as compareLakes leaves them out).
func lakeRows(f *fixture, tables []string) [][]string {
	var out [][]string
	for _, table := range tables {
		var rows []string
		for _, r := range f.query("SELECT * FROM " + table) {
			var cells []string
			for _, c := range slices.Sorted(maps.Keys(r)) {
				if lakeIgnored.MatchString(c) {
					continue
				}
				// (the fixtures' folders differ)
				cells = append(cells, strings.ReplaceAll(fmt.Sprintf("%s=%v", c, r[c]), f.dir, "DIR"))
			}
			rows = append(rows, strings.Join(cells, " "))
		}
		slices.Sort(rows)
		out = append(out, rows)
	}
	return out
}

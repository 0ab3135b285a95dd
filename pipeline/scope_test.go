package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"scorecard/pipeline/engine"
	"scorecard/pipeline/lake"
)

// scopeDay1 is the history of the scope tests, published as of 2025-01-10, when plan 2024's
// year is over: a case open since 2023 (L1), cases decided in each quarter of 2024 and an EU
// case open since February. Every row has an updated_at, so that a day's newer record wins in
// a --full run too (which lands both files again).
const scopeDay1 = `
	L1,fasttrack,ja,,,2023-11-02,,2024-12-01T00:00:00Z
	A1,fasttrack,ja,,,2024-01-10,2024-01-25,2024-12-01T00:00:00Z
	A2,loenarbejde,ja,,,2024-02-05,2024-03-20,2024-12-01T00:00:00Z
	B1,fasttrack,ja,,,2024-04-02,2024-05-03,2024-12-01T00:00:00Z
	B2,fasttrack,ja,,,2024-04-10,2024-04-30,2024-12-01T00:00:00Z
	C1,eu_ophold,ja,,,2024-07-01,2024-07-01,2024-12-01T00:00:00Z
	D1,beloebsordning,ja,,,2024-10-01,2024-11-15,2024-12-01T00:00:00Z
	E1,eu_ophold,nej,,,2024-02-01,,2024-12-01T00:00:00Z
`

// TestScopedNightlyRecomputesOnlyWhatChanges: a nightly run recomputes a period group only where
// a changed case's state in one of its periods (decided in it, or open at its end) or what
// counts of it there changed; every other published partition keeps its file and run_id. And
// whatever it keeps, the lake it leaves equals, table by table, that of a --full run over the
// same files.
func TestScopedNightlyRecomputesOnlyWhatChanges(t *testing.T) {
	all := []string{"2024", "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"}
	for _, tc := range []struct {
		name string
		day2 string
		kept []string // plan 2024's period groups the nightly run must not recompute
	}{
		{"a long-open case decided yesterday",
			"L1,fasttrack,ja,,,2023-11-02,2025-01-11,2025-01-11T09:00:00Z", all},
		{"a record sent again unchanged",
			"A1,fasttrack,ja,,,2024-01-10,2024-01-25,2025-01-11T09:00:00Z", all},
		{"a decision moved within its quarter",
			"B1,fasttrack,ja,,,2024-04-02,2024-06-20,2025-01-11T09:00:00Z", []string{"2024-Q1", "2024-Q3", "2024-Q4"}},
		{"a decision moved to a later quarter",
			"B1,fasttrack,ja,,,2024-04-02,2024-11-20,2025-01-11T09:00:00Z", []string{"2024-Q1"}},
		{"a decision withdrawn",
			"B1,fasttrack,ja,,,2024-04-02,,2025-01-11T09:00:00Z", []string{"2024-Q1"}},
		{"a long-open case decided in a past quarter",
			"E1,eu_ophold,nej,,,2024-02-01,2024-08-05,2025-01-11T09:00:00Z", []string{"2024-Q1", "2024-Q2"}},
		{"a long-open case's type changed",
			"L1,beloebsordning,ja,,,2023-11-02,,2025-01-11T09:00:00Z", nil},
		{"a case's service target removed",
			"B1,fasttrack,ja,,nej,2024-04-02,2024-05-03,2025-01-11T09:00:00Z", []string{"2024-Q1", "2024-Q3", "2024-Q4"}},
		{"a case's submission moved",
			"D1,beloebsordning,ja,,,2024-09-20,2024-11-15,2025-01-11T09:00:00Z", []string{"2024-Q1", "2024-Q2"}},
		{"a new case submitted late in the year",
			"N1,eu_ophold,ja,,,2024-12-30,,2025-01-11T09:00:00Z", []string{"2024-Q1", "2024-Q2", "2024-Q3"}},
		{"a record sent again beside a decision that moves",
			"A1,fasttrack,ja,,,2024-01-10,2024-01-25,2025-01-11T09:00:00Z\nB1,fasttrack,ja,,,2024-04-02,2024-06-20,2025-01-11T09:00:00Z",
			[]string{"2024-Q1", "2024-Q3", "2024-Q4"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := scopeFixture(t)
			f.run("2025-01-10")
			published := groupRunIDs(t, f)
			lakeDir := f.cfg.LakeDir()
			copyLake(t, lakeDir, lakeDir+"-published")
			f.writeDay2(caseHeader + dedent(tc.day2))
			f.run("2025-01-11")
			after := groupRunIDs(t, f)
			var kept []string
			for _, g := range all {
				if after[g] == published[g] {
					kept = append(kept, g)
				}
			}
			if fmt.Sprint(kept) != fmt.Sprint(orEmpty(tc.kept)) {
				t.Errorf("kept period groups %v, want %v", kept, orEmpty(tc.kept))
			}

			// The same files, from the same published lake, with --full (the same folder, so
			// that the files' paths are the same too).
			if err := os.Rename(lakeDir, lakeDir+"-nightly"); err != nil {
				t.Fatal(err)
			}
			copyLake(t, lakeDir+"-published", lakeDir)
			f.full = true
			f.run("2025-01-11")
			compareLakes(t, lakeDir+"-nightly", lakeDir)
		})
	}
}

// TestScopedNightlyKeepsOldQuarter: the case of issue 20, with real values: a case open since
// 2023 decided yesterday leaves the published Q1 2024 row of the fasttrack target as it was
// (the same run_id, still counting it as pending at the quarter's end), and the forecast of the
// year that is over is its year row.
func TestScopedNightlyKeepsOldQuarter(t *testing.T) {
	f := scopeFixture(t)
	f.run("2025-01-10")
	before := f.scorecardRow("2024", "erhverv.fasttrack", "2024-Q1")
	if got := counts(before); got != "decided=1 within=1 excluded=0 pending=1 breached=1 met=true points=20" {
		t.Fatalf("published Q1: %s", got)
	}
	f.writeDay2(caseHeader + "L1,fasttrack,ja,,,2023-11-02,2025-01-11,2025-01-11T09:00:00Z\n")
	f.run("2025-01-11")
	after := f.scorecardRow("2024", "erhverv.fasttrack", "2024-Q1")
	if after["run_id"] != before["run_id"] || counts(after) != counts(before) {
		t.Errorf("Q1 after L1's decision: %s run %v, want it kept: %s run %v",
			counts(after), after["run_id"], counts(before), before["run_id"])
	}
	year := f.scorecardRow("2024", "erhverv.fasttrack", "2024")
	fc := f.query("SELECT decided, within_target, backlog, backlog_late, expected_pct FROM forecast WHERE plan = '2024' AND target_id = 'erhverv.fasttrack'")
	if len(fc) != 1 || fc[0]["decided"] != year["decided"] || fc[0]["within_target"] != year["within_target"] ||
		fc[0]["backlog"] != year["pending"] || fc[0]["backlog_late"] != year["pending_breached"] {
		t.Errorf("forecast %v, want the year row's %s", fc, counts(year))
	}
}

func scopeFixture(t *testing.T) *fixture {
	body := "plans: [2024]\nsources:\n  - {name: export, kind: csv, path: 'day*.csv'}\n"
	return newFixture(t, body, map[string]string{"day1.csv": caseHeader + dedent(scopeDay1)})
}

func (f *fixture) writeDay2(body string) {
	f.t.Helper()
	if err := os.WriteFile(filepath.Join(f.dir, "day2.csv"), []byte(body), 0o644); err != nil {
		f.t.Fatal(err)
	}
}

// copyLake copies a lake folder, its links as links.
func copyLake(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		dst := filepath.Join(to, rel)
		switch {
		case d.Type()&os.ModeSymlink != 0:
			link, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(link, dst)
		case d.IsDir():
			return os.MkdirAll(dst, 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// groupRunIDs returns the run that wrote each of plan 2024's period groups (the run_id of its
// year or quarter row; the months share their quarter's file), and of each quarter's
// case_results, which must be the same.
func groupRunIDs(t *testing.T, f *fixture) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, r := range f.query(`SELECT DISTINCT CASE WHEN period LIKE '%-Q%' OR period NOT LIKE '%-%' THEN period
			ELSE strftime(period_start, '%Y') || '-Q' || quarter(period_start) END AS grp, run_id
		FROM scorecard WHERE plan = '2024'`) {
		g := fmt.Sprint(r["grp"])
		if out[g] != "" && out[g] != fmt.Sprint(r["run_id"]) {
			t.Fatalf("group %s holds rows of two runs", g)
		}
		out[g] = fmt.Sprint(r["run_id"])
	}
	for _, r := range f.query(`SELECT DISTINCT strftime(decided_date, '%Y') || '-Q' || quarter(decided_date) AS q, run_id
		FROM case_results WHERE plan = '2024'`) {
		if q := fmt.Sprint(r["q"]); out[q] != fmt.Sprint(r["run_id"]) {
			t.Errorf("case_results of %s by run %v, its scorecard rows by %s", q, r["run_id"], out[q])
		}
	}
	return out
}

// lakeIgnored are the columns that name a run or an instant: they differ between two runs
// of the same figures.
var lakeIgnored = regexp.MustCompile(`^(run_id|computed_at|extracted_at|old_run_id|new_run_id|published_run_id|landed_at|gone_run_id|kept_run_id)$`)

// compareLakes checks that two lakes hold the same rows in every table but the raw landings
// and the run records (EXCEPT ALL both ways, without the columns lakeIgnored matches).
func compareLakes(t *testing.T, dirA, dirB string) {
	t.Helper()
	ctx := context.Background()
	e, err := engine.Open(ctx, 2, "1GB", "")
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	var current [2]string
	for i, d := range []string{dirA, dirB} {
		if current[i], err = (lake.Lake{Dir: d}).Current(); err != nil || current[i] == "" {
			t.Fatalf("no published version in %s: %v", d, err)
		}
	}
	compared := 0
	for _, table := range lake.Tables {
		if table == lake.TableRaw || table == lake.TableRuns {
			continue
		}
		var files [2][]string
		for i := range current {
			files[i], _ = filepath.Glob(filepath.Join(current[i], table, "*.parquet"))
			for depth := "*"; len(depth) < 12; depth += "/*" {
				more, _ := filepath.Glob(filepath.Join(current[i], table, depth, "*.parquet"))
				files[i] = append(files[i], more...)
			}
		}
		if len(files[0]) == 0 || len(files[1]) == 0 {
			if len(files[0]) != len(files[1]) {
				t.Errorf("%s: %d files against %d", table, len(files[0]), len(files[1]))
			}
			continue
		}
		read := func(fs []string) string {
			return "read_parquet(" + engine.List(fs) + ", union_by_name = true, hive_partitioning = true)"
		}
		cols, err := lakeColumns(ctx, e, read(files[0]))
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		sel := "SELECT " + strings.Join(cols, ", ") + " FROM "
		for i, q := range []string{
			sel + read(files[0]) + " EXCEPT ALL " + sel + read(files[1]),
			sel + read(files[1]) + " EXCEPT ALL " + sel + read(files[0]),
		} {
			rows, err := e.Conn.QueryContext(ctx, "SELECT * FROM ("+q+") LIMIT 5")
			if err != nil {
				t.Fatalf("%s: %v", table, err)
			}
			var diff []string
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for j := range vals {
					ptrs[j] = &vals[j]
				}
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				diff = append(diff, fmt.Sprint(vals...))
			}
			rows.Close()
			if len(diff) > 0 {
				sort.Strings(diff)
				t.Errorf("%s: rows only in the %s lake (%v):\n%s", table, []string{"nightly", "--full"}[i], cols, strings.Join(diff, "\n"))
			}
		}
		compared++
	}
	if compared < 5 {
		t.Errorf("only %d tables compared", compared)
	}
}

// lakeColumns lists the columns of a table's files but those lakeIgnored matches.
func lakeColumns(ctx context.Context, e *engine.Engine, from string) ([]string, error) {
	rows, err := e.Conn.QueryContext(ctx, "SELECT column_name FROM (DESCRIBE SELECT * FROM "+from+")")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		if !lakeIgnored.MatchString(c) {
			cols = append(cols, `"`+c+`"`)
		}
	}
	return cols, rows.Err()
}

package pipeline

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"scorecard/pipeline/engine"
	"scorecard/pipeline/lake"
	"scorecard/pipeline/period"

	"github.com/xitongsys/parquet-go-source/local"
	"github.com/xitongsys/parquet-go/reader"

	"scorecard/fixtures/synth"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

const goldenConfig = "plans: [2020, 2024]\nsources:\n  - {name: export, kind: csv, path: cases.csv}\n"

func goldenFixture(t *testing.T) *fixture {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "golden", "cases.csv"))
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, goldenConfig, map[string]string{"cases.csv": string(data)})
	f.run("2024-12-31")
	return f
}

// TestGolden checks the hand-computed year rows of testdata/golden/README.md, then the whole
// scorecard against testdata/golden/scorecard.csv.
func TestGolden(t *testing.T) {
	f := goldenFixture(t)
	byHand := []struct{ plan, target, want string }{
		{"2020", "erhverv.beloebsordning", "decided=2 within=1 excluded=0 pending=0 breached=0 met=false points=0"},
		{"2020", "erhverv.fasttrack", "decided=1 within=1 excluded=0 pending=0 breached=0 met=true points=7"},
		{"2020", "erhverv.landbrug", "decided=0 within=0 excluded=0 pending=0 breached=0 met=NULL points=NULL"},
		{"2020", "erhverv.loenarbejde", "decided=0 within=0 excluded=0 pending=1 breached=1 met=NULL points=NULL"},
		{"2020", "erhverv.positivliste", "decided=0 within=0 excluded=1 pending=0 breached=0 met=NULL points=NULL"},
		{"2020", "erhverv.medfoelgende_familie", "decided=1 within=1 excluded=0 pending=0 breached=0 met=true points=5"},
		{"2020", "studie.praktikant", "decided=1 within=1 excluded=0 pending=0 breached=0 met=true points=5"},
		{"2020", "studie.studie", "decided=2 within=1 excluded=0 pending=0 breached=0 met=false points=0"},
		{"2020", "studie.phd", "decided=0 within=0 excluded=0 pending=0 breached=0 met=NULL points=NULL"},
		{"2020", "eu.1", "decided=3 within=1 excluded=0 pending=1 breached=0 met=false points=0"},
		{"2020", "eu.31", "decided=3 within=2 excluded=0 pending=1 breached=0 met=false points=0"},
		{"2020", "eu.92", "decided=3 within=3 excluded=0 pending=1 breached=0 met=true points=5"},
		{"2024", "erhverv.fasttrack", "decided=3 within=2 excluded=0 pending=0 breached=0 met=false points=0"},
		{"2024", "erhverv.alle", "decided=5 within=3 excluded=0 pending=1 breached=1 met=false points=0"},
		{"2024", "eu.1", "decided=2 within=2 excluded=1 pending=2 breached=1 met=true points=20"},
	}
	for _, tt := range byHand {
		if got := counts(f.scorecardRow(tt.plan, tt.target, tt.plan)); got != tt.want {
			t.Errorf("%s %s year: %s, want %s", tt.plan, tt.target, got, tt.want)
		}
	}
	// The shares of SPEC §8 on year rows (testdata/golden/README.md): the Wilson bounds
	// computed to 40 digits, the excluded share by hand.
	shares := []struct {
		plan, target    string
		low, high, excl any
	}{
		{"2020", "eu.1", 6.1491944020930838, 79.234040119217571, 0.0},         // 1 of 3
		{"2020", "erhverv.fasttrack", 20.654931179180274, 100.0, 0.0},         // 1 of 1
		{"2020", "erhverv.positivliste", nil, nil, 100.0},                     // none decided, 1 excluded
		{"2020", "erhverv.landbrug", nil, nil, nil},                           // nothing at all
		{"2024", "eu.1", 34.238022395464936, 100.0, 100.0 / 3},                // 2 of 2, 1 excluded of 3
		{"2024", "erhverv.alle", 23.072427940911853, 88.237922685900290, 0.0}, // 3 of 5
	}
	for _, tt := range shares {
		row := f.scorecardRow(tt.plan, tt.target, tt.plan)
		what := tt.plan + " " + tt.target
		checkShare(t, what+" pct_low", row["pct_low"], tt.low, 1e-12)
		checkShare(t, what+" pct_high", row["pct_high"], tt.high, 1e-12)
		checkShare(t, what+" excluded_pct", row["excluded_pct"], tt.excl, 1e-12)
	}
	totals := f.query("SELECT plan, sum(points) AS p, sum(max_points) AS m FROM scorecard WHERE period = plan GROUP BY plan ORDER BY plan")
	if got := fmt.Sprint(totals); got != "[map[m:70 p:22 plan:2020] map[m:60 p:20 plan:2024]]" {
		t.Errorf("totals %s", got)
	}
	compareGolden(t, filepath.Join("testdata", "golden", "scorecard.csv"), scorecardCSV(t, f))
}

// scorecardCSV renders the scorecard without the columns that change from run to run.
func scorecardCSV(t *testing.T, f *fixture) []byte {
	t.Helper()
	res, err := Query(t.Context(), lake.Lake{Dir: f.cfg.LakeDir()}, f.cfg.DuckDB,
		"SELECT * EXCLUDE (run_id, computed_at) FROM scorecard ORDER BY plan, target_id, period")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(res.Columns)
	for _, row := range res.Rows {
		cells := make([]string, len(row))
		for i, v := range row {
			switch x := v.(type) {
			case nil:
				cells[i] = ""
			case time.Time:
				cells[i] = x.Format(period.DateLayout)
			default:
				cells[i] = fmt.Sprint(x)
			}
		}
		w.Write(cells)
	}
	w.Flush()
	return b.Bytes()
}

func compareGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < min(len(gl), len(wl)); i++ {
			if gl[i] != wl[i] {
				t.Fatalf("%s differs at line %d:\n got  %s\n want %s", path, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%s: %d lines, want %d", path, len(gl), len(wl))
	}
}

// TestLakeOpensInAnotherReader reads the scorecard partitions of plan 2024 with
// xitongsys/parquet-go, a Parquet implementation other than the ones that wrote them, and
// compares them with the view.
func TestLakeOpensInAnotherReader(t *testing.T) {
	f := goldenFixture(t)
	paths, err := filepath.Glob(filepath.Join(f.cfg.LakeDir(), lake.TableScorecard, "plan=2024", "*", lake.PartitionFile))
	if err != nil || len(paths) != 5 { // the year and four quarters
		t.Fatalf("partitions of plan 2024: %v %v", paths, err)
	}
	seen := map[string]string{}
	for _, path := range paths {
		for key, val := range readScorecardFile(t, path) {
			seen[key] = val
		}
	}
	want := f.query("SELECT target_id, period, decided, within_target, period_end FROM scorecard WHERE plan = '2024'")
	if len(seen) != len(want) || len(want) != 3*17 {
		t.Fatalf("parquet-go read %d rows, the view has %d", len(seen), len(want))
	}
	for _, r := range want {
		key := fmt.Sprint(r["target_id"], " ", r["period"])
		exp := fmt.Sprint(r["decided"], " ", r["within_target"], " ", r["period_end"].(time.Time).Format(period.DateLayout))
		if seen[key] != exp {
			t.Errorf("%s: parquet-go %q, view %q", key, seen[key], exp)
		}
	}
}

// readColumns reads the named columns of a Parquet file with xitongsys/parquet-go, each
// with as many values as the file has rows.
func readColumns(t *testing.T, path string, names ...string) [][]any {
	t.Helper()
	fr, err := local.NewLocalFileReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fr.Close()
	pr, err := reader.NewParquetColumnReader(fr, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer pr.ReadStop()
	n := int64(pr.GetNumRows())
	out := make([][]any, len(names))
	for i, name := range names {
		vals, _, _, err := pr.ReadColumnByPath(pr.SchemaHandler.GetRootExName()+"\x01"+name, n)
		if err != nil || int64(len(vals)) != n {
			t.Fatalf("%s column %s: %d values of %d (%v)", path, name, len(vals), n, err)
		}
		out[i] = vals
	}
	return out
}

// readScorecardFile returns "target period" -> "decided within period_end" for one file.
func readScorecardFile(t *testing.T, path string) map[string]string {
	t.Helper()
	c := readColumns(t, path, "target_id", "period", "decided", "within_target", "period_end")
	ids, periods, decided, within, ends := c[0], c[1], c[2], c[3], c[4]
	out := map[string]string{}
	for i := range ids {
		end := time.Unix(int64(ends[i].(int32))*86400, 0).UTC().Format(period.DateLayout)
		out[fmt.Sprint(ids[i], " ", periods[i])] = fmt.Sprint(decided[i], " ", within[i], " ", end)
	}
	return out
}

// TestCasesOpenInAnotherReader reads the largest cases partition of 30,000 generated cases,
// too many distinct ids and dates for dictionaries, so that its text and integer columns are
// written in format V2's delta encodings, with xitongsys/parquet-go, and compares it with the
// view.
func TestCasesOpenInAnotherReader(t *testing.T) {
	var csvData bytes.Buffer
	opts := synth.Options{Cases: 30000, Year: 2024, Seed: 7, Today: time.Date(2025, 1, 31, 12, 0, 0, 0, time.UTC)}
	if _, err := synth.Write(&csvData, opts); err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, "plans: [2024]\nsources:\n  - {name: export, kind: csv, path: cases.csv}\n",
		map[string]string{"cases.csv": csvData.String()})
	f.run("2025-01-31")
	largest := f.query(`SELECT filename, count(*) AS n
		FROM read_parquet(getvariable('lake') || '/cases/*/*.parquet', filename = true)
		GROUP BY ALL ORDER BY n DESC LIMIT 1`)[0]
	path := largest["filename"].(string)
	encodings := f.query(fmt.Sprintf(`SELECT path_in_schema AS col, list_sort(list_distinct(flatten(list(string_split(encodings, ', '))))) AS enc
		FROM parquet_metadata(%s) WHERE path_in_schema IN ('case_id', 'submitted_at', 'source_row') GROUP BY ALL ORDER BY col`, engine.Quote(path)))
	if got := fmt.Sprint(encodings); got != "[map[col:case_id enc:[DELTA_LENGTH_BYTE_ARRAY]] map[col:source_row enc:[DELTA_BINARY_PACKED]] map[col:submitted_at enc:[DELTA_LENGTH_BYTE_ARRAY]]]" {
		t.Fatalf("%s: encodings %s, want format V2's delta encodings", path, got)
	}

	c := readColumns(t, path, "case_id", "submitted_at", "decided_at", "updated_at", "source_row")
	ids, submitted, decided, updated, rows := c[0], c[1], c[2], c[3], c[4]
	seen := map[string]string{}
	for i := range ids {
		seen[ids[i].(string)] = fmt.Sprint(submitted[i], " ", decided[i], " ", updated[i], " ", rows[i])
	}
	quarter := strings.TrimPrefix(filepath.Base(filepath.Dir(path)), "decided_quarter=")
	want := f.query(fmt.Sprintf(`SELECT case_id, submitted_at, decided_at, epoch_us(updated_at) AS updated, source_row
		FROM cases WHERE sc_quarter(decided_date) = %s`, engine.Quote(quarter)))
	if len(want) < 4097 || len(seen) != len(want) {
		t.Fatalf("%s: parquet-go read %d cases, the view has %d (more than the dictionary limit wanted)", path, len(seen), len(want))
	}
	for _, r := range want {
		exp := fmt.Sprint(r["submitted_at"], " ", r["decided_at"], " ", r["updated"], " ", r["source_row"])
		if got := seen[r["case_id"].(string)]; got != exp {
			t.Errorf("case %s: parquet-go %q, view %q", r["case_id"], got, exp)
		}
	}
}

// Command scorecard-bench measures the pipeline against plain DuckDB on the same generated
// data (`make bench`): full runs at each size, a nightly incremental run and a quarter backfill
// at the largest, each with wall time, rows per second and peak RSS, and beside them a baseline
// that only turns the CSV into Parquet and computes the shares with one query per plan. Then
// the regular-export shape (-regular): one file whose stamps are all YYYY-MM-DDTHH:MM:SSZ,
// booleans true/false and no updated_at, as psql's \copy writes it, run with the default
// config against the baseline on the same file.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	if len(os.Args) > 1 {
		sub := map[string]func([]string) error{"baseline": baseline, "extract": extract, "daily": daily}[os.Args[1]]
		if sub != nil {
			if err := sub(os.Args[2:]); err != nil {
				fmt.Fprintln(os.Stderr, os.Args[1]+":", err)
				os.Exit(1)
			}
			return
		}
	}
	bin := flag.String("bin", "bin/scorecard", "the scorecard binary")
	dir := flag.String("dir", "fixtures/bench", "where the generated data and lakes live (ignored by git)")
	sizes := flag.String("sizes", "1000000,10000000", "case counts of the mixed-format yearly files, comma separated; empty: none")
	regular := flag.String("regular", "3000000,10000000", "case counts of the regular export (one file, UTC ISO stamps), comma separated; empty: none")
	repeat := flag.Int("repeat", 3, "times each scenario is measured (its median is reported)")
	flag.Parse()
	if *repeat < 1 {
		fmt.Fprintln(os.Stderr, "bench: -repeat must be at least 1")
		os.Exit(2)
	}
	if err := bench(*bin, *dir, *sizes, *regular, *repeat); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// result is one scenario: the median wall time of its measurements, the range they spanned
// and the highest peak RSS of any.
type result struct {
	name             string
	rows             int64
	wall             time.Duration
	fastest, slowest time.Duration
	rssKB            int64
}

// scenario is a command measured repeat times; before runs untimed ahead of each measurement
// (to put the lake back in the state the command starts from).
type scenario struct {
	name   string
	rows   int64
	bin    string
	args   []string
	before func() error
}

// This machine's speed drifts by a third within minutes, so each scenario is measured several
// times and its median reported, and a full run's measurements alternate with its baseline's,
// so that a slow spell weighs on both.
func bench(bin, dir, sizes, regular string, repeat int) error {
	var results []result
	ratios := map[string]float64{} // a full run's name: its wall time over its baseline's
	var largest int
	var largestFull result
	self, err := os.Executable()
	if err != nil {
		return err
	}
	mixed, err := parseSizes(sizes)
	if err != nil {
		return fmt.Errorf("-sizes: %w", err)
	}
	regulars, err := parseSizes(regular)
	if err != nil {
		return fmt.Errorf("-regular: %w", err)
	}
	for _, n := range mixed {
		ws, err := prepare(bin, dir, n)
		if err != nil {
			return err
		}
		rows, err := countRows(filepath.Join(ws, "cases-*.csv"))
		if err != nil {
			return err
		}
		lake := filepath.Join(ws, "lake")
		measured, err := measureAlternately(repeat,
			scenario{name: fmt.Sprintf("baseline %s", human(n)), rows: rows, bin: self,
				args: []string{"baseline", "--csv", filepath.Join(ws, "cases-*.csv"), "--out", filepath.Join(ws, "baseline.parquet")}},
			scenario{name: fmt.Sprintf("full run %s", human(n)), rows: rows, bin: bin,
				args:   []string{"run", "--config", filepath.Join(ws, "scorecard.yaml"), "--as-of", "2025-01-31"},
				before: func() error { return os.RemoveAll(lake) }})
		if err != nil {
			return err
		}
		results = append(results, measured...)
		ratios[measured[1].name] = measured[1].wall.Seconds() / measured[0].wall.Seconds()
		largest, largestFull = n, measured[1]
	}
	if largest > 0 {
		measured, err := incremental(bin, dir, largest, largestFull.rows, repeat)
		if err != nil {
			return err
		}
		results = append(results, measured...)
	}
	var largestReg int
	var largestRegular result
	for _, n := range regulars {
		measured, err := regularExport(bin, self, dir, n, repeat)
		if err != nil {
			return err
		}
		results = append(results, measured...)
		ratios[measured[1].name] = measured[1].wall.Seconds() / measured[0].wall.Seconds()
		largestReg, largestRegular = n, measured[1]
	}
	if largestRegular.name != "" {
		measured, err := regularNightly(bin, dir, largestReg, repeat)
		if err != nil {
			return err
		}
		results = append(results, measured...)
	}
	report(results, ratios, largestFull, largestRegular)
	return nil
}

// parseSizes reads a comma-separated list of case counts; empty is none.
func parseSizes(list string) ([]int, error) {
	var out []int
	for _, s := range strings.Split(list, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 10 {
			return nil, fmt.Errorf("%q is not a case count", s)
		}
		out = append(out, n)
	}
	return out, nil
}

// regularExport measures the regular export of n cases: a full run with the default config
// against the baseline reading the same file, alternately.
func regularExport(bin, self, dir string, n, repeat int) ([]result, error) {
	ws, err := prepareRegular(bin, dir, n)
	if err != nil {
		return nil, err
	}
	file := filepath.Join(ws, regularName)
	rows, err := countRows(file)
	if err != nil {
		return nil, err
	}
	// A day's file of an earlier bench would be landed by the full run.
	if err := os.Remove(filepath.Join(ws, regularDailyName)); err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	lake := filepath.Join(ws, "lake")
	return measureAlternately(repeat,
		scenario{name: fmt.Sprintf("baseline regular %s", human(n)), rows: rows, bin: self,
			args: []string{"baseline", "--regular", "--csv", file, "--out", filepath.Join(ws, "baseline.parquet")}},
		scenario{name: fmt.Sprintf("full run regular %s", human(n)), rows: rows, bin: bin,
			args:   []string{"run", "--config", filepath.Join(ws, "scorecard.yaml"), "--as-of", regularAsOf},
			before: func() error { return os.RemoveAll(lake) }})
}

// regularName is the one file of the regular export; regularDailyName the day's file the
// nightly run lands beside it (the source's path matches both).
const (
	regularName      = "cases.csv"
	regularDailyName = "cases-daily.csv"
)

// prepareRegular generates the regular export of n cases once, ten years of history in one
// file, and writes the config: the defaults (no duckdb settings, no quarantine limit raised).
func prepareRegular(bin, dir string, n int) (string, error) {
	ws := filepath.Join(dir, "regular-"+strconv.Itoa(n))
	if err := os.MkdirAll(ws, 0o755); err != nil {
		return "", err
	}
	out := filepath.Join(ws, regularName)
	if _, err := os.Stat(out); os.IsNotExist(err) {
		gen := exec.Command(bin, "generate", "--format", "regular", "--cases", strconv.Itoa(n),
			"--years", "2015-2024", "--seed", "2015", "--today", "2025-01-31", "--out", out)
		if b, err := gen.CombinedOutput(); err != nil {
			return "", fmt.Errorf("generating %s: %w\n%s", out, err, b)
		}
	} else if err != nil {
		return "", err
	}
	config := `lake: ./lake
plans: [2020, 2024]
sources:
  - {name: export, kind: csv, path: 'cases*.csv'}
`
	return ws, os.WriteFile(filepath.Join(ws, "scorecard.yaml"), []byte(config), 0o644)
}

// keepFullLake copies the lake a full run left in workspace ws, so that each incremental run
// starts from it: restore puts the copy back, cleanup removes it.
func keepFullLake(ws string) (restore, cleanup func() error, err error) {
	lake, fullLake := filepath.Join(ws, "lake"), filepath.Join(ws, "lake-full")
	if err := os.RemoveAll(fullLake); err != nil {
		return nil, nil, err
	}
	if err := copyTree(lake, fullLake); err != nil {
		return nil, nil, err
	}
	restore = func() error {
		if err := os.RemoveAll(lake); err != nil {
			return err
		}
		return copyTree(fullLake, lake)
	}
	return restore, func() error { return os.RemoveAll(fullLake) }, nil
}

// incremental measures, on the largest mixed history, a nightly run and a quarter backfill.
func incremental(bin, dir string, largest int, fullRows int64, repeat int) ([]result, error) {
	var results []result
	ws := workspace(dir, largest)
	daily, err := nightlyFile(bin, ws)
	if err != nil {
		return nil, err
	}
	// Each nightly run starts from the lake the full run left: a copy of it is put back first.
	restore, cleanup, err := keepFullLake(ws)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	config := filepath.Join(ws, "scorecard.yaml")
	for _, sc := range []scenario{
		{name: fmt.Sprintf("nightly +%s on %s", human(10000), human(largest)), rows: daily, bin: bin,
			args: []string{"run", "--config", config, "--as-of", "2025-01-31"}, before: restore},
		// on the lake of the last nightly run, which a backfill leaves as it found it
		{name: fmt.Sprintf("backfill 2024Q2 on %s", human(largest)), rows: fullRows, bin: bin,
			args: []string{"backfill", "--config", config, "--quarter", "2024Q2", "--as-of", "2025-01-31"}},
	} {
		measured, err := measureAlternately(repeat, sc)
		if err != nil {
			return nil, err
		}
		results = append(results, measured...)
	}
	return results, nil
}

// measureAlternately measures each scenario repeat times, one of each in turn.
func measureAlternately(repeat int, scenarios ...scenario) ([]result, error) {
	walls := make([][]time.Duration, len(scenarios))
	out := make([]result, len(scenarios))
	for range repeat {
		for i, sc := range scenarios {
			if sc.before != nil {
				if err := sc.before(); err != nil {
					return nil, fmt.Errorf("%s: %w", sc.name, err)
				}
			}
			m, err := measure(sc.name, sc.rows, sc.bin, sc.args...)
			if err != nil {
				return nil, err
			}
			walls[i] = append(walls[i], m.wall)
			out[i].rssKB = max(out[i].rssKB, m.rssKB)
		}
	}
	for i, sc := range scenarios {
		slices.Sort(walls[i])
		out[i].name, out[i].rows = sc.name, sc.rows
		out[i].wall = walls[i][len(walls[i])/2]
		out[i].fastest, out[i].slowest = walls[i][0], walls[i][len(walls[i])-1]
	}
	return out, nil
}

// copyTree copies a lake with its symlinks as they are (cp -a): its files are immutable once
// published, but a run takes its lock file in place.
func copyTree(src, dst string) error {
	if b, err := exec.Command("cp", "-a", src, dst).CombinedOutput(); err != nil {
		return fmt.Errorf("copying %s: %w\n%s", src, err, b)
	}
	return nil
}

// measure runs a command, timing it and reading its peak RSS from the kernel's accounting.
// The disk is synced first, untimed, so that no command pays for writing back what the one
// before it left in the page cache (the baseline's Parquet copy, which it does not sync).
func measure(name string, rows int64, bin string, args ...string) (result, error) {
	syscall.Sync()
	cmd := exec.Command(bin, args...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = nil, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return result{}, fmt.Errorf("%s: %w\n%s", name, err, tail(stderr.String()))
	}
	wall := time.Since(start)
	usage := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	fmt.Fprintf(os.Stderr, "%-28s %8.2f s\n", name, wall.Seconds())
	return result{name: name, rows: rows, wall: wall, rssKB: usage.Maxrss}, nil
}

func report(results []result, ratios map[string]float64, largestFull, largestRegular result) {
	fmt.Println("| scenario | rows | wall s (median) | range s | rows/s | peak RSS MiB | ratio |")
	fmt.Println("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
	for _, r := range results {
		ratio := ""
		if x, ok := ratios[r.name]; ok {
			ratio = fmt.Sprintf("%.2f x baseline", x)
		}
		if strings.HasPrefix(r.name, "nightly") || strings.HasPrefix(r.name, "backfill") {
			ratio = fmt.Sprintf("%.1f%% of the full run", 100*r.wall.Seconds()/largestFull.wall.Seconds())
		}
		if strings.Contains(r.name, "regular") && !strings.HasPrefix(r.name, "baseline") && !strings.HasPrefix(r.name, "full") {
			ratio = fmt.Sprintf("%.1f%% of the full run", 100*r.wall.Seconds()/largestRegular.wall.Seconds())
		}
		fmt.Printf("| %s | %d | %.2f | %.2f-%.2f | %.0f | %d | %s |\n", r.name, r.rows, r.wall.Seconds(),
			r.fastest.Seconds(), r.slowest.Seconds(), float64(r.rows)/r.wall.Seconds(), r.rssKB/1024, ratio)
	}
}

func workspace(dir string, n int) string { return filepath.Join(dir, strconv.Itoa(n)) }

// prepare generates ten years of history (n cases in all) once, and writes the config.
func prepare(bin, dir string, n int) (string, error) {
	ws := workspace(dir, n)
	if err := os.MkdirAll(ws, 0o755); err != nil {
		return "", err
	}
	// The nightly file of an earlier bench would be landed by the full run and leave the
	// nightly run nothing to do.
	if err := os.Remove(filepath.Join(ws, nightlyName)); err != nil && !os.IsNotExist(err) {
		return "", err
	}
	for year := 2015; year <= 2024; year++ {
		out := filepath.Join(ws, fmt.Sprintf("cases-%d.csv", year))
		if _, err := os.Stat(out); err == nil {
			continue
		}
		gen := exec.Command(bin, "generate", "--cases", strconv.Itoa(n/10), "--year", strconv.Itoa(year),
			"--seed", strconv.Itoa(year), "--today", "2025-01-31", "--out", out)
		if b, err := gen.CombinedOutput(); err != nil {
			return "", fmt.Errorf("generating %s: %w\n%s", out, err, b)
		}
	}
	config := `lake: ./lake
plans: [2020, 2024]
max_quarantine_pct: 100
sources:
  - {name: export, kind: csv, path: 'cases-*.csv'}
duckdb: {threads: 2, memory_limit: 1200MB}
`
	return ws, os.WriteFile(filepath.Join(ws, "scorecard.yaml"), []byte(config), 0o644)
}

// nightlyName is the day's export the nightly run lands.
const nightlyName = "cases-2025-daily.csv"

// nightlyFile adds a day's export of 10,000 cases to the largest history.
func nightlyFile(bin, ws string) (int64, error) {
	out := filepath.Join(ws, nightlyName)
	gen := exec.Command(bin, "generate", "--cases", "10000", "--year", "2025", "--seed", "2025",
		"--today", "2025-01-31", "--out", out)
	if b, err := gen.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("generating %s: %w\n%s", out, err, b)
	}
	return countRows(out)
}

// countRows counts the data lines of the files matching a glob.
func countRows(glob string) (int64, error) {
	files, err := filepath.Glob(glob)
	if err != nil {
		return 0, err
	}
	var n int64
	for _, f := range files {
		file, err := os.Open(f)
		if err != nil {
			return 0, err
		}
		s := bufio.NewScanner(file)
		s.Buffer(make([]byte, 1<<20), 1<<20)
		for s.Scan() {
			n++
		}
		file.Close()
		n-- // the header
	}
	return n, nil
}

func human(n int) string {
	switch {
	case n >= 1_000_000:
		return fmt.Sprintf("%dM", n/1_000_000)
	case n >= 1000:
		return fmt.Sprintf("%dk", n/1000)
	}
	return strconv.Itoa(n)
}

func tail(s string) string {
	if len(s) > 2000 {
		return s[len(s)-2000:]
	}
	return s
}

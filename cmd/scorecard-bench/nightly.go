package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The regular export's nightly: the full run was made as of regularAsOf; the next night's run
// is as of the day after, with the day's file beside the history.
const (
	regularAsOf      = "2025-01-31"
	regularNextAsOf  = "2025-02-01"
	dailyNew         = 8000 // cases submitted in the 30 days up to the next as-of date
	dailyUpdated     = 2000 // open cases of the history, decided on the next as-of date
	dailyUpdatedFrom = 31   // days before the next as-of date: the updated cases are older
)

// regularNightly measures, on the lake of the largest regular export's full run, the nightly
// run that lands a day's file (writeRegularDaily), then a run with no new file on the lake it
// left (the same as-of date: nothing to land, nothing to recompute).
func regularNightly(bin, dir string, n, repeat int) ([]result, error) {
	ws := filepath.Join(dir, "regular-"+fmt.Sprint(n))
	daily := filepath.Join(ws, regularDailyName)
	if err := writeRegularDaily(filepath.Join(ws, regularName), daily); err != nil {
		return nil, err
	}
	defer os.Remove(daily) // the next bench's full run must not land it
	rows, err := countRows(daily)
	if err != nil {
		return nil, err
	}
	restore, cleanup, err := keepFullLake(ws)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	config := filepath.Join(ws, "scorecard.yaml")
	args := []string{"run", "--config", config, "--as-of", regularNextAsOf}
	var results []result
	for _, sc := range []scenario{
		{name: fmt.Sprintf("nightly regular +%s on %s", human(int(rows)), human(n)), rows: rows, bin: bin,
			args: args, before: restore},
		// on the lake of the last nightly run: the same as-of date, no new file
		{name: fmt.Sprintf("no new file regular on %s", human(n)), bin: bin, args: args},
	} {
		measured, err := measureAlternately(repeat, sc)
		if err != nil {
			return nil, err
		}
		results = append(results, measured...)
	}
	return results, nil
}

// writeRegularDaily writes a regular export's day's file for the night after the full run:
// dailyNew new cases submitted in the 30 days up to regularNextAsOf, half of them decided on
// that day and half open, and dailyUpdated open cases of the history submitted at least
// dailyUpdatedFrom days before it, now decided on that day. Deterministic: the same history
// gives the same file.
func writeRegularDaily(history, out string) error {
	asOf, err := time.Parse(time.DateOnly, regularNextAsOf)
	if err != nil {
		return err
	}
	header, open, err := openCases(history, asOf.AddDate(0, 0, -dailyUpdatedFrom))
	if err != nil {
		return err
	}
	if len(open) < dailyUpdated {
		return fmt.Errorf("%s: %d open cases, fewer than the %d a day's file updates", history, len(open), dailyUpdated)
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, header)
	rng := rand.New(rand.NewPCG(2025, 2))
	// (decided on the as-of date, between 12:00 and 15:00 UTC: 13:00 to 16:00 in Copenhagen)
	decided := func() time.Time { return asOf.Add(12*time.Hour + time.Duration(rng.IntN(3*3600))*time.Second) }
	stamp := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }
	first := asOf.AddDate(0, 0, -29).Add(-time.Hour) // local midnight, 30 days before
	for i := range dailyNew {
		// submitted before 12:00 UTC of the as-of date, so before any decision of that day
		submitted := first.Add(time.Duration(rng.Int64N(int64(asOf.Add(12 * time.Hour).Sub(first)))))
		decidedAt := ""
		if i%2 == 0 {
			decidedAt = stamp(decided())
		}
		fmt.Fprintf(w, "SIRI-D%s-%06d,%s,%t,%t,%t,%s,%s\n", regularNextAsOf, i+1, dailyCaseType(rng),
			rng.IntN(10) < 8, rng.IntN(10) < 1, rng.IntN(50) > 0, stamp(submitted), decidedAt)
	}
	step := len(open) / dailyUpdated
	for i := range dailyUpdated {
		fmt.Fprintf(w, "%s%s\n", open[i*step], stamp(decided()))
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// openCases reads the header and the open cases submitted before a day (each line without its
// empty decided_at, the last cell) of a regular export.
func openCases(path string, before time.Time) (string, []string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	s.Buffer(make([]byte, 1<<20), 1<<20)
	var header string
	var open []string
	limit := before.Format("2006-01-02")
	for s.Scan() {
		line := s.Text()
		if header == "" {
			header = line
			continue
		}
		if !strings.HasSuffix(line, ",") {
			continue
		}
		cells := strings.Split(line, ",")
		if len(cells) == 7 && cells[5] < limit {
			open = append(open, line)
		}
	}
	return header, open, s.Err()
}

// dailyCaseType draws a case type in about the proportions of the generated history.
func dailyCaseType(rng *rand.Rand) string {
	types := []struct {
		slug   string
		weight int
	}{
		{"eu_ophold", 28}, {"studie", 21}, {"beloebsordning", 10}, {"medfoelgende_familie_erhverv", 10},
		{"fasttrack", 7}, {"eu_familie", 7}, {"positivliste", 5}, {"praktikant", 3}, {"au_pair", 2},
		{"loenarbejde", 2}, {"landbrug", 2}, {"phd", 1}, {"forskerordning", 1},
	}
	total := 0
	for _, t := range types {
		total += t.weight
	}
	x := rng.IntN(total)
	for _, t := range types {
		if x -= t.weight; x < 0 {
			return t.slug
		}
	}
	return types[0].slug
}

// daily writes a regular export's day's file (writeRegularDaily) from the history it follows:
// scorecard-bench daily --history cases.csv --out cases-daily.csv
func daily(args []string) error {
	fs := flag.NewFlagSet("daily", flag.ContinueOnError)
	history := fs.String("history", "", "the regular export the full run landed")
	out := fs.String("out", "", "the day's file to write")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *history == "" || *out == "" {
		return errors.New("--history and --out are required")
	}
	return writeRegularDaily(*history, *out)
}

package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"scorecard/fixtures/synth"
	"scorecard/pipeline"
)

func newGenerateCommand() *cobra.Command {
	var (
		cases, year           int
		seed                  uint64
		out, today, tz, years string
		steady                bool
	)
	cmd := &cobra.Command{
		Use:   "generate --cases N (--year YYYY | --years YYYY-YYYY) [--seed S] --out FILE.csv",
		Short: "Write realistic synthetic case records as CSV (demo, tests, benchmarks)",
		Long: "Write realistic synthetic case records as CSV (demo, tests, benchmarks).\n\n" +
			"--year gives the cases of one year. --years FROM-TO gives a history to backtest the\n" +
			"forecast on: N cases over the years, arriving by season (students in the summer), a\n" +
			"period of low capacity from July of the year before the last that builds a backlog\n" +
			"and clears it, in-target shares that drift (fast-track falls across 85 %), and growth.\n" +
			"--steady keeps capacity and shares steady: a history with known rates.",
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			from, err := yearRange(years, &year)
			if err != nil {
				return err
			}
			if cases <= 0 || year == 0 || out == "" {
				return usageError{fmt.Errorf("--cases N (> 0), --year YYYY (or --years YYYY-YYYY) and --out FILE are required")}
			}
			loc, err := time.LoadLocation(tz)
			if err != nil {
				return usageError{fmt.Errorf("--timezone: %w", err)}
			}
			day := pipeline.LocalDate(time.Now(), loc)
			if today != "" {
				if day, err = pipeline.ParseDate(today); err != nil {
					return usageError{fmt.Errorf("--today: %w", err)}
				}
			}
			if steady && from == 0 {
				return usageError{fmt.Errorf("--steady goes with --years")}
			}
			opts := synth.Options{Cases: cases, Year: year, FromYear: from, Steady: steady, Seed: seed, Location: loc,
				Today: time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc)}
			stats, err := writeCases(out, opts)
			if errors.Is(err, synth.ErrOptions) {
				return usageError{err} // options the generator refuses: exit 2, as its errors.go says
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %d rows (%d cases, %d pending, %d duplicates, %d bad)\n",
				out, stats.Rows, stats.Cases, stats.Pending, stats.Duplicates, stats.Bad)
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&cases, "cases", 0, "number of cases")
	f.IntVar(&year, "year", 0, "the year most decisions fall in")
	f.StringVar(&years, "years", "", "FROM-TO: a history of several years, e.g. 2021-2024 (instead of --year)")
	f.BoolVar(&steady, "steady", false, "with --years: no backlog and no drift, the in-target shares known and steady")
	f.Uint64Var(&seed, "seed", 1, "random seed: the same seed gives the same file")
	f.StringVar(&out, "out", "", "the CSV file to write")
	f.StringVar(&today, "today", "", "the generation day YYYY-MM-DD: nothing valid lies after it (default: today)")
	f.StringVar(&tz, "timezone", pipeline.DefaultTimezone, "the zone of local timestamps")
	return cmd
}

// writeCases writes to a temporary file and renames it, so a failed run leaves no half file.
func writeCases(path string, opts synth.Options) (synth.Stats, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".generate-*.csv")
	if err != nil {
		return synth.Stats{}, err
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriterSize(tmp, 1<<20)
	stats, err := synth.Write(w, opts)
	if err == nil {
		err = w.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644) // CreateTemp makes it private; a case export is not
	}
	if err != nil {
		return stats, fmt.Errorf("writing %s: %w", path, err)
	}
	return stats, os.Rename(tmp.Name(), path)
}

// yearRange reads --years FROM-TO into the last year (set in *year) and returns the first;
// with no --years it returns 0 and leaves *year as --year set it.
func yearRange(years string, year *int) (int, error) {
	if years == "" {
		return 0, nil
	}
	if *year != 0 {
		return 0, usageError{fmt.Errorf("--year and --years exclude each other")}
	}
	a, b, ok := strings.Cut(years, "-")
	from, err1 := strconv.Atoi(a)
	to, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || from > to {
		return 0, usageError{fmt.Errorf("--years %q is not FROM-TO, e.g. 2021-2024", years)}
	}
	*year = to
	return from, nil
}

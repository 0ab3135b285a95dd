package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"scorecard/fixtures/synth"
	"scorecard/pipeline"
)

func newGenerateCommand() *cobra.Command {
	var (
		cases, year    int
		seed           uint64
		out, today, tz string
	)
	cmd := &cobra.Command{
		Use:   "generate --cases N --year YYYY [--seed S] --out FILE.csv",
		Short: "Write realistic synthetic case records as CSV (demo, tests, benchmarks)",
		Args:  argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cases <= 0 || year == 0 || out == "" {
				return usageError{fmt.Errorf("--cases N (> 0), --year YYYY and --out FILE are required")}
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
			opts := synth.Options{Cases: cases, Year: year, Seed: seed, Location: loc,
				Today: time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc)}
			stats, err := writeCases(out, opts)
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

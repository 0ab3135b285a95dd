package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"scorecard/fixtures/synth"
	"scorecard/pipeline/config"
	"scorecard/pipeline/period"
)

// generateFlags are the flags of scorecard generate.
type generateFlags struct {
	dataset               string
	cases, year, sites    int
	seed                  uint64
	out, today, tz, years string
	format                string
	steady                bool
}

func newGenerateCommand() *cobra.Command {
	var fl generateFlags
	cmd := &cobra.Command{
		Use: "generate --cases N (--year YYYY | --years YYYY-YYYY) [--seed S] --out FILE.csv\n" +
			"  scorecard generate --dataset appointments --year YYYY [--sites N] [--seed S] --out FILE.csv",
		Short: "Write realistic synthetic case records or appointment snapshots as CSV (demo, tests, benchmarks)",
		Long: "Write realistic synthetic case records, or appointment snapshots, as CSV (demo, tests,\n" +
			"benchmarks).\n\n" +
			"--year gives the cases of one year. --years FROM-TO gives a history to backtest the\n" +
			"forecast on: N cases over the years, arriving by season (students in the summer), a\n" +
			"period of low capacity from July of the year before the last that builds a backlog\n" +
			"and clears it, in-target shares that drift (fast-track falls across 85 %), and growth.\n" +
			"--steady keeps capacity and shares steady: a history with known rates.\n\n" +
			"--dataset appointments writes the appointments dataset instead (SPEC §9, header\n" +
			"snapshot_at,site,next_free_at): every day of --year, one to three snapshots a day of\n" +
			"each of --sites sites (default 3: koebenhavn, aarhus, odense) in office hours, local\n" +
			"time with its offset, and the date of the next free biometrics appointment. Waits are\n" +
			"longer in summer and just after public holidays and differ by site; some days a site\n" +
			"has no snapshot, and a few weekdays none has. --cases does not apply.\n\n" +
			"--format regular writes the cases as a regular export does (psql \\copy of a table): every\n" +
			"submitted_at/decided_at as YYYY-MM-DDTHH:MM:SSZ in UTC (decided_at empty for open cases),\n" +
			"booleans true/false, no updated_at column, no bad or duplicate rows; the same cases as\n" +
			"the default --format mixed, whose dates mix five formats and booleans several spellings.",
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			day, loc, err := fl.todayIn()
			if err != nil {
				return err
			}
			today := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc)
			switch fl.dataset {
			case "cases":
				return fl.generateCases(cmd, today, loc)
			case "appointments":
				return fl.generateAppointments(cmd, today, loc)
			}
			return usageError{fmt.Errorf("--dataset %q is not one of cases, appointments", fl.dataset)}
		},
	}
	f := cmd.Flags()
	f.StringVar(&fl.dataset, "dataset", "cases", "what to generate: cases or appointments")
	f.IntVar(&fl.cases, "cases", 0, "number of cases")
	f.IntVar(&fl.year, "year", 0, "the year most decisions fall in (appointments: the year of the snapshots)")
	f.StringVar(&fl.years, "years", "", "FROM-TO: a history of several years, e.g. 2021-2024 (instead of --year)")
	f.BoolVar(&fl.steady, "steady", false, "with --years: no backlog and no drift, the in-target shares known and steady")
	f.IntVar(&fl.sites, "sites", 0, fmt.Sprintf("with --dataset appointments: number of sites, 1-%d (default 3)", len(synth.DefaultSites())))
	f.Uint64Var(&fl.seed, "seed", 1, "random seed: the same seed gives the same file")
	f.StringVar(&fl.out, "out", "", "the CSV file to write")
	f.StringVar(&fl.format, "format", "mixed", "cases: mixed (dates in five formats, bad and duplicate rows) or regular (UTC ISO stamps, true/false, no updated_at)")
	f.StringVar(&fl.today, "today", "", "the generation day YYYY-MM-DD: nothing valid lies after it (default: today)")
	f.StringVar(&fl.tz, "timezone", config.DefaultTimezone, "the zone of local timestamps")
	return cmd
}

// todayIn reads --timezone and --today: the generation day and the zone.
func (fl *generateFlags) todayIn() (time.Time, *time.Location, error) {
	loc, err := time.LoadLocation(fl.tz)
	if err != nil {
		return time.Time{}, nil, usageError{fmt.Errorf("--timezone: %w", err)}
	}
	day := period.LocalDate(time.Now(), loc)
	if fl.today != "" {
		if day, err = period.ParseDate(fl.today); err != nil {
			return time.Time{}, nil, usageError{fmt.Errorf("--today: %w", err)}
		}
	}
	return day, loc, nil
}

func (fl *generateFlags) generateCases(cmd *cobra.Command, today time.Time, loc *time.Location) error {
	from, err := yearRange(fl.years, &fl.year)
	if err != nil {
		return err
	}
	if fl.cases <= 0 || fl.year == 0 || fl.out == "" {
		return usageError{fmt.Errorf("--cases N (> 0), --year YYYY (or --years YYYY-YYYY) and --out FILE are required")}
	}
	if fl.steady && from == 0 {
		return usageError{fmt.Errorf("--steady goes with --years")}
	}
	if fl.sites != 0 {
		return usageError{fmt.Errorf("--sites goes with --dataset appointments")}
	}
	if fl.format != "mixed" && fl.format != "regular" {
		return usageError{fmt.Errorf("--format %q is not one of mixed, regular", fl.format)}
	}
	opts := synth.Options{Cases: fl.cases, Year: fl.year, FromYear: from, Steady: fl.steady, Seed: fl.seed,
		Location: loc, Today: today, Regular: fl.format == "regular"}
	var stats synth.Stats
	err = writeAtomic(fl.out, func(w io.Writer) (err error) {
		stats, err = synth.Write(w, opts)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%s: %d rows (%d cases, %d pending, %d duplicates, %d bad)\n",
		fl.out, stats.Rows, stats.Cases, stats.Pending, stats.Duplicates, stats.Bad)
	return nil
}

func (fl *generateFlags) generateAppointments(cmd *cobra.Command, today time.Time, loc *time.Location) error {
	if fl.cases != 0 || fl.years != "" || fl.steady || fl.format != "mixed" {
		return usageError{fmt.Errorf("--cases, --years, --steady and --format go with --dataset cases")}
	}
	if fl.year == 0 || fl.out == "" {
		return usageError{fmt.Errorf("--year YYYY and --out FILE are required")}
	}
	opts := synth.AppointmentOptions{Year: fl.year, Seed: fl.seed, Location: loc, Today: today}
	if fl.sites != 0 {
		all := synth.DefaultSites()
		if fl.sites < 0 || fl.sites > len(all) {
			return usageError{fmt.Errorf("--sites %d is not in 1-%d", fl.sites, len(all))}
		}
		opts.Sites = all[:fl.sites]
	}
	var stats synth.AppointmentStats
	err := writeAtomic(fl.out, func(w io.Writer) (err error) {
		stats, err = synth.WriteAppointments(w, opts)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%s: %d rows (%d days with snapshots, %d site-days without, %d weekdays without any)\n",
		fl.out, stats.Rows, stats.Days, stats.SiteGaps, stats.Outages)
	return nil
}

// writeAtomic runs write into a temporary file and renames it to path, so a failed run leaves
// no half file. Options the generator refuses are bad usage: exit 2, as its errors.go says.
func writeAtomic(path string, write func(io.Writer) error) error {
	err := writeFile(path, write)
	if errors.Is(err, synth.ErrOptions) {
		return usageError{err}
	}
	return err
}

// writeFile writes to a temporary file and renames it, so a failed run leaves no half file.
func writeFile(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".generate-*.csv")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriterSize(tmp, 1<<20)
	err = write(w)
	if err == nil {
		err = w.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644) // CreateTemp makes it private; an export is not
	}
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return os.Rename(tmp.Name(), path)
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

package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"

	"scorecard/pipeline"
	"scorecard/pipeline/config"
	"scorecard/pipeline/period"
	"scorecard/pipeline/runstate"
	"scorecard/rules"
)

func newRunCommand(log zerolog.Logger) *cobra.Command {
	var configPath, asOf string
	var full, allowShrink bool
	cmd := &cobra.Command{
		Use:   "run --config FILE [--as-of DATE] [--full] [--allow-shrink]",
		Short: "Land new source files, curate, compute and publish the scorecard (the nightly job)",
		Args:  argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runPipeline(cmd, log, configPath, asOf, nil, runFlags{full: full, allowShrink: allowShrink})
		},
	}
	cmd.Flags().StringVar(&configPath, "config", "", "config file (YAML)")
	cmd.Flags().StringVar(&asOf, "as-of", "", "what is known: decisions after this date count as pending (default: yesterday, local)")
	cmd.Flags().BoolVar(&full, "full", false, "land every file again: a snapshot source is rebuilt from its files, a delta source merges them (its cases of files gone stay)")
	cmd.Flags().BoolVar(&allowShrink, "allow-shrink", false, "accept a run that removes more than max_shrink_pct of a source's published cases")
	return cmd
}

func newBackfillCommand(log zerolog.Logger) *cobra.Command {
	var configPath, asOf, quarter, from, to string
	cmd := &cobra.Command{
		Use:   "backfill --config FILE (--quarter 2024Q2 | --from DATE --to DATE) [--as-of DATE]",
		Short: "Re-extract and recompute one window; every partition outside it stays as it was",
		Args:  argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			w, err := backfillWindow(quarter, from, to)
			if err != nil {
				return usageError{err}
			}
			return runPipeline(cmd, log, configPath, asOf, &w, runFlags{})
		},
	}
	f := cmd.Flags()
	f.StringVar(&configPath, "config", "", "config file (YAML)")
	f.StringVar(&asOf, "as-of", "", "what is known: decisions after this date count as pending (default: yesterday, local)")
	f.StringVar(&quarter, "quarter", "", "the quarter to redo, e.g. 2024Q2")
	f.StringVar(&from, "from", "", "first day of the window to redo (YYYY-MM-DD)")
	f.StringVar(&to, "to", "", "last day of the window to redo (YYYY-MM-DD)")
	return cmd
}

// backfillWindow reads --quarter, or --from and --to.
func backfillWindow(quarter, from, to string) (period.Window, error) {
	switch {
	case quarter != "" && from == "" && to == "":
		return period.ParseQuarter(quarter)
	case quarter == "" && from != "" && to != "":
		f, err := period.ParseDate(from)
		if err != nil {
			return period.Window{}, fmt.Errorf("--from: %w", err)
		}
		t, err := period.ParseDate(to)
		if err != nil {
			return period.Window{}, fmt.Errorf("--to: %w", err)
		}
		return period.NewWindow(f, t)
	default:
		return period.Window{}, fmt.Errorf("give --quarter, or --from and --to")
	}
}

// runFlags are the flags of `run` that a backfill does not have.
type runFlags struct{ full, allowShrink bool }

// runPipeline runs or backfills and prints the summary.
func runPipeline(cmd *cobra.Command, log zerolog.Logger, configPath, asOf string, window *period.Window, flags runFlags) error {
	cfg, plans, err := loadConfig(configPath)
	if err != nil {
		return err
	}
	day, err := resolveAsOf(asOf, cfg.Location, time.Now())
	if err != nil {
		return err
	}
	if err := checkAsOfYear(day, plans); err != nil {
		return err
	}
	opts := runstate.Options{
		Config: cfg, Plans: plans, Catalogue: rules.BuiltinCatalogue(), Sources: newRegistry(),
		AsOf: day, Window: window, Full: flags.full, AllowShrink: flags.allowShrink, Command: strings.Join(os.Args, " "), Log: log,
	}
	display := newProgress(os.Stderr)
	if display != nil {
		opts.Progress = display
	}
	sum, err := pipeline.Run(cmd.Context(), opts)
	display.Done()
	if err != nil {
		return err
	}
	printSummary(cmd.OutOrStdout(), cfg, sum)
	return nil
}

// checkAsOfYear refuses an as-of date before the year of every plan: nothing would be known of
// any contract year, and the run would publish a lake without figures.
func checkAsOfYear(day time.Time, plans []*rules.Plan) error {
	first := 0
	years := make([]string, len(plans))
	for i, p := range plans {
		if first == 0 || p.Year < first {
			first = p.Year
		}
		years[i] = strconv.Itoa(p.Year)
	}
	if len(plans) == 0 || day.Year() >= first {
		return nil
	}
	return usageError{fmt.Errorf("--as-of %s is before the year of every plan (%s): nothing would be computed",
		day.Format(period.DateLayout), strings.Join(years, ", "))}
}

// resolveAsOf parses --as-of, or takes yesterday in the configured zone.
func resolveAsOf(flag string, loc *time.Location, now time.Time) (time.Time, error) {
	if flag == "" {
		return period.LocalDate(now, loc).AddDate(0, 0, -1), nil
	}
	d, err := period.ParseDate(flag)
	if err != nil {
		return time.Time{}, usageError{fmt.Errorf("--as-of: %w", err)}
	}
	return d, nil
}

func printSummary(w io.Writer, cfg *config.Config, s *runstate.Summary) {
	fmt.Fprintf(w, "run %s as of %s\n\n", s.RunID, s.AsOf.Format(period.DateLayout))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "source\tread\tquarantined\tcases")
	for _, src := range s.Sources {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\n", src.Source, src.RowsRead, src.RowsQuarantined, src.RowsWritten)
	}
	tw.Flush()
	if s.KeptRunID != "" {
		fmt.Fprintf(w, "\nnothing new (no file to land, the same as-of date, rules and config):\nthe figures of run %s are kept as published\n", s.KeptRunID)
		fmt.Fprintf(w, "\nlake: %s\n", s.Lake)
		return
	}
	if len(s.Quarantine) > 0 {
		fmt.Fprintln(w, "\nquarantined by reason:")
		for _, q := range s.Quarantine {
			fmt.Fprintf(w, "  %-26s %d\n", q.Reason, q.Rows)
		}
	}
	fmt.Fprintf(w, "\ncases: %d\n\n", s.Cases)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "service targets:")
	fmt.Fprintln(tw, "  plan\tperiod\tpoints\ttargets met\twithout decided cases")
	for _, t := range s.Totals {
		fmt.Fprintf(tw, "  %s\t%s\t%s of %s\t%d of %d\t%d\n", t.Plan, periodLabel(t.Period, t.Complete), num(t.Points), num(t.MaxPoints), t.Met, t.Targets, t.NoData)
	}
	tw.Flush()
	if len(s.Contract) > 0 {
		fmt.Fprintln(w, "\ncontract (every requirement; see the requirements view):")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  plan\tperiod\tpoints\trequirements met\tpoints not known yet")
		for _, t := range s.Contract {
			fmt.Fprintf(tw, "  %s\t%s\t%s of %s\t%d of %d\t%d\n", t.Plan, periodLabel(t.Period, t.Complete), num(t.Points), num(t.MaxPoints), t.Met, t.Requirements, t.Unknown)
		}
		tw.Flush()
	}
	if len(s.AtRisk) > 0 {
		fmt.Fprintf(w, "\nat risk (open, deadline within %d days or passed; see the at_risk view):\n", cfg.AtRiskWithin())
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  plan\ttarget\tcases\tlate already")
		for _, a := range s.AtRisk {
			fmt.Fprintf(tw, "  %s\t%s\t%d\t%d\n", a.Plan, a.TargetID, a.Cases, a.Late)
		}
		tw.Flush()
	}
	for _, sh := range s.Shrink {
		if sh.CasesRemoved > 0 {
			fmt.Fprintf(w, "\nremoved: %d of %d published cases of source %s (see the removed_cases view)\n", sh.CasesRemoved, sh.CasesPublished, sh.Source)
		}
		if len(sh.FilesGone) > 0 && sh.Mode == config.ModeDelta {
			fmt.Fprintf(w, "\nfiles gone from source %s (delta: their cases stay): %s\n", sh.Source, strings.Join(sh.FilesGone, ", "))
		}
	}
	if s.Restatements > 0 {
		fmt.Fprintf(w, "\nrestated: %d published scorecard rows changed (see the restatements view)\n", s.Restatements)
	}
	if len(s.Loaders) > 0 {
		fmt.Fprintln(w, "\noutputs:")
		for _, l := range s.Loaders {
			fmt.Fprintf(w, "  %s\n", l.Name)
		}
	}
	fmt.Fprintf(w, "\nlake: %s\nscorecard: %s\n", s.Lake, s.Lake+"/scorecard")
	fmt.Fprintf(w, "query it: scorecard query --config %s \"SELECT target_id, period, pct_within_target, met, points FROM scorecard WHERE period = plan\"\n", cfg.Path)
}

func num(v float64) string { return fmt.Sprintf("%g", v) }

// periodLabel is a plan's year as the summary prints it: "(to date)" while it runs.
func periodLabel(period string, complete bool) string {
	if complete {
		return period
	}
	return period + " (to date)"
}

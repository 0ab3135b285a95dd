package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"

	"scorecard/pipeline"
	"scorecard/rules"
)

func newRunCommand(log zerolog.Logger) *cobra.Command {
	var configPath, asOf string
	cmd := &cobra.Command{
		Use:   "run --config FILE [--as-of DATE]",
		Short: "Extract, curate, compute and publish the scorecard (the nightly job)",
		Args:  argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, plans, err := loadConfig(configPath)
			if err != nil {
				return err
			}
			day, err := resolveAsOf(asOf, cfg.Location, time.Now())
			if err != nil {
				return err
			}
			sum, err := pipeline.Run(cmd.Context(), pipeline.Options{
				Config: cfg, Plans: plans, Catalogue: rules.BuiltinCatalogue(), Sources: newRegistry(),
				AsOf: day, Command: strings.Join(os.Args, " "), Log: log,
			})
			if err != nil {
				return err
			}
			printSummary(cmd.OutOrStdout(), cfg, sum)
			return nil
		},
	}
	cmd.Flags().StringVar(&configPath, "config", "", "config file (YAML)")
	cmd.Flags().StringVar(&asOf, "as-of", "", "what is known: decisions after this date count as pending (default: yesterday, local)")
	return cmd
}

// resolveAsOf parses --as-of, or takes yesterday in the configured zone.
func resolveAsOf(flag string, loc *time.Location, now time.Time) (time.Time, error) {
	if flag == "" {
		return pipeline.LocalDate(now, loc).AddDate(0, 0, -1), nil
	}
	d, err := pipeline.ParseDate(flag)
	if err != nil {
		return time.Time{}, usageError{fmt.Errorf("--as-of: %w", err)}
	}
	return d, nil
}

func printSummary(w io.Writer, cfg *pipeline.Config, s *pipeline.Summary) {
	fmt.Fprintf(w, "run %s as of %s\n\n", s.RunID, s.AsOf.Format(pipeline.DateLayout))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "source\tread\tquarantined\tcases")
	for _, src := range s.Sources {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\n", src.Source, src.RowsRead, src.RowsQuarantined, src.RowsWritten)
	}
	tw.Flush()
	if len(s.Quarantine) > 0 {
		fmt.Fprintln(w, "\nquarantined by reason:")
		for _, q := range s.Quarantine {
			fmt.Fprintf(w, "  %-26s %d\n", q.Reason, q.Rows)
		}
	}
	fmt.Fprintf(w, "\ncases: %d\n\n", s.Cases)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "plan\tperiod\tpoints\ttargets met\twithout decided cases")
	for _, t := range s.Totals {
		period := t.Period
		if !t.Complete {
			period += " (to date)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s of %s\t%d of %d\t%d\n", t.Plan, period, num(t.Points), num(t.MaxPoints), t.Met, t.Targets, t.NoData)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nlake: %s\nscorecard: %s\n", s.Lake, s.Lake+"/scorecard")
	fmt.Fprintf(w, "query it: scorecard query --config %s \"SELECT target_id, period, pct_within_target, met, points FROM scorecard WHERE period = plan\"\n", cfg.Path)
}

func num(v float64) string { return fmt.Sprintf("%g", v) }

package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"scorecard/pipeline"
	"scorecard/pipeline/period"
	"scorecard/rules"
)

func newForecastCommand() *cobra.Command {
	cmd := groupOnly(&cobra.Command{
		Use:   "forecast",
		Short: "The forecast of year-end fulfilment: hold it to account",
	})
	cmd.AddCommand(newBacktestCommand())
	return cmd
}

func newBacktestCommand() *cobra.Command {
	var (
		configPath, format string
		year               int
	)
	cmd := &cobra.Command{
		Use:   "backtest --config FILE --year YYYY [--format table|csv|json]",
		Short: "Replay the forecast as of each month end of a past year and score it against what happened",
		Long: "Replay the forecast as of each month end (31 January to 30 November) of a past, complete\n" +
			"year with only what the lake knew on that day, for every target of the configured plans\n" +
			"applied to that year, and score it against the year's final share beside two naive\n" +
			"forecasts: the year-to-date share carried to the year's end, and last year's final share.",
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			write, ok := backtestFormats[format]
			if !ok {
				return usageError{fmt.Errorf("--format %q is not one of table, csv, json", format)}
			}
			if year < 1900 || year > 9998 {
				return usageError{fmt.Errorf("--year YYYY is required (1900-9998)")}
			}
			cfg, plans, err := loadConfig(configPath)
			if err != nil {
				return err
			}
			res, err := pipeline.Backtest(cmd.Context(), cfg, plans, rules.BuiltinCatalogue(), year)
			if errors.Is(err, pipeline.ErrBacktestYear) {
				return usageError{err}
			}
			if err != nil {
				return err
			}
			return write(cmd.OutOrStdout(), res)
		},
	}
	cmd.Flags().StringVar(&configPath, "config", "", "config file (YAML)")
	cmd.Flags().IntVar(&year, "year", 0, "the past, complete year to replay")
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, csv or json")
	return cmd
}

var backtestFormats = map[string]func(io.Writer, *pipeline.BacktestResult) error{
	"table": writeBacktestTable,
	"csv":   writeBacktestCSV,
	"json":  writeBacktestJSON,
}

// backtestNote says how the summary is scored, under it.
const backtestNote = "MAE: mean absolute error of the year-end share, in percentage points. Coverage: the share\n" +
	"of actuals inside the 80 % interval. Brier: mean squared error of p_met against met at the\n" +
	"year's end; a naive forecast's p is 1 when its share reaches min_pct, else 0.\n" +
	"Naive (a) ytd: the year-to-date share carried to the year's end; (b) last_year: last year's\n" +
	"final share of the same selection. Each method is scored over the months it has a figure for\n" +
	"(n); targets with no case decided in the year are left out."

var monthColumns = []string{"plan", "target_id", "as_of", "expected_pct", "low", "high", "p_met",
	"ytd_pct", "last_year_pct", "actual_pct", "met"}

var scoreColumns = []string{"plan", "months", "n", "mae", "mae_ytd", "mae_last_year", "coverage_80",
	"brier", "brier_ytd", "brier_last_year"}

func writeBacktestTable(w io.Writer, res *pipeline.BacktestResult) error {
	fmt.Fprintf(w, "Backtest of %d: the forecast as of each month end, with what was known then, against the year's final share.\n\n", res.Year)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, strings.Join(monthColumns, "\t")+"\t")
	for _, m := range res.Months {
		fmt.Fprintln(tw, strings.Join(monthCells(m, cellFormat{}), "\t")+"\t")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nSummary of %d (%d targets scored):\n\n", res.Year, res.Targets)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, strings.Join(scoreColumns, "\t")+"\t")
	for _, s := range res.Scores {
		fmt.Fprintln(tw, strings.Join(scoreCells(s, cellFormat{}), "\t")+"\t")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%s\n", backtestNote)
	if len(res.Skipped) > 0 {
		fmt.Fprintf(w, "Left out, no case decided in %d: %s\n", res.Year, strings.Join(res.Skipped, ", "))
	}
	return nil
}

// writeBacktestCSV writes the months, an empty line, then the summary (with the months each
// naive forecast is scored over): two tables, every digit.
func writeBacktestCSV(w io.Writer, res *pipeline.BacktestResult) error {
	cw := csv.NewWriter(w)
	cw.Write(monthColumns)
	for _, m := range res.Months {
		cw.Write(monthCells(m, cellFormat{full: true}))
	}
	cw.Flush()
	if _, err := io.WriteString(w, "\n"); err != nil {
		return err
	}
	cw.Write(append(scoreColumns, "n_ytd", "n_last_year"))
	for _, s := range res.Scores {
		cw.Write(append(scoreCells(s, cellFormat{full: true}), strconv.Itoa(s.YearToDate.N), strconv.Itoa(s.LastYear.N)))
	}
	cw.Flush()
	return cw.Error()
}

func writeBacktestJSON(w io.Writer, res *pipeline.BacktestResult) error {
	type month struct {
		Plan        string   `json:"plan"`
		TargetID    string   `json:"target_id"`
		AsOf        string   `json:"as_of"`
		MinPct      float64  `json:"min_pct"`
		Expected    *float64 `json:"expected_pct"`
		Low         *float64 `json:"expected_pct_low"`
		High        *float64 `json:"expected_pct_high"`
		PMet        *float64 `json:"p_met"`
		YearToDate  *float64 `json:"ytd_pct"`
		LastYear    *float64 `json:"last_year_pct"`
		Actual      *float64 `json:"actual_pct"`
		ActualMet   bool     `json:"met"`
		YTDMet      bool     `json:"ytd_met"`
		LastYearMet bool     `json:"last_year_met"`
	}
	type score struct {
		N        int      `json:"n"`
		MAE      *float64 `json:"mae"`
		Coverage *float64 `json:"coverage_80,omitempty"`
		Brier    *float64 `json:"brier"`
	}
	type summary struct {
		Plan       string `json:"plan"`
		Months     string `json:"months"`
		Forecast   score  `json:"forecast"`
		YearToDate score  `json:"ytd"`
		LastYear   score  `json:"last_year"`
	}
	scoreOf := func(s pipeline.Score) score {
		if s.N == 0 {
			return score{}
		}
		return score{N: s.N, MAE: &s.MAE, Coverage: s.Coverage, Brier: &s.Brier}
	}
	out := struct {
		Year    int       `json:"year"`
		Targets int       `json:"targets"`
		Months  []month   `json:"months"`
		Summary []summary `json:"summary"`
		Skipped []string  `json:"left_out"`
		Note    string    `json:"note"`
	}{Year: res.Year, Targets: res.Targets, Skipped: res.Skipped, Note: strings.ReplaceAll(backtestNote, "\n", " ")}
	for _, m := range res.Months {
		out.Months = append(out.Months, month{m.Plan, m.TargetID, m.AsOf.Format(period.DateLayout), m.MinPct,
			m.Expected, m.Low, m.High, m.PMet, m.YearToDate, m.LastYear, m.Actual, m.Met, m.YearToDateMet, m.LastYearMet})
	}
	for _, s := range res.Scores {
		out.Summary = append(out.Summary, summary{planLabel(s.Plan), monthsLabel(s.From),
			scoreOf(s.Forecast), scoreOf(s.YearToDate), scoreOf(s.LastYear)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// cellFormat renders numbers for the table (rounded, "-" for none) or for CSV (every digit,
// empty for none).
type cellFormat struct {
	full bool
}

func (f cellFormat) num(p *float64, digits int) string {
	switch {
	case p == nil && f.full:
		return ""
	case p == nil:
		return "-"
	case f.full:
		digits = -1
	}
	return strconv.FormatFloat(*p, 'f', digits, 64)
}

// monthCells renders a month row.
func monthCells(m pipeline.BacktestMonth, f cellFormat) []string {
	met := yesNo(m.Met)
	if f.full {
		met = strconv.FormatBool(m.Met)
	}
	return []string{m.Plan, m.TargetID, m.AsOf.Format(period.DateLayout), f.num(m.Expected, 1),
		f.num(m.Low, 1), f.num(m.High, 1), f.num(m.PMet, 2), f.num(m.YearToDate, 1),
		f.num(m.LastYear, 1), f.num(m.Actual, 1), met}
}

// scoreCells renders a summary row; the table marks a naive forecast scored over other months
// than the forecast with its own n.
func scoreCells(s pipeline.BacktestScore, f cellFormat) []string {
	var mae, brier [3]string
	for i, sc := range []pipeline.Score{s.Forecast, s.YearToDate, s.LastYear} {
		if sc.N == 0 {
			mae[i], brier[i] = f.num(nil, 0), f.num(nil, 0)
			continue
		}
		mae[i], brier[i] = f.num(&sc.MAE, 2), f.num(&sc.Brier, 3)
		if !f.full && sc.N != s.Forecast.N {
			mae[i] += fmt.Sprintf(" (n=%d)", sc.N)
		}
	}
	coverage := f.num(s.Forecast.Coverage, 0)
	if c := s.Forecast.Coverage; c != nil && !f.full {
		coverage = strconv.FormatFloat(100**c, 'f', 0, 64) + "%"
	}
	return []string{planLabel(s.Plan), monthsLabel(s.From), strconv.Itoa(s.Forecast.N),
		mae[0], mae[1], mae[2], coverage, brier[0], brier[1], brier[2]}
}

func planLabel(plan string) string {
	if plan == "" {
		return "all"
	}
	return plan
}

// monthsLabel names the month ends scored: from the end of Q1 (Mar-Nov) or all (Jan-Nov).
func monthsLabel(from time.Month) string {
	return from.String()[:3] + "-Nov"
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

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
	"scorecard/pipeline/config"
	"scorecard/pipeline/lake"
	"scorecard/pipeline/period"
)

func newQueryCommand() *cobra.Command {
	var configPath, format string
	cmd := &cobra.Command{
		Use:   `query --config FILE [--format table|csv|json] "SQL"`,
		Short: "Run read-only SQL over the lake's views",
		Long: "Run read-only SQL over the lake's views (README \"The lake and its views\"):\n  " +
			strings.Join(lake.ViewNames(), ", "),
		Args: argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			write, ok := formats[format]
			if !ok {
				return usageError{fmt.Errorf("--format %q is not one of table, csv, json", format)}
			}
			if configPath == "" {
				return usageError{fmt.Errorf("--config is required")}
			}
			cfg, err := config.LoadConfig(configPath, newRegistry().Kinds())
			if err != nil {
				return err
			}
			res, err := pipeline.Query(cmd.Context(), lake.Lake{Dir: cfg.LakeDir()}, cfg.DuckDB, args[0])
			if errors.Is(err, pipeline.ErrReadOnly) {
				return usageError{err} // SQL that is not one read-only statement: bad usage, exit 2
			}
			if err != nil {
				return err
			}
			return write(cmd.OutOrStdout(), res)
		},
	}
	cmd.Flags().StringVar(&configPath, "config", "", "config file (YAML)")
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, csv or json")
	return cmd
}

var formats = map[string]func(io.Writer, *pipeline.Result) error{
	"table": writeTable,
	"csv":   writeCSV,
	"json":  writeJSON,
}

func writeTable(w io.Writer, res *pipeline.Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(res.Columns, "\t"))
	for _, row := range res.Rows {
		cells := make([]string, len(row))
		for i, v := range row {
			cells[i] = text(v, res.Types[i])
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "(%d rows)\n", len(res.Rows))
	return err
}

func writeCSV(w io.Writer, res *pipeline.Result) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(res.Columns); err != nil {
		return err
	}
	for _, row := range res.Rows {
		cells := make([]string, len(row))
		for i, v := range row {
			cells[i] = text(v, res.Types[i])
		}
		if err := cw.Write(cells); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeJSON writes an array of objects, keys in column order.
func writeJSON(w io.Writer, res *pipeline.Result) error {
	var b strings.Builder
	b.WriteString("[")
	for r, row := range res.Rows {
		if r > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n  {")
		for i, v := range row {
			if i > 0 {
				b.WriteString(", ")
			}
			key, _ := json.Marshal(res.Columns[i])
			val, err := json.Marshal(jsonValue(v, res.Types[i]))
			if err != nil {
				return fmt.Errorf("column %s: %w", res.Columns[i], err)
			}
			b.Write(key)
			b.WriteString(": ")
			b.Write(val)
		}
		b.WriteString("}")
	}
	b.WriteString("\n]\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// text renders one value for table and CSV output: dates as dates, NULL as empty.
func text(v any, typ string) string {
	switch x := v.(type) {
	case nil:
		return ""
	case time.Time:
		return timeText(x, typ)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	case []byte:
		return string(x)
	case []any, map[string]any:
		b, _ := json.Marshal(jsonValue(x, typ))
		return string(b)
	default:
		return fmt.Sprint(x)
	}
}

func jsonValue(v any, typ string) any {
	switch x := v.(type) {
	case time.Time:
		return timeText(x, typ)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonValue(e, "")
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = jsonValue(e, "")
		}
		return out
	default:
		return v
	}
}

func timeText(t time.Time, typ string) string {
	if typ == "DATE" {
		return t.Format(period.DateLayout)
	}
	return t.UTC().Format(time.RFC3339Nano)
}

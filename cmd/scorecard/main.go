// Command scorecard turns case records into the service-target scorecard of a performance
// contract. This file only wires flags, config, packages and signals; the work is in packages.
package main

import (
	"context"
	"errors"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/rs/zerolog"
	"github.com/spf13/cobra"

	"scorecard/pipeline"
	"scorecard/pipeline/config"
	"scorecard/pipeline/runstate"
	"scorecard/rules"
	"scorecard/sources"
	csvsource "scorecard/sources/csv"
	"scorecard/sources/mysql"
	"scorecard/sources/postgres"
)

// Exit codes (SPEC §7).
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
)

// usageError marks bad flags or arguments: exit 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := newLogger(os.Stderr)
	root := newRootCommand(os.Stdout, log)
	err := root.ExecuteContext(ctx)
	if err != nil {
		logFailure(log, err)
	}
	os.Exit(exitCode(err))
}

func exitCode(err error) int {
	var usage usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &usage), errors.Is(err, config.ErrConfig), errors.Is(err, rules.ErrInvalid):
		return exitUsage
	default:
		return exitFailed
	}
}

// logFailure writes the error that ends the command as the last log line (JSON for the
// scheduler), with the exit code and the run_id when a run had started. It is the only line
// that carries the error: the pipeline returns errors without logging them, so a scheduler
// that alerts on error lines sees one per failure, config errors included.
func logFailure(log zerolog.Logger, err error) {
	ev := log.Error().Int("exit_code", exitCode(err))
	var runErr *pipeline.RunError
	if errors.As(err, &runErr) {
		ev = ev.Str(runstate.FieldRunID, runErr.RunID)
	}
	ev.Msg(err.Error())
}

// newLogger writes JSON for the scheduler, readable lines on a terminal.
func newLogger(w *os.File) zerolog.Logger {
	zerolog.TimeFieldFormat = time.RFC3339Nano
	var out io.Writer = w
	if isatty.IsTerminal(w.Fd()) {
		out = zerolog.ConsoleWriter{Out: w, TimeFormat: "15:04:05"}
	}
	return zerolog.New(out).With().Timestamp().Logger()
}

func newRootCommand(stdout io.Writer, log zerolog.Logger) *cobra.Command {
	root := &cobra.Command{
		Use:           "scorecard",
		Short:         "Service-target scorecards of a performance contract, from case records",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	groupOnly(root)
	root.AddCommand(
		newRunCommand(log),
		newBackfillCommand(log),
		newQueryCommand(),
		newForecastCommand(),
		newPlansCommand(),
		newGenerateCommand(),
		newVersionCommand(),
	)
	return root
}

// newRegistry lists the source kinds this binary can read.
func newRegistry() *sources.Registry {
	reg := sources.NewRegistry()
	reg.Register("csv", csvsource.New)
	reg.Register("postgres", postgres.New)
	reg.Register("mysql", mysql.New)
	return reg
}

// loadConfig reads the config and every plan it names: all or nothing.
func loadConfig(path string) (*config.Config, []*rules.Plan, error) {
	if path == "" {
		return nil, nil, usageError{errors.New("--config is required")}
	}
	cfg, err := config.LoadConfig(path, newRegistry().Kinds())
	if err != nil {
		return nil, nil, err
	}
	plans, err := config.LoadPlans(cfg, rules.BuiltinCatalogue())
	if err != nil {
		return nil, nil, err
	}
	return cfg, plans, nil
}

// groupOnly makes a command that only holds subcommands print its help when called bare and
// reject anything else as bad usage: left alone, cobra returns an untyped "unknown command"
// error at the root (exit 1) and prints help with exit 0 below it.
func groupOnly(cmd *cobra.Command) *cobra.Command {
	cmd.Args = argsUsage(cobra.NoArgs)
	cmd.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
	return cmd
}

// argsUsage wraps cobra's argument validators so their errors exit 2.
func argsUsage(v cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := v(cmd, args); err != nil {
			return usageError{err}
		}
		return nil
	}
}

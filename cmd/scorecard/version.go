package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"scorecard/pipeline"
)

func newVersionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the software version",
		Args:  argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(cmd.OutOrStdout(), "scorecard", pipeline.Version)
			return err
		},
	}
}

package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"scorecard/rules"
)

func newPlansCommand() *cobra.Command {
	cmd := groupOnly(&cobra.Command{
		Use:   "plans",
		Short: "Validate plan files or show a plan",
	})
	cmd.AddCommand(&cobra.Command{
		Use:   "validate FILE...",
		Short: "Check plan files; every problem is reported as FILE:LINE:COL",
		Args:  argsUsage(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return validatePlans(cmd.OutOrStdout(), args)
		},
	}, &cobra.Command{
		Use:   "show PLAN",
		Short: "Show a built-in plan (" + strings.Join(rules.BuiltinPlanIDs(), ", ") + ") or a plan file",
		Args:  argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			wd, err := os.Getwd()
			if err != nil {
				return err
			}
			p, err := rules.LoadPlan(args[0], wd, rules.BuiltinCatalogue())
			if err != nil {
				return err
			}
			return showPlan(cmd.OutOrStdout(), p)
		},
	})
	return cmd
}

func validatePlans(w io.Writer, files []string) error {
	var errs []error
	for _, f := range files {
		data, err := rules.ReadFile(f) // bounded: a device or a data export is refused
		if err != nil {
			errs = append(errs, usageError{err})
			continue
		}
		p, err := rules.ParsePlan(f, data, rules.BuiltinCatalogue())
		if err != nil {
			errs = append(errs, err)
			continue
		}
		fmt.Fprintf(w, "%s: ok (plan %s, %d targets)\n", f, p.ID, len(p.Targets()))
	}
	return errors.Join(errs...)
}

func showPlan(w io.Writer, p *rules.Plan) error {
	fmt.Fprintf(w, "plan %s (%d): %s\nsource: %s\nsha256: %s\n", p.ID, p.Year, p.Title, p.Source, p.SHA256)
	for _, r := range p.Requirements {
		fmt.Fprintf(w, "\nrequirement %s %s, weight %s\n", r.ID, r.Title, num(r.Weight))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "target\tlabel\tselection\tdays\tmin_pct\tpoints")
		for _, t := range r.Targets {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", t.ID, t.Label, selection(t), t.TargetDays, num(t.MinPct), num(t.Points))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

func selection(t rules.Target) string {
	var parts []string
	if t.Area != "" {
		parts = append(parts, "area "+t.Area)
	}
	if len(t.CaseTypes) > 0 {
		parts = append(parts, strings.Join(t.CaseTypes, "+"))
	}
	if t.FirstTime != nil {
		parts = append(parts, map[bool]string{true: "first time", false: "not first time"}[*t.FirstTime])
	}
	if t.Complex != nil {
		parts = append(parts, map[bool]string{true: "complex", false: "not complex"}[*t.Complex])
	}
	for _, s := range t.Ladder {
		parts = append(parts, fmt.Sprintf(">=%s%%: %s of points", num(s.MinPct), num(s.Share)))
	}
	return strings.Join(parts, ", ")
}

package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

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

// showPlan prints the whole contract: every requirement with its kind, weight
// and title, then what its kind measures, and the plan's total.
func showPlan(w io.Writer, p *rules.Plan) error {
	fmt.Fprintf(w, "plan %s (%d): %s\nsource: %s\nsha256: %s\n", p.ID, p.Year, p.Title, p.Source, p.SHA256)
	for i := range p.Requirements {
		r := &p.Requirements[i]
		fmt.Fprintf(w, "\nrequirement %s %s, weight %s, kind %s\n", r.ID, r.Title, num(r.Weight), r.Kind)
		if err := showRequirement(w, r); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "\ntotal %s points in %d requirements\n", num(p.Total), len(p.Requirements))
	return err
}

// showRequirement prints what a requirement of each kind measures.
func showRequirement(w io.Writer, r *rules.Requirement) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	switch r.Kind {
	case rules.KindCaseShare:
		showTargets(tw, r.Targets)
	case rules.KindAppointmentWait:
		showWait(tw, r.Wait)
	case rules.KindMilestones:
		showMilestones(tw, r.Milestones)
	case rules.KindKPI:
		showKPI(tw, r.KPI)
	case rules.KindAssessment:
		showAssessment(tw, r.Assessment)
	case rules.KindManual:
		fmt.Fprintf(tw, "points: aftales i %s; awaiting until entered, at most %s\n", r.Manual.AgreedIn, num(r.Weight))
	}
	return tw.Flush()
}

func showTargets(w io.Writer, targets []rules.Target) {
	fmt.Fprintln(w, "target\tlabel\tselection\tdays\tmin_pct\tpoints")
	for _, t := range targets {
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%s\t%s\n", t.ID, t.Label, selection(t), t.TargetDays, num(t.MinPct), num(t.Points))
	}
}

func showWait(w io.Writer, a *rules.AppointmentWait) {
	fmt.Fprintln(w, "max_wait_days\tmin_pct\tsites\tcalendar\tpoints")
	fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\n", a.MaxWaitDays, num(a.MinPct), a.Sites, a.Calendar, num(a.Points))
	fmt.Fprintf(w, "met when the wait to the next free appointment is at most %d days on at least %s%% of the weekdays\n",
		a.MaxWaitDays, num(a.MinPct))
}

func showMilestones(w io.Writer, m *rules.Milestones) {
	fmt.Fprintln(w, "milestone\tlabel\tdue")
	for _, it := range m.Items {
		fmt.Fprintf(w, "%s\t%s\t%s\n", it.ID, it.Label, it.Due.Format(time.DateOnly))
	}
	fmt.Fprintf(w, "points %s when every milestone is done by its due date%s\n", num(m.Points), ladder(m.Ladder, "on time"))
}

func showKPI(w io.Writer, k *rules.KPI) {
	fmt.Fprintln(w, "operator\tthreshold\tunit\tperiods\tpoints")
	fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", k.Operator, num(k.Threshold), k.Unit, strings.Join(k.Periods, ", "), num(k.Points))
	fmt.Fprintf(w, "met when the value is %s %s %s; the year's value earns the points\n", k.Operator.Symbol(), num(k.Threshold), k.Unit)
}

func showAssessment(w io.Writer, a *rules.Assessment) {
	if len(a.Items) > 0 {
		fmt.Fprintln(w, "scorer\tlabel")
		for _, it := range a.Items {
			fmt.Fprintf(w, "%s\t%s\n", it.ID, it.Label)
		}
	}
	fmt.Fprintf(w, "scores %d-%d on %d element(s) per scorer, at most %d in all; points %s\n",
		a.ScaleMin, a.ScaleMax, a.Elements, a.MaxScore, num(a.Points))
	if len(a.Ladder) == 0 {
		fmt.Fprintln(w, "pointskala: ingen pointskala endnu (no_ladder)")
		return
	}
	var rungs []string
	for _, st := range a.Ladder {
		rungs = append(rungs, fmt.Sprintf(">=%d: %s of points", st.MinScore, num(st.Share)))
	}
	fmt.Fprintf(w, "pointskala: %s\n", strings.Join(rungs, ", "))
}

// ladder describes partial credit below all of a requirement, "" without a ladder.
func ladder(steps []rules.Step, what string) string {
	if len(steps) == 0 {
		return ", else none"
	}
	var rungs []string
	for _, s := range steps {
		rungs = append(rungs, fmt.Sprintf(">=%s%% %s: %s of points", num(s.MinPct), what, num(s.Share)))
	}
	return "; " + strings.Join(rungs, ", ")
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

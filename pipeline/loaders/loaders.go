// Package loaders is the last stage of a run: it writes every configured output (XLSX, HTML,
// CSV, JSON, PostgreSQL) from the published lake, through its views, and records each loader's
// result in the run's record.
package loaders

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"scorecard/pipeline/config"
	"scorecard/pipeline/engine"
	"scorecard/pipeline/lake"
	"scorecard/pipeline/load"
	"scorecard/pipeline/runstate"
	"scorecard/pipeline/session"

	"scorecard/pipeline/outputs"
)

// ErrLoader fails a run whose lake was published but one of whose loaders failed.
var ErrLoader = errors.New("loader failed")

// runLoaders writes every configured output from the published lake, then publishes the run's
// manifest row again with the loaders' results: a failing loader fails the run (exit 1), the
// lake stays published, and the manifest says which loader failed. A rerun repeats them.
func (r *run) runLoaders(ctx context.Context) error {
	if len(r.Opts.Config.Outputs) == 0 {
		return nil
	}
	report, err := r.report(ctx)
	if err != nil {
		return fmt.Errorf("reading the published lake for the outputs: %w", err)
	}
	// Each output's entry goes from not written to its result: a run stopped half-way records
	// which were written.
	r.Record.Status, r.Record.Error = lake.StatusSucceeded, ""
	var failed []error
	for i, o := range r.Opts.Config.Outputs {
		res, err := r.runLoader(ctx, o, report)
		r.Record.Loaders[i] = res
		if err != nil {
			failed = append(failed, err)
		}
	}
	r.Summary.Loaders = r.Record.Loaders
	// The files are written; the published run record does not list them yet.
	runstate.Checkpoint(ctx, "outputs-written")
	loadErr := errors.Join(failed...)
	if loadErr != nil {
		loadErr = fmt.Errorf("%w: %w", ErrLoader, loadErr)
		r.Record.Status, r.Record.Error = lake.StatusFailed, loadErr.Error()
	}
	if err := load.RepublishRecord(ctx, r.Run); err != nil {
		return errors.Join(loadErr, err)
	}
	r.FailureRecorded = loadErr != nil
	return loadErr
}

func (r *run) runLoader(ctx context.Context, o config.OutputConfig, report *outputs.Report) (lake.LoaderResult, error) {
	spec := r.Opts.Config.OutputSpec(o)
	loader, err := outputs.New(spec)
	if err == nil && spec.Path != "" {
		err = os.MkdirAll(filepath.Dir(spec.Path), 0o755) // the output folder is the operator's
	}
	if err != nil {
		return lake.LoaderResult{Name: o.Kind, Status: lake.StatusFailed, Error: err.Error()}, err
	}
	t0 := time.Now()
	// A failure is returned, not logged: it fails the run, whose error is logged once, and
	// the error names the loader.
	if err := loader.Load(ctx, report); err != nil {
		return lake.LoaderResult{Name: loader.Name(), Status: lake.StatusFailed, Error: err.Error()}, err
	}
	r.Log.Info().Str("loader", loader.Name()).Dur(runstate.FieldDuration, time.Since(t0)).Msg("output written")
	return lake.LoaderResult{Name: loader.Name(), Status: lake.StatusSucceeded}, nil
}

// report reads what the loaders need from the published lake, through its views, on an engine
// of its own (the run's engine holds temp tables of the same names).
func (r *run) report(ctx context.Context) (*outputs.Report, error) {
	eng, err := session.Open(ctx, r.Opts.Config.DuckDB, "", SQL)
	if err != nil {
		return nil, err
	}
	defer eng.Close()
	if err := eng.SetVariable(ctx, "lake", engine.Quote(r.Lake.Dir)); err != nil {
		return nil, err
	}
	if err := lake.CreateViews(ctx, eng, r.Lake); err != nil {
		return nil, err
	}
	report := &outputs.Report{
		RunID: r.ID, AsOf: r.Opts.AsOf, ComputedAt: r.Record.StartedAt, Plans: r.Opts.Plans,
		Catalogue: r.Opts.Catalogue, Run: r.lineage(), AtRiskDays: r.Opts.Config.AtRiskWithin(),
		ClosedDays: r.Opts.Config.ClosedDates(),
	}
	if err := readReport(ctx, eng, report); err != nil {
		return nil, err
	}
	return report, nil
}

// readReport reads the published lake's scorecard, quarantine counts, forecast, at-risk
// cases, contract scorecard and appointment days into report. (A table no run has written
// yet reads as empty through its view.)
func readReport(ctx context.Context, eng *engine.Engine, report *outputs.Report) (err error) {
	if report.Rows, err = engine.QueryFile(ctx, eng, "report_rows.sql", scanReportRow); err != nil {
		return err
	}
	report.Quarantine, err = engine.QueryFile(ctx, eng, "report_quarantine.sql", func(scan func(...any) error) (outputs.QuarantineCount, error) {
		var q outputs.QuarantineCount
		return q, scan(&q.Source, &q.Reason, &q.Rows)
	})
	if err != nil {
		return err
	}
	if report.Forecast, err = engine.QueryFile(ctx, eng, "report_forecast.sql", scanReportForecast); err != nil {
		return err
	}
	report.AtRisk, err = engine.QueryFile(ctx, eng, "report_at_risk.sql", func(scan func(...any) error) (outputs.AtRiskCase, error) {
		var c outputs.AtRiskCase
		return c, scan(&c.Plan, &c.TargetID, &c.CaseID, &c.Source, &c.SubmittedDate, &c.Deadline,
			&c.DaysLeft, &c.AgeDays, &c.AsOf)
	})
	if err != nil {
		return err
	}
	if report.Requirements, err = engine.QueryFile(ctx, eng, "report_requirements.sql", scanReportRequirement); err != nil {
		return err
	}
	outputs.SortRequirements(report.Plans, report.Requirements)
	report.AppointmentDays, err = engine.QueryFile(ctx, eng, "report_appointment_days.sql", scanAppointmentDay)
	return err
}

func scanReportRequirement(scan func(...any) error) (outputs.Requirement, error) {
	var q outputs.Requirement
	var measure, threshold, points sql.NullFloat64
	var met sql.NullBool
	var status, detail sql.NullString
	err := scan(&q.Plan, &q.RequirementID, &q.Title, &q.Kind, &q.Period, &q.PeriodEnd,
		&q.PeriodComplete, &measure, &threshold, &met, &points, &q.MaxPoints, &status, &detail, &q.RunID)
	q.Measure, q.Threshold, q.Points = nullFloat(measure), nullFloat(threshold), nullFloat(points)
	if met.Valid {
		q.Met = &met.Bool
	}
	q.Status, q.Detail = status.String, detail.String
	return q, err
}

func scanAppointmentDay(scan func(...any) error) (outputs.AppointmentDay, error) {
	var d outputs.AppointmentDay
	var site sql.NullString
	var wait sql.NullInt32
	var met sql.NullBool
	err := scan(&d.Plan, &d.RequirementID, &d.Day, &site, &wait, &met, &d.RunID)
	d.Site, d.Met = site.String, met.Valid && met.Bool
	if wait.Valid {
		w := int(wait.Int32)
		d.WaitDays = &w
	}
	return d, err
}

func scanReportRow(scan func(...any) error) (outputs.Row, error) {
	var row outputs.Row
	var pct, low, high, points, excludedPct sql.NullFloat64
	var met sql.NullBool
	err := scan(&row.Plan, &row.RequirementID, &row.TargetID, &row.Label, &row.Period,
		&row.PeriodStart, &row.PeriodEnd, &row.PeriodComplete, &row.TargetDays, &row.MinPct,
		&row.Decided, &row.WithinTarget, &pct, &low, &high, &met, &points, &row.MaxPoints,
		&row.Excluded, &excludedPct, &row.Pending, &row.PendingBreached, &row.RunID, &row.ComputedAt)
	row.PctWithinTarget, row.PctLow, row.PctHigh = nullFloat(pct), nullFloat(low), nullFloat(high)
	row.Points, row.ExcludedPct = nullFloat(points), nullFloat(excludedPct)
	if met.Valid {
		row.Met = &met.Bool
	}
	return row, err
}

func scanReportForecast(scan func(...any) error) (outputs.Forecast, error) {
	var f outputs.Forecast
	var best, worst, needed, expected, low, high, pMet, points sql.NullFloat64
	err := scan(&f.Plan, &f.TargetID, &f.AsOf, &f.YearStart, &f.YearEnd, &f.MinPct, &f.Decided,
		&f.WithinTarget, &f.Backlog, &f.BacklogLate, &best, &worst, &f.ExpectedDecided, &needed,
		&expected, &low, &high, &pMet, &points, &f.MaxPoints)
	f.BestCasePct, f.WorstCasePct, f.NeededPct = nullFloat(best), nullFloat(worst), nullFloat(needed)
	f.ExpectedPct, f.ExpectedPctLow, f.ExpectedPctHigh = nullFloat(expected), nullFloat(low), nullFloat(high)
	f.PMet, f.ExpectedPoints = nullFloat(pMet), nullFloat(points)
	return f, err
}

// nullFloat is a nullable DOUBLE as the outputs hold it: nil for NULL.
func nullFloat(v sql.NullFloat64) *float64 {
	if !v.Valid {
		return nil
	}
	return &v.Float64
}

func (r *run) lineage() outputs.Lineage {
	l := outputs.Lineage{
		Command: r.Record.Command, Version: r.Record.Version, Timezone: r.Record.Timezone,
		StartedAt: r.Record.StartedAt, EndedAt: r.Record.EndedAt,
	}
	for _, p := range r.Record.Plans {
		l.Plans = append(l.Plans, outputs.PlanFile{Plan: p.Plan, Source: p.Source, SHA256: p.SHA256})
	}
	for _, s := range r.Record.Sources {
		l.Sources = append(l.Sources, outputs.SourceCount{Source: s.Source, Kind: s.Kind,
			FilesLanded: s.FilesLanded, RowsRead: s.RowsRead, RowsQuarantined: s.RowsQuarantined, RowsWritten: s.RowsWritten})
	}
	return l
}

// run is the run whose outputs are written; the stage's steps are its methods.
type run struct{ *runstate.Run }

// Run writes the configured outputs.
func Run(ctx context.Context, r *runstate.Run) error { return (&run{r}).runLoaders(ctx) }

package pipeline

import (
	"context"
	"path/filepath"

	"scorecard/sources"
)

// The status register (SPEC §9): the rows of the sources with `dataset: status` are landed like
// cases, then curated on their own (status_curate.sql), merged into the published register
// (status_merge.sql) and published whole as the lake table status; the milestones of the
// plans are judged from it as of the run's as-of date (milestones.sql).
//
// What each step hands the next: status_raw (this run's landed status rows), status_fresh
// (their good rows, one per plan, requirement and item), status_register (the register this
// run publishes) and milestone_status (the milestones table).

// curateStatus types and judges this run's status rows, quarantines the bad ones and merges
// the good ones into the published register.
func (r *run) curateStatus(ctx context.Context) error {
	if err := r.createStatusRawView(ctx); err != nil {
		return err
	}
	if err := r.eng.runFile(ctx, "status_curate.sql"); err != nil {
		return err
	}
	previous, err := r.previousStatus()
	if err != nil {
		return err
	}
	step := "status_previous_none.sql"
	if len(previous) > 0 {
		if err := r.eng.setVariable(ctx, "previous_status", sqlList(previous)); err != nil {
			return err
		}
		step = "status_previous.sql"
	}
	for _, f := range []string{step, "status_merge.sql"} {
		if err := r.eng.runFile(ctx, f); err != nil {
			return err
		}
	}
	return nil
}

// createStatusRawView exposes this run's landed status rows as status_raw (empty when no
// status source landed anything).
func (r *run) createStatusRawView(ctx context.Context) error {
	byFirstRow := map[int64][]string{}
	for _, l := range r.landed {
		if l.Dataset != sources.Status.Name {
			continue
		}
		for _, p := range l.Parts {
			byFirstRow[p.FirstRow] = append(byFirstRow[p.FirstRow], p.Path)
		}
	}
	if len(byFirstRow) == 0 {
		return r.eng.runFile(ctx, "status_raw_none.sql")
	}
	return r.eng.exec(ctx, "CREATE OR REPLACE TEMP VIEW status_raw AS "+landedSelect(byFirstRow))
}

// previousStatus lists the published status register's file (none before the first run that
// wrote one).
func (r *run) previousStatus() ([]string, error) {
	if r.prev == "" {
		return nil, nil
	}
	return filepath.Glob(filepath.Join(r.prev, TableStatus, "*.parquet"))
}

// computeMilestones judges every milestone of the configured plans as of the as-of date.
func (r *run) computeMilestones(ctx context.Context) error {
	return r.eng.runFile(ctx, "milestones.sql")
}

package curate

import (
	"context"
	"fmt"

	"scorecard/pipeline/engine"
	"scorecard/pipeline/lake"

	"scorecard/sources"
)

// The registers (SPEC §9) are the small datasets beside the cases: the status register and the
// appointment snapshots. A source with `dataset: status` or `dataset: appointments` is landed
// like a case source; each run then curates its rows on their own, merges them with the
// published table and publishes that whole. Each register's SQL files carry its name:
//
//	<name>_curate.sql          <name>_raw typed and judged, the bad rows quarantined, the good
//	                           ones deduplicated as <name>_fresh
//	<name>_fresh_none.sql      <name>_fresh, empty, when no source of it landed anything
//	<name>_previous(_none).sql previous_<name>: the published table (none before the first run)
//	<name>_merge.sql           the table this run publishes (out_<name>.sql writes it)
//
// The plans' milestones are judged from the status register as of the as-of date
// (milestones.sql), the weekdays' waits from the snapshots (appointment_days.sql).
type register struct {
	dataset  sources.Dataset
	table    string // the lake table it is published as
	previous string // the session variable listing the published table's files
}

// registers are the registers a run curates, in order.
var registers = []register{
	{dataset: sources.Status, table: lake.TableStatus, previous: "previous_status"},
	{dataset: sources.Appointments, table: lake.TableAppointments, previous: "previous_appointments"},
}

// curateRegisters types and judges this run's rows of each register, quarantines the bad ones
// and merges the good ones into the published table.
func (r *run) curateRegisters(ctx context.Context) error {
	for _, reg := range registers {
		if err := r.curateRegister(ctx, reg); err != nil {
			return err
		}
	}
	return nil
}

func (r *run) curateRegister(ctx context.Context, reg register) error {
	name := reg.dataset.Name
	// The quarantine holds every dataset's raw cells under their own names: curate.sql makes
	// it with the cases' columns, each register adds its own (NULL on the other datasets' rows).
	for _, c := range reg.dataset.Columns {
		if err := r.Eng.Exec(ctx, "ALTER TABLE quarantine ADD COLUMN "+engine.Ident(c)+" VARCHAR"); err != nil {
			return fmt.Errorf("quarantine column %s of %s: %w", c, name, err)
		}
	}
	landed, err := r.createLandedView(ctx, reg.dataset, name+"_raw", name+"_fresh_none.sql")
	if err != nil {
		return err
	}
	if landed {
		if err := r.Eng.RunFile(ctx, name+"_curate.sql"); err != nil {
			return err
		}
	}
	previous, err := r.PreviousFiles(reg.table)
	if err != nil {
		return err
	}
	step := name + "_previous_none.sql"
	if len(previous) > 0 {
		if err := r.Eng.SetVariable(ctx, reg.previous, engine.List(previous)); err != nil {
			return err
		}
		step = name + "_previous.sql"
	}
	for _, f := range []string{step, name + "_merge.sql"} {
		if err := r.Eng.RunFile(ctx, f); err != nil {
			return err
		}
	}
	return nil
}

// createLandedView exposes this run's landed files of a dataset as the view named and says
// whether there were any; when there were none, it runs noneFile instead. A file DuckDB
// copied has no source_row: it is the row's position in the file (file_row_number, from 0)
// plus the part's first row.
func (r *run) createLandedView(ctx context.Context, d sources.Dataset, view, noneFile string) (bool, error) {
	byFirstRow := map[int64][]string{}
	for _, l := range r.Landed {
		if l.Dataset != d.Name {
			continue
		}
		for _, p := range l.Parts {
			byFirstRow[p.FirstRow] = append(byFirstRow[p.FirstRow], p.Path)
		}
	}
	if len(byFirstRow) == 0 {
		return false, r.Eng.RunFile(ctx, noneFile)
	}
	return true, r.Eng.Exec(ctx, "CREATE OR REPLACE TEMP VIEW "+view+" AS "+landedSelect(byFirstRow))
}

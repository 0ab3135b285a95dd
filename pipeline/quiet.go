package pipeline

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"scorecard/pipeline/config"
	"scorecard/pipeline/engine"
	"scorecard/pipeline/lake"
	"scorecard/pipeline/period"
	"scorecard/pipeline/ruleset"
	"scorecard/pipeline/stage"
)

// A quiet run: a nightly run that finds no new or changed file, with the same as-of date,
// rules, plans, config and software as the run that computed the published figures, has
// nothing to compute. Every figure it would write (the forecast and at-risk cases too, which
// depend on the as-of date) is the one published, so it keeps the published version's files
// as they are (raw landings past their retention excepted) and adds its row to runs, which
// names the run whose figures it kept. Recomputing them took seconds at ten million cases:
// reading every case for the forecast and the at-risk list.

// stateInputs is the state file of the inputs fingerprint (out_inputs.sql).
const stateInputs = "inputs"

// fingerprintInputs computes the run's inputs fingerprint: a hash of everything the published
// figures depend on besides the landed rows. The config is taken whole but for its DuckDB
// settings (any other change recomputes, to be safe); the plans by their files' hashes and,
// with the catalogue, by the rules fingerprint; the software by its version.
func (r *run) fingerprintInputs() error {
	cfg := *r.Opts.Config
	cfg.DuckDB = config.DuckDBConfig{}
	rules, err := ruleset.Fingerprint(r.Opts.Catalogue, r.Opts.Plans, r.Opts.AsOf)
	if err != nil {
		return err
	}
	doc, err := json.Marshal(struct {
		Version, AsOf, Rules string
		Plans                []lake.PlanFile
		Config               config.Config
	}{Version, r.Opts.AsOf.Format(period.DateLayout), rules, r.Record.Plans, cfg})
	if err != nil {
		return fmt.Errorf("inputs fingerprint: %w", err)
	}
	sum := sha256.Sum256(doc)
	r.Inputs = hex.EncodeToString(sum[:])
	return nil
}

// stageThenCheckQuiet stages the sources, then tells whether the run is quiet.
func (r *run) stageThenCheckQuiet(ctx context.Context) error {
	if err := stage.Run(ctx, r.Run); err != nil {
		return err
	}
	kept, err := r.keptRun(ctx)
	if err != nil || kept == "" {
		return err
	}
	rules, err := ruleset.Fingerprint(r.Opts.Catalogue, r.Opts.Plans, r.Opts.AsOf)
	if err != nil {
		return err
	}
	r.Quiet, r.Record.KeptRunID, r.Record.RulesSHA256 = true, kept, rules
	r.Record.Outputs = []lake.OutputFile{} // none written: [] in runs, not NULL
	r.Log.Info().Str("kept_run_id", kept).
		Msg("nothing new (no file to land, the same as-of date, rules and config): the published figures are kept")
	return nil
}

// keptRun returns the run whose published figures a quiet run keeps, or "" when the run must
// compute: it landed or rebuilt something, a file was touched, gone or back (the state
// changed), a source is an SQL table (read every run), it is a backfill or --full, or the
// published figures were computed with other inputs (or before their fingerprint was kept).
func (r *run) keptRun(ctx context.Context) (string, error) {
	if r.Prev == "" || r.Opts.Window != nil || r.Opts.Full || len(r.Landed) > 0 || len(r.Rebuilt) > 0 || len(r.Record.Shrink) > 0 {
		return "", nil
	}
	for _, sc := range r.Opts.Config.Sources {
		if sc.IsSQL() {
			return "", nil
		}
	}
	state := filepath.Join(r.Prev, lake.TableState)
	if _, err := os.Stat(filepath.Join(state, stateInputs, lake.PartitionFile)); errors.Is(err, fs.ErrNotExist) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("reading the inputs state: %w", err)
	}
	if err := r.Eng.SetVariable(ctx, "previous_state", engine.Quote(state)); err != nil {
		return "", err
	}
	type published struct {
		inputs, runID string
		unchanged     bool
	}
	rows, err := engine.QueryFile(ctx, r.Eng, "previous_inputs.sql", func(scan func(...any) error) (published, error) {
		var p published
		var inputs sql.NullString
		err := scan(&inputs, &p.runID, &p.unchanged)
		p.inputs = inputs.String
		return p, err
	})
	if err != nil || len(rows) != 1 || rows[0].inputs != r.Inputs || !rows[0].unchanged {
		return "", err
	}
	return rows[0].runID, nil
}

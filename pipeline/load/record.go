package load

import (
	"context"
	"path/filepath"

	"scorecard/pipeline/config"
	"scorecard/pipeline/lake"
	"scorecard/pipeline/outputs"
	"scorecard/pipeline/runstate"
)

// errOutputsPending is the error on record while a published run writes its outputs; it stays
// when the run is killed before it is done.
const errOutputsPending = "the lake was published, but the run stopped before its outputs were written " +
	"(the output files are an earlier run's; the next run writes them)"

// pendingLoaders lists the configured outputs as not written.
func (r *run) pendingLoaders() []lake.LoaderResult {
	out := make([]lake.LoaderResult, len(r.Opts.Config.Outputs))
	for i, o := range r.Opts.Config.Outputs {
		out[i] = lake.LoaderResult{Name: r.loaderName(o), Status: lake.LoaderNotWritten}
	}
	return out
}

// loaderName is an output's name on record: its kind and where it writes.
func (r *run) loaderName(o config.OutputConfig) string {
	if l, err := outputs.New(r.Opts.Config.OutputSpec(o)); err == nil {
		return l.Name()
	}
	return o.Kind
}

// republishRecord publishes the current version again with this run's manifest row replaced.
func (r *run) republishRecord(ctx context.Context) error {
	cur, err := r.Lake.Current()
	if err != nil {
		return err
	}
	v, err := lake.NewVersion(r.Lake, r.ID+".outputs", cur)
	if err != nil {
		return err
	}
	own := filepath.Join(lake.TableRuns, r.ID+".parquet")
	for _, t := range lake.Tables {
		if err := v.KeepTable(t, func(rel string) bool { return rel == own }); err != nil {
			return err
		}
	}
	if err := r.writeRecord(ctx, v); err != nil {
		return err
	}
	r.Prev = cur // the version before this one stays for readers that just listed it
	// The record is in a version of its own, not yet published.
	runstate.Checkpoint(ctx, "outputs-publish")
	return v.Commit()
}

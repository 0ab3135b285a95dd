package stage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"time"

	"scorecard/pipeline/config"
	"scorecard/pipeline/runstate"
	"scorecard/sources"
)

// loadWatermarks fills the watermarks table from the published version's state.
func (r *run) loadWatermarks(ctx context.Context) error {
	return r.loadState(ctx, "watermarks")
}

// sqlSpec completes an SQL source's extractor config: the DSN from its environment variable
// and the rows to read. A backfill reads the decisions of its window; a nightly run of an
// incremental source the rows changed since the watermark, less the overlap; else all rows.
func (r *run) sqlSpec(ctx context.Context, sc config.SourceConfig, spec sources.Config) (sources.Config, error) {
	spec.DSN = os.Getenv(sc.DSNEnv)
	if spec.DSN == "" {
		return spec, fmt.Errorf("the environment variable %s (dsn_env) is not set", sc.DSNEnv)
	}
	column := func(canonical string) string {
		if c, ok := sc.Columns[canonical]; ok {
			return c
		}
		return canonical
	}
	loc := r.Opts.Config.Location
	switch {
	case !sc.IsCases(): // a status register is small: read whole, a backfill's too
	case r.Opts.Window != nil:
		w := r.Opts.Window
		from := localMidnight(w.From, loc)
		to := localMidnight(w.To.AddDate(0, 0, 1), loc)
		spec.Bounds = sources.Bounds{Column: column("decided_at"), Lower: &from, Upper: &to}
	case sc.Incremental != nil && !r.Opts.Full:
		var mark time.Time
		err := r.Eng.Conn.QueryRowContext(ctx, "SELECT watermark FROM watermarks WHERE source = ?", sc.Name).Scan(&mark)
		switch {
		case errors.Is(err, sql.ErrNoRows): // never read: the first run reads the table whole
			r.Log.Info().Str(runstate.FieldSource, sc.Name).Msg("no watermark yet: reading every row")
		case err != nil:
			// Anything else must not be taken for "no watermark": the source would be read
			// whole without anyone asking for it.
			return spec, fmt.Errorf("reading the watermark of source %s from the lake's state: %w", sc.Name, err)
		default:
			lower := mark.Add(-sc.Incremental.OverlapDuration())
			spec.Bounds = sources.Bounds{Column: column(sc.Incremental.Column), Lower: &lower}
			r.Log.Info().Str(runstate.FieldSource, sc.Name).Time("since", lower).Msg("reading rows changed since the watermark")
		}
	}
	return spec, nil
}

// localMidnight is the instant a local date begins.
func localMidnight(d time.Time, loc *time.Location) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
}

package pipeline

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"time"

	"scorecard/sources"
)

// loadWatermarks fills the watermarks table from the published version's state.
func (r *run) loadWatermarks(ctx context.Context) error {
	return r.loadState(ctx, "watermarks")
}

// sqlSpec completes an SQL source's extractor config: the DSN from its environment variable
// and the rows to read. A backfill reads the decisions of its window; a nightly run of an
// incremental source the rows changed since the watermark, less the overlap; else all rows.
func (r *run) sqlSpec(ctx context.Context, sc SourceConfig, spec sources.Config) (sources.Config, error) {
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
	loc := r.opts.Config.Location
	switch {
	case !sc.IsCases(): // a status register is small: read whole, a backfill's too
	case r.opts.Window != nil:
		w := r.opts.Window
		from := localMidnight(w.From, loc)
		to := localMidnight(w.To.AddDate(0, 0, 1), loc)
		spec.Bounds = sources.Bounds{Column: column("decided_at"), Lower: &from, Upper: &to}
	case sc.Incremental != nil && !r.opts.Full:
		var mark time.Time
		err := r.eng.Conn.QueryRowContext(ctx, "SELECT watermark FROM watermarks WHERE source = ?", sc.Name).Scan(&mark)
		switch {
		case errors.Is(err, sql.ErrNoRows): // never read: the first run reads the table whole
			r.log.Info().Str(FieldSource, sc.Name).Msg("no watermark yet: reading every row")
		case err != nil:
			// Anything else must not be taken for "no watermark": the source would be read
			// whole without anyone asking for it.
			return spec, fmt.Errorf("reading the watermark of source %s from the lake's state: %w", sc.Name, err)
		default:
			lower := mark.Add(-sc.Incremental.OverlapDuration())
			spec.Bounds = sources.Bounds{Column: column(sc.Incremental.Column), Lower: &lower}
			r.log.Info().Str(FieldSource, sc.Name).Time("since", lower).Msg("reading rows changed since the watermark")
		}
	}
	return spec, nil
}

// advanceWatermarks moves each incremental source's watermark after curation; a backfill
// leaves them as they are.
func (r *run) advanceWatermarks(ctx context.Context) error {
	if r.opts.Window != nil {
		return nil
	}
	file, text, err := r.eng.SQL("advance_watermark.sql")
	if err != nil {
		return err
	}
	for _, sc := range r.opts.Config.Sources {
		if sc.Incremental == nil {
			continue
		}
		if err := r.eng.Exec(ctx, text, sc.Name); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
	}
	return nil
}

// localMidnight is the instant a local date begins.
func localMidnight(d time.Time, loc *time.Location) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
}

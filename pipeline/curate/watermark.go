package curate

import (
	"context"
	"fmt"
)

// advanceWatermarks moves each incremental source's watermark after curation; a backfill
// leaves them as they are.
func (r *run) advanceWatermarks(ctx context.Context) error {
	if r.Opts.Window != nil {
		return nil
	}
	file, text, err := r.Eng.SQL("advance_watermark.sql")
	if err != nil {
		return err
	}
	for _, sc := range r.Opts.Config.Sources {
		if sc.Incremental == nil {
			continue
		}
		if err := r.Eng.Exec(ctx, text, sc.Name); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
	}
	return nil
}

package curate

import (
	"context"
	"fmt"
	"strings"

	"scorecard/pipeline/config"
	"scorecard/pipeline/engine"
	"scorecard/pipeline/lake"
	"scorecard/pipeline/runstate"
)

// checkShrink lists the published cases this run removes (removed_cases: those of a rebuilt
// source that it no longer holds, or whose new row was quarantined) and fails the run when a
// source loses more than its max_shrink_pct of its published cases, unless --allow-shrink.
func (r *run) checkShrink(ctx context.Context) error {
	if err := r.Eng.RunFile(ctx, "removed_cases.sql"); err != nil {
		return err
	}
	if len(r.Rebuilt) == 0 || !r.MergedPublished {
		return nil
	}
	if err := r.Eng.RunFile(ctx, "removed_find.sql"); err != nil {
		return err
	}
	type counted struct {
		source             string
		published, removed int64
	}
	counts, err := engine.QueryFile(ctx, r.Eng, "removed_counts.sql", func(scan func(...any) error) (counted, error) {
		var c counted
		return c, scan(&c.source, &c.published, &c.removed)
	})
	if err != nil {
		return err
	}
	var over []string
	for _, c := range counts {
		sc := r.Opts.Config.SourceNamed(c.source)
		s := r.shrinkOf(sc)
		s.Rebuilt, s.CasesPublished, s.CasesRemoved = true, c.published, c.removed
		s.MaxShrinkPct = r.Opts.Config.ShrinkLimitPct(sc)
		if c.removed == 0 {
			continue
		}
		r.Log.Warn().Str(runstate.FieldSource, c.source).Int64("cases_removed", c.removed).
			Int64("cases_published", c.published).Msg("cases leave the lake (see the removed_cases view)")
		if float64(c.removed)*100 <= s.MaxShrinkPct*float64(c.published) {
			continue
		}
		if r.Opts.AllowShrink {
			s.Allowed = true
			continue
		}
		over = append(over, shrinkProblem(sc, *s))
	}
	if len(over) > 0 {
		return fmt.Errorf("%w: %s. If that is right (a snapshot that really lost them), run again with --allow-shrink; "+
			"the cases it removes are then listed in the removed_cases view", ErrShrink, strings.Join(over, "; "))
	}
	return nil
}

// shrinkProblem says which source would lose how many cases, and from what.
func shrinkProblem(sc config.SourceConfig, s lake.SourceShrink) string {
	msg := fmt.Sprintf("source %s would remove %d of its %d published cases (%.1f%%; max_shrink_pct is %g)",
		s.Source, s.CasesRemoved, s.CasesPublished, 100*float64(s.CasesRemoved)/float64(s.CasesPublished), s.MaxShrinkPct)
	switch {
	case sc.IsSQL():
		msg += ": it is read whole and its query returned fewer cases"
	case len(s.FilesGone) == 0 && len(s.FilesChanged) == 0:
		msg += ": a snapshot source read again with --full"
	}
	if len(s.FilesGone) > 0 {
		msg += "; files gone: " + strings.Join(s.FilesGone, ", ")
	}
	if len(s.FilesChanged) > 0 {
		msg += "; files changed: " + strings.Join(s.FilesChanged, ", ")
	}
	return msg
}

// shrinkOf is the run record's entry of a source, added when it has none yet.
func (r *run) shrinkOf(sc config.SourceConfig) *lake.SourceShrink {
	for i := range r.Record.Shrink {
		if r.Record.Shrink[i].Source == sc.Name {
			return &r.Record.Shrink[i]
		}
	}
	r.Record.Shrink = append(r.Record.Shrink, lake.SourceShrink{Source: sc.Name, Mode: sc.EffectiveMode()})
	return &r.Record.Shrink[len(r.Record.Shrink)-1]
}

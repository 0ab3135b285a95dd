package pipeline

import (
	"context"
	"fmt"
	"strings"

	"scorecard/pipeline/engine"
	"scorecard/pipeline/lake"
)

// noteFileChanges logs the landed files of a source that are gone or changed, and keeps them
// for the run record and the guard's message.
func (r *run) noteFileChanges(sc SourceConfig, found sourceFiles) {
	if len(found.gone) == 0 && len(found.changed) == 0 && !found.rebuilt {
		return
	}
	for _, path := range found.gone {
		ev := r.log.Warn().Str(FieldSource, sc.Name).Str(FieldPath, path).Str("mode", sc.EffectiveMode())
		if sc.EffectiveMode() == ModeDelta {
			ev.Msg("landed file is gone: its cases stay (delta source)")
		} else {
			ev.Msg("landed file is gone: its cases leave unless another file holds them (snapshot source)")
		}
	}
	for _, path := range found.changed {
		r.log.Info().Str(FieldSource, sc.Name).Str(FieldPath, path).Str("mode", sc.EffectiveMode()).
			Msg("landed file changed: it is landed again")
	}
	r.record.Shrink = append(r.record.Shrink, lake.SourceShrink{
		Source: sc.Name, Mode: sc.EffectiveMode(), FilesGone: found.gone, FilesChanged: found.changed,
		MaxShrinkPct: r.opts.Config.ShrinkLimitPct(sc),
	})
}

// checkShrink lists the published cases this run removes (removed_cases: those of a rebuilt
// source that it no longer holds, or whose new row was quarantined) and fails the run when a
// source loses more than its max_shrink_pct of its published cases, unless --allow-shrink.
func (r *run) checkShrink(ctx context.Context) error {
	if err := r.eng.RunFile(ctx, "removed_cases.sql"); err != nil {
		return err
	}
	if len(r.rebuilt) == 0 || !r.mergedPublished {
		return nil
	}
	if err := r.eng.RunFile(ctx, "removed_find.sql"); err != nil {
		return err
	}
	type counted struct {
		source             string
		published, removed int64
	}
	counts, err := engine.QueryFile(ctx, r.eng, "removed_counts.sql", func(scan func(...any) error) (counted, error) {
		var c counted
		return c, scan(&c.source, &c.published, &c.removed)
	})
	if err != nil {
		return err
	}
	var over []string
	for _, c := range counts {
		sc := r.opts.Config.sourceNamed(c.source)
		s := r.shrinkOf(sc)
		s.Rebuilt, s.CasesPublished, s.CasesRemoved = true, c.published, c.removed
		s.MaxShrinkPct = r.opts.Config.ShrinkLimitPct(sc)
		if c.removed == 0 {
			continue
		}
		r.log.Warn().Str(FieldSource, c.source).Int64("cases_removed", c.removed).
			Int64("cases_published", c.published).Msg("cases leave the lake (see the removed_cases view)")
		if float64(c.removed)*100 <= s.MaxShrinkPct*float64(c.published) {
			continue
		}
		if r.opts.AllowShrink {
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
func shrinkProblem(sc SourceConfig, s lake.SourceShrink) string {
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
func (r *run) shrinkOf(sc SourceConfig) *lake.SourceShrink {
	for i := range r.record.Shrink {
		if r.record.Shrink[i].Source == sc.Name {
			return &r.record.Shrink[i]
		}
	}
	r.record.Shrink = append(r.record.Shrink, lake.SourceShrink{Source: sc.Name, Mode: sc.EffectiveMode()})
	return &r.record.Shrink[len(r.record.Shrink)-1]
}

// sourceNamed is the configured source of that name.
func (c *Config) sourceNamed(name string) SourceConfig {
	for _, s := range c.Sources {
		if s.Name == name {
			return s
		}
	}
	return SourceConfig{Name: name}
}

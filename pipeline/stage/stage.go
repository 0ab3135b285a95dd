// Package stage is the first stage of a run: it extracts every source into the raw landing of
// the run's staging folder, as extracted, and keeps the landed files' state (which file was
// landed when, with what hash) and the SQL sources' watermarks.
package stage

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"scorecard/pipeline/config"
	"scorecard/pipeline/engine"
	"scorecard/pipeline/lake"
	"scorecard/pipeline/runstate"
	"scorecard/sources"
)

// stage extracts every source into the raw landing of the run's staging folder. A file source
// lands only the files it has not landed before, or that changed since.
func (r *run) stage(ctx context.Context) error {
	if err := r.loadLandedFiles(ctx); err != nil {
		return err
	}
	if err := r.loadWatermarks(ctx); err != nil {
		return err
	}
	cfg := r.Opts.Config
	for _, sc := range cfg.Sources {
		spec := cfg.SourceSpec(sc)
		spec.Allocator = r.Opts.Allocator
		count := lake.SourceCount{Source: sc.Name, Kind: sc.Kind}
		var files []landedFile
		// An SQL source read whole (not incremental, not a backfill's window) is a snapshot:
		// its cases are replaced by what it returns now, so a row deleted from the table leaves
		// the lake (within max_shrink_pct). An incremental one is a delta.
		rebuilt := sc.IsSQL() && sc.ReadWhole() && r.Opts.Window == nil
		if sc.IsSQL() {
			var err error
			if spec, err = r.sqlSpec(ctx, sc, spec); err != nil {
				return fmt.Errorf("source %s: %w", sc.Name, err)
			}
		}
		if spec.Path != "" {
			found, err := r.filesToLand(ctx, sc, spec)
			if err != nil {
				return fmt.Errorf("source %s: %w", sc.Name, err)
			}
			files, rebuilt = found.land, found.rebuilt
			r.noteFileChanges(sc, found)
			count.FilesLanded = int64(len(files))
			if len(files) == 0 && !rebuilt {
				r.Record.Sources = append(r.Record.Sources, count)
				r.Log.Info().Str(runstate.FieldSource, sc.Name).Msg("no new files")
				continue
			}
			spec.Files = make([]string, len(files))
			for i, f := range files {
				spec.Files[i] = f.Path
			}
		}
		if rebuilt {
			r.Rebuilt = append(r.Rebuilt, sc.Name)
		}
		if len(files) == 0 && spec.Path != "" { // a snapshot source whose files are all gone
			if err := r.recordLanded(ctx, sc.Name, true, nil, time.Now()); err != nil {
				return err
			}
			r.Record.Sources = append(r.Record.Sources, count)
			r.Log.Warn().Str(runstate.FieldSource, sc.Name).Msg("snapshot source has no files: all its cases would leave")
			continue
		}
		spec.Name, spec.Kind = sc.Name, sc.Kind
		dir := filepath.Join(r.Staging, lake.TableRaw, "source="+sc.Name, "run_id="+r.ID)
		// The files' sha256, for the landed-files state, is taken while they land, so the
		// landing does not wait for a first run to read a gigabyte.
		hashed := make(chan error, 1)
		go func() { hashed <- r.hashFiles(ctx, files, make([]bool, len(files))) }()
		got, err := r.stageSource(ctx, spec, dir)
		if herr := <-hashed; err == nil && herr != nil {
			err = herr
		}
		if err != nil {
			return fmt.Errorf("source %s: %w", sc.Name, err)
		}
		// An SQL source read whole lands its table as one "file": the quarantine view then
		// shows the rows its latest landing rejected, not those of every run.
		landedNow := files
		if sc.IsSQL() && rebuilt {
			landedNow = []landedFile{{Source: sc.Name, Path: sources.SQLSourceFile(spec), Size: got.Rows, ModTime: got.ExtractedAt}}
		}
		// A backfill merges only its window's rows of the files it lands, so it leaves them
		// unrecorded: the next nightly run lands them whole.
		if r.Opts.Window == nil {
			if err := r.recordLanded(ctx, sc.Name, rebuilt, landedNow, got.ExtractedAt); err != nil {
				return err
			}
		}
		if rebuilt {
			r.Log.Info().Str(runstate.FieldSource, sc.Name).Msg("source rebuilt: its cases are replaced by what it holds now")
		}
		count.RowsRead = got.Rows
		r.Record.Sources = append(r.Record.Sources, count)
		r.Landed = append(r.Landed, got)
		r.Log.Info().Str(runstate.FieldSource, sc.Name).Int64(runstate.FieldRows, got.Rows).Int("files", len(files)).Msg("source landed")
	}
	return r.Eng.SetVariable(ctx, "rebuilt_sources", engine.List(r.Rebuilt)+"::VARCHAR[]")
}

// noteFileChanges logs the landed files of a source that are gone or changed, and keeps them
// for the run record and the guard's message.
func (r *run) noteFileChanges(sc config.SourceConfig, found sourceFiles) {
	if len(found.gone) == 0 && len(found.changed) == 0 && !found.rebuilt {
		return
	}
	for _, path := range found.gone {
		ev := r.Log.Warn().Str(runstate.FieldSource, sc.Name).Str(runstate.FieldPath, path).Str("mode", sc.EffectiveMode())
		if sc.EffectiveMode() == config.ModeDelta {
			ev.Msg("landed file is gone: its cases stay (delta source)")
		} else {
			ev.Msg("landed file is gone: its cases leave unless another file holds them (snapshot source)")
		}
	}
	for _, path := range found.changed {
		r.Log.Info().Str(runstate.FieldSource, sc.Name).Str(runstate.FieldPath, path).Str("mode", sc.EffectiveMode()).
			Msg("landed file changed: it is landed again")
	}
	r.Record.Shrink = append(r.Record.Shrink, lake.SourceShrink{
		Source: sc.Name, Mode: sc.EffectiveMode(), FilesGone: found.gone, FilesChanged: found.changed,
		MaxShrinkPct: r.Opts.Config.ShrinkLimitPct(sc),
	})
}

// run is the run being staged; the stage's steps are its methods.
type run struct{ *runstate.Run }

// Run lands every source. A file source lands only the files it has not landed before, or
// that changed since.
func Run(ctx context.Context, r *runstate.Run) error { return (&run{r}).stage(ctx) }

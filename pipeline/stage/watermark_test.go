package stage

import (
	"strings"
	"testing"
	"time"

	"scorecard/pipeline/config"
	"scorecard/pipeline/runstate"
	"scorecard/pipeline/session"

	"github.com/rs/zerolog"
)

// TestWatermarkReadErrorFails: only "no watermark row" means a first read of the whole table;
// any other error reading the watermark fails (here the state table is missing altogether).
// Before, every error was taken as "no watermark" and the source silently read whole.
func TestWatermarkReadErrorFails(t *testing.T) {
	eng, err := session.Open(t.Context(), config.DuckDBConfig{Threads: 1, MemoryLimit: "256MB"}, t.TempDir(), SQL)
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	t.Setenv("SCORECARD_TEST_WATERMARK_DSN", "postgres://nowhere")
	cfg := &config.Config{Location: time.UTC}
	r := &run{&runstate.Run{Opts: runstate.Options{Config: cfg}, Eng: eng, Log: zerolog.Nop()}}
	sc := config.SourceConfig{Name: "db", Kind: "postgres", DSNEnv: "SCORECARD_TEST_WATERMARK_DSN", Table: "sag",
		Incremental: &config.IncrementalConfig{Column: "updated_at"}}
	_, err = r.sqlSpec(t.Context(), sc, cfg.SourceSpec(sc))
	if err == nil || !strings.Contains(err.Error(), "reading the watermark of source db") {
		t.Fatalf("err = %v, want the watermark read error", err)
	}
	// With the table there but no row for the source, the first run reads everything.
	if err := eng.RunFile(t.Context(), "watermarks.sql"); err != nil {
		t.Fatal(err)
	}
	spec, err := r.sqlSpec(t.Context(), sc, cfg.SourceSpec(sc))
	if err != nil || spec.Bounds.Lower != nil {
		t.Errorf("no watermark yet: bounds %+v, err %v; want no bounds", spec.Bounds, err)
	}
}

package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"scorecard/pipeline/lake"

	"github.com/rs/zerolog"
)

// TestWatermarkReadErrorFails: only "no watermark row" means a first read of the whole table;
// any other error reading the watermark fails (here the state table is missing altogether).
// Before, every error was taken as "no watermark" and the source silently read whole.
func TestWatermarkReadErrorFails(t *testing.T) {
	eng, err := openEngine(t.Context(), DuckDBConfig{Threads: 1, MemoryLimit: "256MB"}, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	t.Setenv("SCORECARD_TEST_WATERMARK_DSN", "postgres://nowhere")
	cfg := &Config{Location: testNow.Location()}
	r := &run{opts: Options{Config: cfg}, eng: eng, log: zerolog.Nop()}
	sc := SourceConfig{Name: "db", Kind: "postgres", DSNEnv: "SCORECARD_TEST_WATERMARK_DSN", Table: "sag",
		Incremental: &IncrementalConfig{Column: "updated_at"}}
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

// TestLandedStateStatErrorFails: a published landed-files state that cannot be looked at (here
// its folder is a file, so stat fails with "not a directory") fails the run and names the
// state; before, it was taken as "no state" and every file was landed again.
func TestLandedStateStatErrorFails(t *testing.T) {
	f := dropFixture(t, "")
	f.run("2024-12-31")
	cur, err := lake.Lake{Dir: f.cfg.LakeDir()}.Current()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(cur, lake.TableState, "landed_files")
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir, []byte("not a folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = f.tryRun("2024-12-31")
	if err == nil || !strings.Contains(err.Error(), "reading the landed_files state") {
		t.Fatalf("err = %v, want the state's stat error", err)
	}
}

package pipeline

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"scorecard/pipeline/lake"
)

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

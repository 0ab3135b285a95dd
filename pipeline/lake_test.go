package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"scorecard/pipeline/lake"
	"scorecard/pipeline/runstate"
)

// pauseAt is a Progress that blocks a run when it reaches a stage, until released.
type pauseAt struct {
	stage   string
	reached chan struct{}
	release chan struct{}
}

func (p *pauseAt) Stage(name string) {
	if name == p.stage {
		close(p.reached)
		<-p.release
	}
}
func (p *pauseAt) Rows(int64) {}

// startRun starts a run --full in a goroutine with progress, returning its error on the channel.
func (f *fixture) startRun(asOf string, progress runstate.Progress) <-chan error {
	f.t.Helper()
	opts := f.options(asOf)
	opts.Full, opts.Command, opts.Progress, opts.Now = true, "test --full", progress, nil
	done := make(chan error, 1)
	go func() {
		_, err := Run(context.Background(), opts)
		done <- err
	}()
	return done
}

// TestLockFileRemovedDuringRun: `scorecard run --full &`, `rm lake/.lock`, `scorecard run
// --full` must refuse the second run, and the first must still publish a whole lake.
func TestLockFileRemovedDuringRun(t *testing.T) {
	f := csvFixture(t, `
		A1,eu_ophold,ja,,,2024-01-01,2024-01-02,
		A2,eu_ophold,nej,,,2024-02-01,2024-02-05,
	`)
	f.run("2024-12-31")
	pause := &pauseAt{stage: "curate", reached: make(chan struct{}), release: make(chan struct{})}
	first := f.startRun("2024-12-31", pause)
	select {
	case <-pause.reached:
	case err := <-first:
		t.Fatalf("the first run ended before curate: %v", err)
	}
	if err := os.Remove(filepath.Join(f.cfg.LakeDir(), lake.LockFile)); err != nil {
		t.Fatal(err)
	}
	_, err := f.tryRun("2024-12-31")
	close(pause.release)
	if !errors.Is(err, lake.ErrLocked) {
		t.Errorf("second run while the first holds the lake: %v, want ErrLocked", err)
	}
	if err := <-first; err != nil {
		t.Fatalf("the first run: %v", err)
	}
	if got := f.query("SELECT count(*) AS n FROM cases")[0]["n"]; got != int64(2) {
		t.Errorf("cases after the first run: %v, want 2", got)
	}
	if got := f.query("SELECT count(*) AS n FROM scorecard")[0]["n"]; got == int64(0) {
		t.Error("no scorecard after the first run")
	}
	if got := f.query("SELECT count(*) AS n FROM runs WHERE status = 'succeeded'")[0]["n"]; got != int64(2) {
		t.Errorf("succeeded runs on record: %v, want 2", got)
	}
}

// versionNames lists the folders in the lake's .versions.
func versionNames(t *testing.T, lakeDir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(lakeDir, lake.VersionsDir))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// twoRunLake is a lake after two runs: its current and previous versions.
func twoRunLake(t *testing.T) *fixture {
	t.Helper()
	f := csvFixture(t, "A1,eu_ophold,ja,,,2024-01-01,2024-01-02,\n")
	tick := testNow
	f.now = func() time.Time { tick = tick.Add(time.Second); return tick } // run ids in run order
	f.run("2024-12-31")
	f.run("2024-12-31")
	return f
}

// TestCurrentBroken: a `current` link to a version that is gone is an error that says how to
// repair it, and the run prunes nothing; after the repair, runs go on with the history whole.
func TestCurrentBroken(t *testing.T) {
	f := twoRunLake(t)
	lakeDir := f.cfg.LakeDir()
	cur, err := lake.Lake{Dir: lakeDir}.Current()
	if err != nil {
		t.Fatal(err)
	}
	versions := versionNames(t, lakeDir)
	link := filepath.Join(lakeDir, lake.CurrentLink)
	if err := lake.ReplaceSymlink(filepath.Join(lake.VersionsDir, "gone"), link); err != nil {
		t.Fatal(err)
	}
	_, err = f.tryRun("2024-12-31")
	repair := "repair with: ln -sfn " + filepath.Join(lake.VersionsDir, filepath.Base(cur)) + " " + link
	checkCurrentError(t, err, "lake "+lakeDir+": current points to .versions/gone, which does not exist;", repair)
	if got := versionNames(t, lakeDir); !slices.Equal(got, versions) {
		t.Errorf("versions after the refused run: %v, want %v", got, versions)
	}
	if _, err := (lake.Lake{Dir: lakeDir}).Current(); !errors.Is(err, lake.ErrNoCurrent) {
		t.Errorf("Current: %v, want ErrNoCurrent", err)
	}
	if (lake.Lake{Dir: lakeDir}).HasRun() {
		t.Error("HasRun is true with a broken current")
	}
	// The query and the reports say the same, not "run `scorecard run` first".
	if _, err := Query(t.Context(), lake.Lake{Dir: lakeDir}, f.cfg.DuckDB, "SELECT 1"); !errors.Is(err, lake.ErrNoCurrent) || !strings.Contains(err.Error(), repair) {
		t.Errorf("Query on the broken lake: %v, want the repair advice", err)
	}

	if err := lake.ReplaceSymlink(filepath.Join(lake.VersionsDir, filepath.Base(cur)), link); err != nil {
		t.Fatal(err)
	}
	f.run("2024-12-31")
	if got := f.query("SELECT count(*) AS n FROM runs")[0]["n"]; got != int64(3) {
		t.Errorf("runs on record after the repair: %v, want 3", got)
	}
}

// TestCurrentMissing: a lake whose versions are there but whose current link is gone is an
// error naming the latest whole version; nothing is pruned.
func TestCurrentMissing(t *testing.T) {
	f := twoRunLake(t)
	lakeDir := f.cfg.LakeDir()
	cur, err := lake.Lake{Dir: lakeDir}.Current()
	if err != nil {
		t.Fatal(err)
	}
	// A version a killed run left half written sorts last, but is no repair.
	partial := filepath.Join(lakeDir, lake.VersionsDir, "29991231T000000Z-ffffff")
	if err := os.MkdirAll(filepath.Join(partial, lake.TableCases), 0o755); err != nil {
		t.Fatal(err)
	}
	versions := versionNames(t, lakeDir)
	if err := os.Remove(filepath.Join(lakeDir, lake.CurrentLink)); err != nil {
		t.Fatal(err)
	}
	_, err = f.tryRun("2024-12-31")
	checkCurrentError(t, err, "lake "+lakeDir+": no current link;",
		"repair with: ln -sfn "+filepath.Join(lake.VersionsDir, filepath.Base(cur))+" "+filepath.Join(lakeDir, lake.CurrentLink))
	if got := versionNames(t, lakeDir); !slices.Equal(got, versions) {
		t.Errorf("versions after the refused run: %v, want %v", got, versions)
	}
}

// TestCurrentNoVersionsLeft: after `rm -rf lake/.versions`, a run says the lake must be
// started anew, and it can be.
func TestCurrentNoVersionsLeft(t *testing.T) {
	f := twoRunLake(t)
	lakeDir := f.cfg.LakeDir()
	if err := os.RemoveAll(filepath.Join(lakeDir, lake.VersionsDir)); err != nil {
		t.Fatal(err)
	}
	_, err := f.tryRun("2024-12-31")
	link := filepath.Join(lakeDir, lake.CurrentLink)
	checkCurrentError(t, err, "no complete version is left in .versions; to start a new lake: rm "+link)
	if err := os.Remove(link); err != nil {
		t.Fatal(err)
	}
	f.run("2024-12-31")
}

// checkCurrentError checks the error of a run refused for its current link.
func checkCurrentError(t *testing.T, err error, wants ...string) {
	t.Helper()
	if !errors.Is(err, lake.ErrNoCurrent) || !errors.Is(err, lake.ErrLayout) {
		t.Fatalf("run: %v, want ErrNoCurrent", err)
	}
	for _, want := range wants {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error %q does not say %q", err, want)
		}
	}
}

// TestCurrentNewLake: an empty lake folder, or one with only an empty .versions or a version
// a killed first run left half written, is a new lake.
func TestCurrentNewLake(t *testing.T) {
	for name, made := range map[string]string{
		"empty folder":  "",
		"no versions":   lake.VersionsDir,
		"partial first": filepath.Join(lake.VersionsDir, "20240101T000000Z-abcdef", lake.TableCases),
	} {
		t.Run(name, func(t *testing.T) {
			f := csvFixture(t, "A1,eu_ophold,ja,,,2024-01-01,2024-01-02,\n")
			if err := os.MkdirAll(filepath.Join(f.cfg.LakeDir(), made), 0o755); err != nil {
				t.Fatal(err)
			}
			if cur, err := (lake.Lake{Dir: f.cfg.LakeDir()}).Current(); cur != "" || err != nil {
				t.Fatalf("Current = %q, %v; want a new lake", cur, err)
			}
			f.run("2024-12-31")
			if got := f.query("SELECT count(*) AS n FROM cases")[0]["n"]; got != int64(1) {
				t.Errorf("cases: %v, want 1", got)
			}
		})
	}
}

// TestPruneKeepsLaterRuns: prune removes old versions, staging folders and the run partitions
// no version left links to, but never what a run that started after the current version's may
// be writing, nor what is not a run's; the finished run's own leftovers go whatever their time.
func TestPruneKeepsLaterRuns(t *testing.T) {
	lakeDir := t.TempDir()
	const (
		old      = "20261204T060000Z-000001"
		prev     = "20261204T070000Z-000002"
		cur      = "20261204T080000Z-000003"
		sameTime = "20261204T080000Z-000004" // killed in the same second as cur started
		later    = "20261204T090000Z-000005"
		finished = "20261204T100000Z-000006" // the caller: failed before publishing
	)
	made := map[string]bool{}
	for _, rel := range []string{
		lake.VersionsDir + "/" + old, lake.VersionsDir + "/" + prev, lake.VersionsDir + "/" + cur, lake.VersionsDir + "/" + cur + ".outputs",
		lake.VersionsDir + "/" + sameTime, lake.VersionsDir + "/" + later, lake.VersionsDir + "/" + finished, lake.VersionsDir + "/backup",
		lake.StagingDirName + "/" + old, lake.StagingDirName + "/" + cur, lake.StagingDirName + "/" + later, lake.StagingDirName + "/" + finished,
	} {
		if err := os.MkdirAll(filepath.Join(lakeDir, rel, lake.TableCases), 0o755); err != nil {
			t.Fatal(err)
		}
		made[rel] = true
	}
	// Run partitions in the parts, and the links of the versions to them.
	part := func(id string) string { return lake.PartsDir + "/raw/source=export/run_id=" + id }
	for _, id := range []string{old, prev, cur, later, finished, "backup"} {
		if err := os.MkdirAll(filepath.Join(lakeDir, part(id)), 0o755); err != nil {
			t.Fatal(err)
		}
		made[part(id)] = true
	}
	for version, id := range map[string]string{prev: prev, cur: cur, cur + ".outputs": cur} {
		link := filepath.Join(lakeDir, lake.VersionsDir, version, "raw/source=export/run_id="+id)
		if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink("../../../../"+part(id), link); err != nil {
			t.Fatal(err)
		}
	}
	curDir := filepath.Join(lakeDir, lake.VersionsDir, cur+".outputs")
	if err := (lake.Lake{Dir: lakeDir}).Prune(curDir, filepath.Join(lakeDir, lake.VersionsDir, cur), finished); err != nil {
		t.Fatal(err)
	}
	gone := map[string]bool{
		lake.VersionsDir + "/" + old: true, lake.VersionsDir + "/" + prev: true, lake.VersionsDir + "/" + sameTime: true,
		lake.VersionsDir + "/" + finished: true, lake.StagingDirName + "/" + old: true, lake.StagingDirName + "/" + cur: true,
		lake.StagingDirName + "/" + finished: true,
		// linked from no version left
		part(old): true, part(prev): true, part(finished): true,
	}
	for rel := range made {
		_, err := os.Stat(filepath.Join(lakeDir, rel))
		if left := err == nil; left == gone[rel] {
			t.Errorf("%s: left %v, want %v", rel, left, !gone[rel])
		}
	}
}

package lake

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// lockHelperEnv, when set to a lake dir, turns the test binary into a lock-holding child.
const lockHelperEnv = "SCORECARD_LOCK_HELPER"

func testLockInfo(t *testing.T, command, runID string) LockInfo {
	t.Helper()
	host, err := os.Hostname()
	if err != nil {
		t.Fatal(err)
	}
	return LockInfo{PID: os.Getpid(), Host: host, Command: command, RunID: runID,
		Started: time.Date(2026, 11, 23, 13, 0, 0, 0, time.UTC)}
}

func mustAcquire(t *testing.T, dir string, info LockInfo) (*Lock, *LockInfo) {
	t.Helper()
	l, stale, err := AcquireLock(dir, info)
	if err != nil {
		t.Fatalf("AcquireLock: %v", err)
	}
	t.Cleanup(func() { l.Release() })
	return l, stale
}

func TestLockAcquireRelease(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lake") // created by AcquireLock
	info := testLockInfo(t, "scorecard run", "run-1")
	for i := range 2 {
		l, stale := mustAcquire(t, dir, info)
		if stale != nil {
			t.Fatalf("round %d: stale = %+v, want nil", i, stale)
		}
		if err := l.Release(); err != nil {
			t.Fatal(err)
		}
		if err := l.Release(); err != nil {
			t.Fatalf("second Release: %v", err)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, LockFile))
	if err != nil || len(data) != 0 {
		t.Fatalf("after release: %q, %v; want an empty file left in place", data, err)
	}
}

func TestLockHeld(t *testing.T) {
	dir := t.TempDir()
	first := testLockInfo(t, "scorecard run --config c.yaml", "run-held")
	mustAcquire(t, dir, first)

	// A second fd of the same process conflicts, as a second process would.
	_, _, err := AcquireLock(dir, testLockInfo(t, "scorecard backfill", "run-2"))
	var le *LockedError
	if !errors.As(err, &le) || !errors.Is(err, ErrLocked) {
		t.Fatalf("err = %v, want a *LockedError matching ErrLocked", err)
	}
	if !le.Holder.Started.Equal(first.Started) {
		t.Errorf("holder started %v, want %v", le.Holder.Started, first.Started)
	}
	le.Holder.Started = first.Started
	if le.Holder != first {
		t.Errorf("holder = %+v, want %+v", le.Holder, first)
	}
	for _, want := range []string{fmt.Sprint("pid ", first.PID), "host " + first.Host, `"` + first.Command + `"`, "run-held"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
}

func TestLockRace(t *testing.T) {
	dir := t.TempDir()
	const n = 8
	var wg sync.WaitGroup
	locks := make(chan *Lock, n)
	errs := make(chan error, n)
	info := testLockInfo(t, "racer", "run-race")
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l, _, err := AcquireLock(dir, info)
			if err != nil {
				errs <- err
				return
			}
			locks <- l
		}()
	}
	wg.Wait()
	close(locks)
	close(errs)
	if len(locks) != 1 {
		t.Errorf("%d winners, want 1", len(locks))
	}
	for l := range locks {
		l.Release()
	}
	for err := range errs {
		if !errors.Is(err, ErrLocked) {
			t.Errorf("loser got %v, want ErrLocked", err)
		}
	}
}

func TestLockGarbage(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, LockFile), []byte("not json{\x00"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stale := mustAcquire(t, dir, testLockInfo(t, "scorecard run", "run-g"))
	if stale == nil || stale.PID != 0 {
		t.Fatalf("stale = %+v, want a LockInfo with PID 0", stale)
	}
}

// TestLockHelperProcess is the child of TestLockStale: it holds the lock until killed.
func TestLockHelperProcess(t *testing.T) {
	dir := os.Getenv(lockHelperEnv)
	if dir == "" {
		t.Skip("helper process for TestLockStale")
	}
	if _, _, err := AcquireLock(dir, testLockInfo(t, "lock helper", "run-child")); err != nil {
		fmt.Println(err)
		os.Exit(3)
	}
	fmt.Println("locked")
	time.Sleep(time.Minute) // the parent kills us long before
	os.Exit(4)
}

func TestLockStale(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), lockHelperEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	waitLocked(t, out)
	child := cmd.Process.Pid

	_, _, err = AcquireLock(dir, testLockInfo(t, "scorecard run", "run-parent"))
	var le *LockedError
	if !errors.As(err, &le) || le.Holder.PID != child {
		t.Fatalf("while child %d holds: err = %v, want ErrLocked naming it", child, err)
	}

	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait() // "signal: killed" is the point
	_, stale := mustAcquire(t, dir, testLockInfo(t, "scorecard run", "run-parent"))
	if stale == nil || stale.PID != child || stale.Command != "lock helper" || stale.RunID != "run-child" {
		t.Fatalf("stale = %+v, want the killed child %d", stale, child)
	}
}

// waitLocked waits for the child's "locked" line, failing rather than hanging.
func waitLocked(t *testing.T, out io.Reader) {
	t.Helper()
	locked := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if sc.Text() == "locked" {
				locked <- true
				return
			}
		}
		locked <- false
	}()
	select {
	case ok := <-locked:
		if !ok {
			t.Fatal("helper exited before locking")
		}
	case <-time.After(30 * time.Second):
		t.Fatal("helper did not lock within 30s")
	}
}

// TestLockFileRemoved: a careless `rm lake/.lock` while a run holds the lake does not let a
// second run in; it is refused, and says the holder is not recorded (its info went with the
// file). Once the holder releases, the lake is free again.
func TestLockFileRemoved(t *testing.T) {
	dir := t.TempDir()
	held, _ := mustAcquire(t, dir, testLockInfo(t, "scorecard run --full", "run-first"))
	if err := os.Remove(filepath.Join(dir, LockFile)); err != nil {
		t.Fatal(err)
	}
	l, _, err := AcquireLock(dir, testLockInfo(t, "scorecard run --full", "run-second"))
	if err == nil {
		l.Release()
		t.Fatal("a second run took the lake after its .lock was removed")
	}
	var le *LockedError
	if !errors.As(err, &le) || !errors.Is(err, ErrLocked) {
		t.Fatalf("err = %v, want a *LockedError matching ErrLocked", err)
	}
	if le.Holder != (LockInfo{}) || !strings.Contains(err.Error(), "holder not recorded") {
		t.Errorf("err = %v (holder %+v), want the holder not recorded", err, le.Holder)
	}
	if _, err := os.Stat(filepath.Join(dir, LockFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the refused run made a lock file: %v", err)
	}
	if err := held.Release(); err != nil {
		t.Fatal(err)
	}
	if _, stale := mustAcquire(t, dir, testLockInfo(t, "scorecard run", "run-third")); stale != nil {
		t.Errorf("after a clean release: stale = %+v, want nil", stale)
	}
}

// TestLockFileReplaced: a lock file removed and written again (an operator restoring it, or a
// scorecard that locks only the file) still names its holder, and does not admit a second run.
func TestLockFileReplaced(t *testing.T) {
	dir := t.TempDir()
	first := testLockInfo(t, "scorecard run --full", "run-first")
	mustAcquire(t, dir, first)
	path := filepath.Join(dir, LockFile)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = AcquireLock(dir, testLockInfo(t, "scorecard run", "run-second"))
	var le *LockedError
	if !errors.As(err, &le) || le.Holder.RunID != first.RunID {
		t.Fatalf("err = %v, want ErrLocked naming run-first", err)
	}
}

// TestLockLakeMoved: a lake folder moved away while a run holds it, and made again at its
// path, is a new lake another run may lock; the first run's lock then fails its check, so it
// publishes and removes nothing there.
func TestLockLakeMoved(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lake")
	held, _ := mustAcquire(t, dir, testLockInfo(t, "scorecard run", "run-first"))
	if err := held.Check(); err != nil {
		t.Fatalf("Check while held: %v", err)
	}
	if err := os.Rename(dir, dir+".old"); err != nil {
		t.Fatal(err)
	}
	mustAcquire(t, dir, testLockInfo(t, "scorecard run", "run-second")) // made again, locked anew
	if err := held.Check(); !errors.Is(err, ErrLockLost) {
		t.Fatalf("Check after the lake moved: %v, want ErrLockLost", err)
	}

	lk := Lake{Dir: dir, Lock: held}
	v, err := NewVersion(lk, "20261204T070000Z-aaaaaa", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Commit(); !errors.Is(err, ErrLockLost) {
		t.Errorf("commit: %v, want ErrLockLost", err)
	}
	if _, err := os.Lstat(filepath.Join(dir, CurrentLink)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("commit with the lock lost made a current link: %v", err)
	}
	if err := lk.Prune(v.Dir, "", ""); !errors.Is(err, ErrLockLost) {
		t.Errorf("prune: %v, want ErrLockLost", err)
	}
	if _, err := os.Stat(v.Dir); err != nil {
		t.Errorf("prune with the lock lost removed a version: %v", err)
	}

	held.Release()
	if err := held.Check(); !errors.Is(err, ErrLockLost) {
		t.Errorf("Check after Release: %v, want ErrLockLost", err)
	}
}

package runstate

import (
	"context"
	"fmt"
	"os"
	"syscall"
	"time"
)

// Test hooks, read from the environment so that tests can drive the real binary: at a named
// checkpoint the process kills itself with SIGKILL (a crash at that very point), or pauses
// holding the lake lock until it is killed.
const (
	KillAtEnv  = "SCORECARD_TEST_KILL_AT"
	PauseAtEnv = "SCORECARD_TEST_PAUSE_AT"
)

// Checkpoints are the points a run passes, in the order it passes them: after taking the lock
// and after each stage (stage, curate, compute, load, outputs); inside load, once some tables
// of the new version are written and others not (load-partial), once it is all written but not
// published (write) and once it is published (commit); inside outputs, once the files are
// written but the run record listing them is not published again (outputs-written), and once
// that record is in a version about to be published (outputs-publish). A run without outputs
// passes neither outputs-written nor outputs-publish.
var Checkpoints = []string{
	"lock", "stage", "curate", "compute",
	"load-partial", "write", "commit", "load",
	"outputs-written", "outputs-publish", "outputs",
}

// Checkpoint is a point a test may kill or pause the run at. A pause ends when ctx is cancelled
// (SIGTERM or SIGINT), so that a test can stop a run the way systemd does.
func Checkpoint(ctx context.Context, name string) {
	if os.Getenv(KillAtEnv) == name {
		fmt.Fprintf(os.Stderr, "test hook: killing at %s\n", name)
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		time.Sleep(time.Minute) // the signal arrives asynchronously
	}
	if os.Getenv(PauseAtEnv) == name {
		fmt.Fprintf(os.Stderr, "test hook: paused at %s\n", name)
		select {
		case <-ctx.Done():
		case <-time.After(time.Hour):
		}
	}
}

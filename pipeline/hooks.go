package pipeline

import (
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

// Checkpoints are the points a run passes, in order: after taking the lock, after each stage,
// once the new version is written but not yet published, and once it is published.
var Checkpoints = []string{"lock", "stage", "curate", "compute", "write", "commit"}

func checkpoint(name string) {
	if os.Getenv(KillAtEnv) == name {
		fmt.Fprintf(os.Stderr, "test hook: killing at %s\n", name)
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		time.Sleep(time.Minute) // the signal arrives asynchronously
	}
	if os.Getenv(PauseAtEnv) == name {
		fmt.Fprintf(os.Stderr, "test hook: paused at %s\n", name)
		time.Sleep(time.Hour)
	}
}

//go:build unix

package rules_test

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"scorecard/rules"
)

// TestReadFileFIFO: a named pipe is refused without being opened, as opening one blocks until
// something writes to it.
func TestReadFileFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "plan.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := rules.ReadFile(fifo)
		done <- err
	}()
	select {
	case err := <-done:
		if want := "open " + fifo + ": not a regular file (a named pipe)"; !errors.Is(err, rules.ErrNotRegular) || err.Error() != want {
			t.Errorf("err = %v, want %s", err, want)
		}
	case <-time.After(10 * time.Second):
		t.Error("ReadFile blocked on a named pipe")
		// Unblock it, so the test binary can end.
		if f, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
			f.Close()
		}
	}
}

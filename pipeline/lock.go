package pipeline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// LockInfo says who holds the lake.
type LockInfo struct {
	PID     int       `json:"pid"`
	Host    string    `json:"host"`
	Command string    `json:"command"`
	RunID   string    `json:"run_id"`
	Started time.Time `json:"started"`
}

// ErrLocked is returned (wrapped in a *LockedError) when another live process holds the lake.
var ErrLocked = errors.New("lake is locked by another run")

// LockedError names the holder of a lake; errors.Is(err, ErrLocked) is true.
type LockedError struct {
	Path   string
	Holder LockInfo
}

// Error names the holder so the user knows which run to wait for or stop.
func (e *LockedError) Error() string {
	h := e.Holder
	if h.PID == 0 {
		return fmt.Sprintf("lake %s is locked by another run (holder not recorded yet)", e.Path)
	}
	return fmt.Sprintf("lake %s is locked by another run: pid %d on host %s, %q, started %s (run %s)",
		e.Path, h.PID, h.Host, h.Command, h.Started.UTC().Format(time.RFC3339), h.RunID)
}

// Unwrap lets errors.Is match ErrLocked.
func (e *LockedError) Unwrap() error { return ErrLocked }

// Lock is a held lake lock. The flock lives as long as its file descriptor stays open.
type Lock struct {
	mu sync.Mutex
	f  *os.File
}

const (
	lockFile = ".lock"
	// The holder truncates, then writes its info: a reader may catch the gap in between.
	lockReadTries = 10
	lockReadPause = 10 * time.Millisecond
)

// AcquireLock takes <lakeDir>/.lock for the caller described by info (the lake dir is created
// if missing). It returns the previous holder's info in stale when a lock left by a dead process
// was taken over (nil otherwise), so the caller can log a warning and record that run as killed.
// A lock file with unreadable content is taken over with a stale LockInfo of PID 0.
func AcquireLock(lakeDir string, info LockInfo) (lock *Lock, stale *LockInfo, err error) {
	if err := os.MkdirAll(lakeDir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("creating lake: %w", err)
	}
	path := filepath.Join(lakeDir, lockFile)
	// os.OpenFile sets O_CLOEXEC, so programs we exec never inherit (and prolong) the lock.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("opening lock: %w", err)
	}
	if err := flock(f, syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		defer f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, nil, &LockedError{Path: lakeDir, Holder: waitHolder(f)}
		}
		return nil, nil, fmt.Errorf("locking %s: %w", path, err)
	}
	// The kernel drops a flock when its process dies, so any info still here is from a dead run.
	stale, err = readStale(f)
	if err == nil {
		err = writeInfo(f, info)
	}
	if err != nil {
		f.Close() // closing also drops the flock
		return nil, nil, fmt.Errorf("taking lock %s: %w", path, err)
	}
	return &Lock{f: f}, stale, nil
}

// Release empties the lock file and releases it. Safe to call twice.
// The file is never unlinked: a second process may already have opened that inode, and would
// then lock a file nobody else sees while a third creates a new one.
func (l *Lock) Release() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	f := l.f
	l.f = nil
	// Empty the file while still holding the lock, so the next run finds no stale holder.
	err := errors.Join(f.Truncate(0), f.Sync(), flock(f, syscall.LOCK_UN), f.Close())
	if err != nil {
		return fmt.Errorf("releasing lock: %w", err)
	}
	return nil
}

// flock retries on EINTR, which a signal can cause even for a non-blocking call.
func flock(f *os.File, how int) error {
	for {
		err := syscall.Flock(int(f.Fd()), how)
		if !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}

// waitHolder reads a live holder's info, giving it a moment to write it; a zero LockInfo
// means it never became readable.
func waitHolder(f *os.File) LockInfo {
	for range lockReadTries {
		data, err := readAll(f)
		var h LockInfo
		if err == nil && len(data) > 0 && json.Unmarshal(data, &h) == nil && h.PID != 0 {
			return h
		}
		time.Sleep(lockReadPause)
	}
	return LockInfo{}
}

// readStale returns the info left in a lock file we now hold, nil if it is empty.
func readStale(f *os.File) (*LockInfo, error) {
	data, err := readAll(f)
	if err != nil || len(data) == 0 {
		return nil, err
	}
	var h LockInfo
	if json.Unmarshal(data, &h) != nil {
		return &LockInfo{}, nil // garbage: some run died here, we cannot say which
	}
	return &h, nil
}

// writeInfo replaces the file's content with info and syncs it, so it survives a reboot.
func writeInfo(f *os.File, info LockInfo) error {
	data, err := json.Marshal(info)
	if err != nil {
		return err
	}
	if err := f.Truncate(0); err != nil {
		return err
	}
	if _, err := f.WriteAt(append(data, '\n'), 0); err != nil {
		return err
	}
	return f.Sync()
}

// readAll reads the whole file from offset 0 (lock files are tiny) and trims whitespace.
func readAll(f *os.File) ([]byte, error) {
	data, err := io.ReadAll(io.NewSectionReader(f, 0, 1<<20))
	return bytes.TrimSpace(data), err
}

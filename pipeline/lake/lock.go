package lake

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
		return fmt.Sprintf("lake %s is locked by another run (holder not recorded: %s is empty or missing)", e.Path, LockFile)
	}
	return fmt.Sprintf("lake %s is locked by another run: pid %d on host %s, %q, started %s (run %s)",
		e.Path, h.PID, h.Host, h.Command, h.Started.UTC().Format(time.RFC3339), h.RunID)
}

// Unwrap lets errors.Is match ErrLocked.
func (e *LockedError) Unwrap() error { return ErrLocked }

// ErrLockLost is returned when a run finds that the lake it locked is no longer at its path.
var ErrLockLost = errors.New("the lake lock is no longer held")

// Lock is a held lake lock. The mutual exclusion is a flock on the lake folder itself, which a
// careless `rm lake/.lock` cannot take away; .lock only holds the holder's info for the message
// of a run refused (and is flocked too, as scorecard before the folder lock locked only that
// file: either one refuses the other). A flock lives as long as its file descriptor stays open.
type Lock struct {
	mu   sync.Mutex
	lake string
	dir  *os.File // the lake folder, flocked
	info *os.File // .lock, flocked, holding our LockInfo
}

const (
	// LockFile is the lock's file in the lake folder.
	LockFile = ".lock"
	// The holder truncates, then writes its info: a reader may catch the gap in between.
	lockReadTries = 10
	lockReadPause = 10 * time.Millisecond
)

// AcquireLock locks the lake folder lakeDir (creating it if missing) for the caller described
// by info, which it writes to <lakeDir>/.lock. It returns the previous holder's info in stale
// when a lock left by a dead process was taken over (nil otherwise), so the caller can log a
// warning and record that run as killed. A lock file with unreadable content is taken over
// with a stale LockInfo of PID 0.
func AcquireLock(lakeDir string, info LockInfo) (lock *Lock, stale *LockInfo, err error) {
	if err := os.MkdirAll(lakeDir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("creating lake: %w", err)
	}
	// os.Open sets O_CLOEXEC, so programs we exec never inherit (and prolong) the lock.
	dir, err := os.Open(lakeDir)
	if err != nil {
		return nil, nil, fmt.Errorf("opening lake: %w", err)
	}
	if err := flock(dir, syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		dir.Close()
		return nil, nil, lockError(lakeDir, err)
	}
	l := &Lock{lake: lakeDir, dir: dir}
	if stale, err = l.takeInfo(info); err != nil {
		dir.Close() // closing also drops the flock
		return nil, nil, err
	}
	return l, stale, nil
}

// lockError is the error of a flock that failed: a *LockedError naming the holder when
// another process holds it.
func lockError(lakeDir string, err error) error {
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return &LockedError{Path: lakeDir, Holder: waitHolder(filepath.Join(lakeDir, LockFile))}
	}
	return fmt.Errorf("locking %s: %w", lakeDir, err)
}

// takeInfo locks .lock, reads what a dead holder left there and writes info in its place.
func (l *Lock) takeInfo(info LockInfo) (*LockInfo, error) {
	path := filepath.Join(l.lake, LockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("opening lock: %w", err)
	}
	if err := flock(f, syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, lockError(l.lake, err)
	}
	// The kernel drops a flock when its process dies, so any info still here is from a dead run.
	stale, err := readStale(f)
	if err == nil {
		err = writeInfo(f, info)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("taking lock %s: %w", path, err)
	}
	l.info = f
	return stale, nil
}

// Check verifies that the lock still guards the lake: it is not released, and the folder at
// the lake's path is the one it locked. A lake folder moved or removed while a run holds it
// is guarded no more (another run may make and lock a new one at that path), so a run checks
// before it publishes or removes anything.
func (l *Lock) Check() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.dir == nil {
		return fmt.Errorf("%w: %s: released", ErrLockLost, l.lake)
	}
	locked, err := l.dir.Stat()
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrLockLost, l.lake, err)
	}
	if now, err := os.Stat(l.lake); err != nil || !os.SameFile(locked, now) {
		return fmt.Errorf("%w: %s is not the folder this run locked (moved or removed while it ran?)", ErrLockLost, l.lake)
	}
	return nil
}

// Release empties the lock file and releases the lock. Safe to call twice.
// The file is never unlinked: a second process may already have opened that inode, and a
// scorecard that locks only the file would then lock one nobody else sees.
func (l *Lock) Release() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.dir == nil {
		return nil
	}
	dir, info := l.dir, l.info
	l.dir, l.info = nil, nil
	// Empty the file while still holding the lock, so the next run finds no stale holder.
	err := errors.Join(info.Truncate(0), info.Sync(), info.Close(), flock(dir, syscall.LOCK_UN), dir.Close())
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

// waitHolder reads a live holder's info from the lock file at path, giving it a moment to
// write it; a zero LockInfo means it never became readable (or the file was removed).
func waitHolder(path string) LockInfo {
	for range lockReadTries {
		data, err := os.ReadFile(path)
		var h LockInfo
		if err == nil && json.Unmarshal(bytes.TrimSpace(data), &h) == nil && h.PID != 0 {
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

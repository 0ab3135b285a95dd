package outputs

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// fileLoader writes one file through a kind's writer.
type fileLoader struct {
	kind, path string
	write      func(w io.Writer, r *Report) error
}

var _ Loader = (*fileLoader)(nil)

func (l *fileLoader) Name() string { return l.kind + " " + l.path }

// Load writes the file whole or not at all.
func (l *fileLoader) Load(ctx context.Context, r *Report) error {
	if err := ctx.Err(); err != nil {
		return &loadError{l.Name(), err}
	}
	err := writeAtomic(l.path, func(w io.Writer) error { return l.write(w, r) })
	if err != nil {
		return &loadError{l.Name(), err}
	}
	return nil
}

// writeAtomic writes a temporary file beside path and renames it over path,
// so a reader sees the old file or the new one, never half of one, and a
// crash leaves the old file in place.
func writeAtomic(path string, write func(w io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("creating a temporary file: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = writeSynced(tmp, write); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

// writeSynced writes through a buffer and flushes the file to disk before it
// is renamed into place; CreateTemp's 0600 becomes 0644, as outputs are
// meant to be read.
func writeSynced(f *os.File, write func(w io.Writer) error) error {
	bw := bufio.NewWriter(f)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// syncDir makes the rename durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

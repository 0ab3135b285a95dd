package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Lake tables and the Hive partition key of each. Every partition folder holds one file,
// data.parquet, replaced by a rename so a reader sees the old file or the new one, never half.
const (
	TableRaw         = "raw"
	TableCases       = "cases"
	TableQuarantine  = "quarantine"
	TableCaseResults = "case_results"
	TableScorecard   = "scorecard"
	TableRuns        = "runs"

	partitionFile  = "data.parquet"
	stagingDirName = ".staging"
)

// replacedTables are rewritten whole by every run; raw and runs only grow.
var replacedTables = []string{TableCases, TableQuarantine, TableCaseResults, TableScorecard}

// Lake is a folder of Hive-partitioned Parquet tables.
type Lake struct{ Dir string }

// stagingDir is where a run writes before it publishes; it lives inside the lake so that the
// final renames stay on one file system.
func (l Lake) stagingDir(runID string) string {
	return filepath.Join(l.Dir, stagingDirName, runID)
}

// partition is one partition file of a table, written by a query.
type partition struct {
	Table, Key, Value string
	Query             string // a SELECT; its rows become the file
}

func (p partition) rel() string {
	return filepath.Join(p.Table, p.Key+"="+p.Value, partitionFile)
}

// OutputFile is one published file, for the run manifest.
type OutputFile struct {
	Path   string `json:"path"`
	Rows   int64  `json:"rows"`
	SHA256 string `json:"sha256"`
}

// writePartitions writes each partition into the staging folder, in a stable row order so the
// same inputs give the same files, and returns their checksums.
func (e *engine) writePartitions(ctx context.Context, staging string, parts []partition) ([]OutputFile, error) {
	var out []OutputFile
	for _, p := range parts {
		path := filepath.Join(staging, p.rel())
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, err
		}
		if err := e.setVariable(ctx, "partition", sqlString(p.Value)); err != nil {
			return nil, err
		}
		copySQL := fmt.Sprintf("COPY (%s) TO %s (FORMAT parquet, COMPRESSION zstd)", p.Query, sqlString(path))
		if err := e.exec(ctx, copySQL); err != nil {
			return nil, fmt.Errorf("writing %s: %w", p.rel(), err)
		}
		rows, err := e.count(ctx, "SELECT count(*) FROM read_parquet("+sqlString(path)+")")
		if err != nil {
			return nil, err
		}
		sum, err := fileSHA256(path)
		if err != nil {
			return nil, err
		}
		out = append(out, OutputFile{Path: filepath.ToSlash(p.rel()), Rows: rows, SHA256: sum})
	}
	return out, nil
}

// publish moves every staged file into the lake (fsync, then rename over the old file), then
// removes partitions of the replaced tables that this run no longer has.
func (l Lake) publish(staging string, files []string) error {
	keep := map[string]bool{}
	for _, rel := range files {
		src, dst := filepath.Join(staging, rel), filepath.Join(l.Dir, rel)
		if err := syncFile(src); err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.Rename(src, dst); err != nil {
			return fmt.Errorf("publishing %s: %w", rel, err)
		}
		if err := syncDir(filepath.Dir(dst)); err != nil {
			return err
		}
		keep[filepath.Dir(rel)] = true
	}
	return l.removeStale(keep)
}

func (l Lake) removeStale(keep map[string]bool) error {
	for _, table := range replacedTables {
		dirs, err := filepath.Glob(filepath.Join(l.Dir, table, "*="+"*"))
		if err != nil {
			return err
		}
		for _, d := range dirs {
			rel, _ := filepath.Rel(l.Dir, d)
			if !keep[rel] {
				if err := os.RemoveAll(d); err != nil {
					return fmt.Errorf("removing stale partition %s: %w", rel, err)
				}
			}
		}
	}
	return nil
}

// stagedFiles lists the files under a staging folder, relative to it, sorted.
func stagedFiles(staging string, tables ...string) ([]string, error) {
	var out []string
	for _, t := range tables {
		root := filepath.Join(staging, t)
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".parquet") {
				return err
			}
			rel, err := filepath.Rel(staging, path)
			out = append(out, rel)
			return err
		})
		if err != nil && !os.IsNotExist(err) {
			return nil, err
		}
	}
	sort.Strings(out)
	return out, nil
}

// HasRun reports whether the lake holds a published scorecard.
func (l Lake) HasRun() bool {
	m, _ := filepath.Glob(filepath.Join(l.Dir, TableScorecard, "*", partitionFile))
	return len(m) > 0
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

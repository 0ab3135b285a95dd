package curate

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"scorecard/pipeline/engine"
	"scorecard/sources"
)

// Runs larger than memory_limit: the parsed rows are written to a Parquet file in the staging
// folder rather than to a temp table that spills (parsed_file.sql).
//
// parsedBytes is about what a row of the temp table parsed costs (parsed.sql): above
// memory_limit it spills, and a Parquet file is cheaper to read back than the spill.
const parsedBytes = 125

// parsedFileOptions are the Parquet options of the parsed file. It is read back a few times and
// never published, so it is not compressed, and its texts (ids, date texts) give a dictionary
// up soon: the 10M regular export's full run took 15.7 s against 16.9 s with the lake's options
// (medians of three, alternated; uncompressed alone or lz4_raw with the limit 16.4 s, snappy
// with the limit 17.1 s), for a file of 614 MB against 294.
var parsedFileOptions = engine.ParquetOptions("uncompressed", 16)

// ParsedFileRowsEnv, when set to a number, is the landed case rows from which parsed is a
// file, whatever memory_limit: the tests take both ways with it.
const ParsedFileRowsEnv = "SCORECARD_PARSED_FILE_ROWS"

// parse makes parsed (parsed.sql), puts its rejected rows in the quarantine and defines
// `fresh`: as a temp table, or, for a run whose parsed rows would not fit in memory_limit, as a
// Parquet file in the staging folder that is never published (parsed_file.sql).
func (r *run) parse(ctx context.Context) error {
	steps := []string{"case_quarantine.sql", "parsed_keep.sql", "fresh.sql"}
	if r.parsedToFile() {
		path := filepath.Join(r.Staging, "parsed.parquet")
		if _, err := r.Eng.CopyFile(ctx, "parsed.sql", path, parsedFileOptions); err != nil {
			return err
		}
		if err := r.Eng.SetVariable(ctx, "parsed_file", engine.Quote(path)); err != nil {
			return err
		}
		steps = []string{"parsed_file.sql", "case_quarantine.sql", "parsed_file_keep.sql", "fresh.sql"}
	} else {
		file, query, err := r.Eng.SQL("parsed.sql")
		if err != nil {
			return err
		}
		if err := r.Eng.Exec(ctx, "CREATE OR REPLACE TEMP TABLE parsed AS\n"+strings.TrimSpace(query)); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
	}
	for _, f := range steps {
		if err := r.Eng.RunFile(ctx, f); err != nil {
			return err
		}
	}
	return nil
}

// parsedToFile says whether parsed is written to a file: when its rows would not fit in
// memory_limit (or from ParsedFileRowsEnv's rows).
func (r *run) parsedToFile() bool {
	rows := r.landedCaseRows()
	if v, err := strconv.ParseInt(os.Getenv(ParsedFileRowsEnv), 10, 64); err == nil {
		return rows >= v
	}
	return rows*parsedBytes > r.memoryLimit()
}

// landedCaseRows is the rows this run landed for the cases.
func (r *run) landedCaseRows() int64 {
	var n int64
	for _, l := range r.Landed {
		if l.Dataset == sources.Cases.Name {
			n += l.Rows
		}
	}
	return n
}

// memoryLimit is the config's memory_limit in bytes (1 GB, the default, if it cannot be read).
func (r *run) memoryLimit() int64 {
	if n := parseBytes(r.Opts.Config.DuckDB.MemoryLimit); n > 0 {
		return n
	}
	return 1e9
}

// parseBytes reads a DuckDB size such as "1GB", "500 MB" or "2GiB" (0 if it cannot).
func parseBytes(s string) int64 {
	s = strings.ToUpper(strings.TrimSpace(s))
	units := []struct {
		suffix string
		mult   float64
	}{{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"TIB", 1 << 40},
		{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"K", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12}, {"B", 1}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
			if err != nil || v <= 0 {
				return 0
			}
			return int64(v * u.mult)
		}
	}
	return 0
}

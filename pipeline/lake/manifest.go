package lake

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"scorecard/pipeline/engine"
)

// sqlFiles are the run record's query and the lake's views (views.go).
//
//go:embed sql
var sqlFiles embed.FS

// RunRecord is one row of the `runs` view: what a run did, with what, and what it published.
type RunRecord struct {
	RunID     string     `json:"run_id"`
	Command   string     `json:"command"`
	Mode      string     `json:"mode"`
	Window    string     `json:"backfill_window,omitempty"`
	AsOf      string     `json:"as_of"`
	StartedAt time.Time  `json:"started_at"`
	EndedAt   time.Time  `json:"ended_at"`
	Status    string     `json:"status"`
	Error     string     `json:"error,omitempty"`
	Version   string     `json:"version"`
	Timezone  string     `json:"timezone"`
	Plans     []PlanFile `json:"plans"`
	// RulesSHA256 is the fingerprint of the rules all published figures were computed with
	// (empty, NULL in the lake, when they mix two).
	RulesSHA256 string        `json:"rules_sha256,omitempty"`
	Sources     []SourceCount `json:"sources"`
	Quarantine  []ReasonCount `json:"quarantine"`
	Outputs     []OutputFile  `json:"outputs"`
	// Shrink is, per source with files gone or changed or rebuilt, what the shrink guard saw.
	Shrink []SourceShrink `json:"shrink"`
	// Restatements counts the published scorecard rows this run changed.
	Restatements int64 `json:"restatements"`
	// Loaders are the outputs written after publication.
	Loaders []LoaderResult `json:"loaders"`
	// KeptRunID is, for a run that had nothing new to compute (quiet.go), the run whose
	// published figures it kept; empty when it computed them.
	KeptRunID string `json:"kept_run_id,omitempty"`
}

// Run statuses.
const (
	StatusSucceeded = "succeeded"
	StatusFailed    = "failed"
)

// PlanFile names a plan used by a run and the hash of its file.
type PlanFile struct {
	Plan   string `json:"plan"`
	Source string `json:"source"`
	SHA256 string `json:"sha256"`
}

// SourceCount is what one source gave a run.
type SourceCount struct {
	Source          string `json:"source"`
	Kind            string `json:"kind"`
	FilesLanded     int64  `json:"files_landed"`
	RowsRead        int64  `json:"rows_read"`
	RowsQuarantined int64  `json:"rows_quarantined"`
	RowsWritten     int64  `json:"rows_written"`
}

// ReasonCount is the number of quarantined rows for one reason.
type ReasonCount struct {
	Reason string `json:"reason"`
	Rows   int64  `json:"rows"`
}

// SourceShrink is what a run found gone, changed or removed in one source: the figures of the
// shrink guard, kept in the run record whether the run passed or failed.
type SourceShrink struct {
	Source       string   `json:"source"`
	Mode         string   `json:"mode"`
	FilesGone    []string `json:"files_gone"`
	FilesChanged []string `json:"files_changed"`
	Rebuilt      bool     `json:"rebuilt"`
	// CasesPublished and CasesRemoved are the source's cases in the published version and
	// those this run removes (a rebuilt source's cases it no longer holds).
	CasesPublished int64   `json:"cases_published"`
	CasesRemoved   int64   `json:"cases_removed"`
	MaxShrinkPct   float64 `json:"max_shrink_pct"`
	// Allowed says the removal was over the limit and accepted with --allow-shrink.
	Allowed bool `json:"allowed"`
}

// LoaderResult is what one loader did, for the manifest.
type LoaderResult struct {
	Name   string `json:"name"`
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
}

// LoaderNotWritten is the status of an output a run published its lake for but has not
// written (yet): the run stopped, or failed, before it.
const LoaderNotWritten = "not_written"

// WriteRunRecord writes the manifest row as runs/<run_id>.parquet into a version.
func WriteRunRecord(ctx context.Context, e *engine.Engine, v *Version, rec RunRecord) error {
	doc, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	text, err := sqlFiles.ReadFile("sql/run_record.sql")
	if err != nil {
		return err
	}
	path, err := v.Prepare(filepath.Join(TableRuns, rec.RunID+".parquet"))
	if err != nil {
		return err
	}
	// One statement: a table made first and then copied took 20 to 26 ms, this copy 12 to 16.
	copySQL := fmt.Sprintf("COPY (%s\n) TO %s (FORMAT parquet)", strings.TrimSpace(string(text)), engine.Quote(path))
	if err := e.Exec(ctx, copySQL, string(doc)); err != nil {
		return fmt.Errorf("sql/run_record.sql: %w", err)
	}
	return SyncFile(path)
}

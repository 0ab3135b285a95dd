package pipeline

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
)

// stage extracts every source into the raw landing of the run's staging folder.
func (r *run) stage(ctx context.Context) error {
	cfg := r.opts.Config
	for _, sc := range cfg.Sources {
		spec := cfg.SourceSpec(sc)
		spec.Allocator = r.opts.Allocator
		src, err := r.opts.Sources.New(spec)
		if err != nil {
			return fmt.Errorf("source %s: %w", sc.Name, err)
		}
		dir := filepath.Join(r.staging, TableRaw, "source="+sc.Name, "run_id="+r.id)
		got, err := stageSource(ctx, src, sc.Name, sc.Kind, dir, r.opts.Allocator)
		if err != nil {
			return fmt.Errorf("source %s: %w", sc.Name, err)
		}
		r.record.Sources = append(r.record.Sources, SourceCount{Source: sc.Name, Kind: sc.Kind, RowsRead: got.Rows})
		r.log.Info().Str(FieldSource, sc.Name).Int64(FieldRows, got.Rows).Msg("source landed")
	}
	return nil
}

// curate parses and validates the landed rows into cases and the quarantine.
func (r *run) curate(ctx context.Context) error {
	if err := r.eng.loadRules(ctx, r.opts.Catalogue, r.opts.Plans, r.opts.AsOf); err != nil {
		return err
	}
	glob := filepath.Join(r.staging, TableRaw, "*", "*", "*.parquet")
	raw := fmt.Sprintf(`CREATE OR REPLACE TEMP VIEW raw AS SELECT * FROM read_parquet(%s,
		hive_partitioning = true, hive_types = {'source': VARCHAR, 'run_id': VARCHAR})`, sqlString(glob))
	if err := r.eng.exec(ctx, raw); err != nil {
		return err
	}
	if err := r.eng.runFile(ctx, "curate.sql"); err != nil {
		return err
	}
	if err := r.countRows(ctx); err != nil {
		return err
	}
	for _, rc := range r.record.Quarantine {
		r.log.Warn().Str(FieldReason, rc.Reason).Int64(FieldRows, rc.Rows).Msg("rows quarantined")
	}
	return nil
}

// countRows fills the per-source and per-reason counts of the manifest.
func (r *run) countRows(ctx context.Context) error {
	counts, err := queryFile(ctx, r.eng, "counts.sql", func(scan func(...any) error) (SourceCount, error) {
		var c SourceCount
		return c, scan(&c.Source, &c.RowsRead, &c.RowsQuarantined, &c.RowsWritten)
	})
	if err != nil {
		return err
	}
	for i := range r.record.Sources {
		for _, c := range counts {
			if c.Source == r.record.Sources[i].Source {
				c.Kind = r.record.Sources[i].Kind
				r.record.Sources[i] = c
			}
		}
	}
	r.record.Quarantine, err = queryFile(ctx, r.eng, "reason_counts.sql", func(scan func(...any) error) (ReasonCount, error) {
		var c ReasonCount
		return c, scan(&c.Reason, &c.Rows)
	})
	if err != nil {
		return err
	}
	r.summary.Cases, err = r.eng.count(ctx, "SELECT count(*) FROM cases")
	return err
}

// compute builds case_results and the scorecard of every plan.
func (r *run) compute(ctx context.Context) error {
	for _, f := range []string{"case_results.sql", "scorecard.sql"} {
		if err := r.eng.runFile(ctx, f); err != nil {
			return err
		}
	}
	totals, err := r.eng.planTotals(ctx)
	if err != nil {
		return err
	}
	r.summary.Totals = totals
	for _, t := range totals {
		r.log.Info().Str(FieldPlan, t.Plan).Str(FieldPeriod, t.Period).Float64("points", t.Points).
			Float64("max_points", t.MaxPoints).Msg("plan computed")
	}
	return nil
}

// load writes every table into the staging folder and publishes it into the lake.
func (r *run) load(ctx context.Context) error {
	parts, err := r.partitions(ctx)
	if err != nil {
		return err
	}
	outputs, err := r.eng.writePartitions(ctx, r.staging, parts)
	if err != nil {
		return err
	}
	files, err := stagedFiles(r.staging, TableRaw, TableCases, TableQuarantine, TableCaseResults, TableScorecard)
	if err != nil {
		return err
	}
	if err := r.lake.publish(r.staging, files); err != nil {
		return err
	}
	r.record.Outputs = outputs
	r.summary = Summary{
		RunID: r.id, AsOf: r.opts.AsOf, Lake: r.lake.Dir, Sources: r.record.Sources,
		Quarantine: r.record.Quarantine, Cases: r.summary.Cases, Totals: r.summary.Totals, Outputs: outputs,
	}
	return nil
}

// partitions lists the partition files this run writes, each with its query.
func (r *run) partitions(ctx context.Context) ([]partition, error) {
	queries := map[string]string{}
	for _, t := range replacedTables {
		text, err := sqlFiles.ReadFile("sql/out_" + t + ".sql")
		if err != nil {
			return nil, err
		}
		queries[t] = strings.TrimSpace(string(text))
	}
	return queryFile(ctx, r.eng, "partitions.sql", func(scan func(...any) error) (partition, error) {
		var p partition
		err := scan(&p.Table, &p.Key, &p.Value)
		p.Query = queries[p.Table]
		return p, err
	})
}

// queryFile runs an embedded query and turns each row into a T.
func queryFile[T any](ctx context.Context, e *engine, name string, row func(scan func(...any) error) (T, error)) ([]T, error) {
	text, err := sqlFiles.ReadFile("sql/" + name)
	if err != nil {
		return nil, err
	}
	rows, err := e.conn.QueryContext(ctx, string(text))
	if err != nil {
		return nil, fmt.Errorf("sql/%s: %w", name, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := row(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("sql/%s: %w", name, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sql/%s: %w", name, err)
	}
	return out, nil
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"

	"github.com/jackc/pgx/v5"

	"scorecard/sources"
	"scorecard/sources/postgres"
)

// extractTable is the bench's case table: 1M rows of the canonical shape, made by the server.
const extractTable = "scorecard_bench_extract"

// extract compares the PostgreSQL extractor with psql's own `\copy (query) to` of the same
// rows (`make bench-extract`): the goal is at least 70% of psql's rows per second.
func extract(args []string) error {
	fs := flag.NewFlagSet("extract", flag.ContinueOnError)
	rows := fs.Int("rows", 1_000_000, "rows in the table")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dsn := os.Getenv("SCORECARD_TEST_PG_DSN")
	if dsn == "" {
		return errors.New("set SCORECARD_TEST_PG_DSN (postgres://postgres@127.0.0.1:5432/test?sslmode=disable)")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	if err := makeExtractTable(ctx, conn, *rows); err != nil {
		return err
	}
	defer conn.Exec(ctx, "DROP TABLE IF EXISTS "+extractTable)
	query := "SELECT case_id, case_type, first_time, complex, has_service_target, submitted_at, decided_at, updated_at FROM " + extractTable
	psql, err := timed(func() error {
		cmd := exec.Command("psql", dsn, "-q", "-c", `\copy (`+query+`) to '/dev/null' csv`)
		cmd.Stderr = os.Stderr
		return cmd.Run()
	})
	if err != nil {
		return fmt.Errorf("psql: %w", err)
	}
	ours, err := timed(func() error { return drain(ctx, dsn, *rows) })
	if err != nil {
		return err
	}
	fmt.Println("| extraction of", *rows, "rows | wall s | rows/s |")
	fmt.Println("| --- | ---: | ---: |")
	fmt.Printf("| psql \\copy (query) to /dev/null csv | %.2f | %.0f |\n", psql.Seconds(), float64(*rows)/psql.Seconds())
	fmt.Printf("| scorecard postgres source | %.2f | %.0f |\n", ours.Seconds(), float64(*rows)/ours.Seconds())
	fmt.Printf("\nratio: %.0f%% of psql's rows per second (goal: at least 70%%)\n", 100*psql.Seconds()/ours.Seconds())
	return nil
}

func makeExtractTable(ctx context.Context, conn *pgx.Conn, rows int) error {
	_, err := conn.Exec(ctx, "DROP TABLE IF EXISTS "+extractTable+"; CREATE TABLE "+extractTable+` AS
		SELECT 'SIRI-' || i AS case_id, (ARRAY['fasttrack','studie','eu_ophold'])[1 + i % 3] AS case_type,
			i % 5 <> 0 AS first_time, i % 11 = 0 AS complex, true AS has_service_target,
			DATE '2024-01-01' + (i % 360) AS submitted_at,
			TIMESTAMPTZ '2024-01-01 09:00:00+00' + make_interval(days => i % 360 + i % 40) AS decided_at,
			TIMESTAMP '2024-12-31 10:00:00' AS updated_at
		FROM generate_series(1, `+fmt.Sprint(rows)+`) AS i`)
	return err
}

// drain reads the whole table through the extractor and checks the row count.
func drain(ctx context.Context, dsn string, want int) error {
	src, err := postgres.New(sources.Config{Name: "bench", Kind: "postgres", DSN: dsn, Table: extractTable})
	if err != nil {
		return err
	}
	if err := src.Open(ctx); err != nil {
		return err
	}
	defer src.Close()
	n := 0
	for {
		batch, err := src.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		n += int(batch.NumRows())
		batch.Release()
	}
	if n != want {
		return fmt.Errorf("extracted %d rows, want %d", n, want)
	}
	return nil
}

func timed(f func() error) (time.Duration, error) {
	start := time.Now()
	err := f()
	return time.Since(start), err
}

package main

import (
	"database/sql"
	_ "embed"
	"flag"
	"fmt"
	"slices"
	"strings"

	_ "github.com/duckdb/duckdb-go/v2"

	"scorecard/rules"
)

//go:embed baseline.sql
var baselineShares string

// baselineRegularShares is baselineShares for a regular export (--regular).
//
//go:embed baseline_regular.sql
var baselineRegularShares string

// baseline is plain DuckDB on the same data: the CSV turned into Parquet, then one aggregate
// query per plan giving each target's share within target for the plan's year. No validation,
// no time zones, no dedupe, no lake: the floor the pipeline is measured against.
//
// With --regular the CSV is a regular export (one ISO UTC form for every stamp, true/false):
// read_csv's auto-detection types it, and the copy adds each stamp's local date in
// Europe/Copenhagen (a TIMESTAMPTZ cast to DATE in that session time zone), computed once as
// the pipeline does; the shares are then read from those dates.
func baseline(args []string) error {
	fs := flag.NewFlagSet("baseline", flag.ContinueOnError)
	csvGlob := fs.String("csv", "", "the CSV files")
	out := fs.String("out", "", "the Parquet file to write")
	regular := fs.Bool("regular", false, "the CSV is a regular export: typed by auto-detection, dates local in Europe/Copenhagen")
	if err := fs.Parse(args); err != nil {
		return err
	}
	shares := baselineShares
	if *regular {
		shares = baselineRegularShares
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // settings live on a connection
	settings := []string{"SET threads = 2", "SET memory_limit = '1GB'"}
	if *regular {
		settings = append(settings, "SET TimeZone = 'Europe/Copenhagen'")
	}
	for _, s := range settings {
		if _, err := db.Exec(s); err != nil {
			return err
		}
	}
	sel := "*"
	if *regular { // local dates once, in the copy, rather than in each plan's query
		sel = "*, CAST(CAST(submitted_at AS TIMESTAMPTZ) AS DATE) AS submitted_on, " +
			"CAST(CAST(decided_at AS TIMESTAMPTZ) AS DATE) AS decided_on"
	}
	copySQL := fmt.Sprintf("COPY (SELECT %s FROM read_csv(%s)) TO %s (FORMAT parquet)", sel, quote(*csvGlob), quote(*out))
	if _, err := db.Exec(copySQL); err != nil {
		return err
	}
	for _, id := range []string{"2020", "2024"} {
		if err := planShares(db, id, *out, shares); err != nil {
			return err
		}
	}
	return nil
}

// planShares runs one aggregate query over all targets of a plan.
func planShares(db *sql.DB, id, parquet, shares string) error {
	p, err := rules.LoadPlan(id, "", rules.BuiltinCatalogue())
	if err != nil {
		return err
	}
	cat := rules.BuiltinCatalogue()
	var cols []string
	for _, ref := range p.Targets() {
		t := ref.Target
		var conds, types []string
		for _, ct := range cat.Types {
			if (t.Area == "" || ct.Area == t.Area) && (len(t.CaseTypes) == 0 || slices.Contains(t.CaseTypes, ct.Slug)) {
				types = append(types, quote(ct.Slug))
			}
		}
		conds = append(conds, "case_type IN ("+strings.Join(types, ", ")+")")
		if t.FirstTime != nil {
			conds = append(conds, fmt.Sprintf("ft = %v", *t.FirstTime))
		}
		if t.Complex != nil {
			conds = append(conds, fmt.Sprintf("cx = %v", *t.Complex))
		}
		sel := strings.Join(conds, " AND ")
		cols = append(cols, fmt.Sprintf("100.0 * count(*) FILTER (WHERE %s AND days <= %d) / nullif(count(*) FILTER (WHERE %s), 0)", sel, t.TargetDays, sel))
	}
	q := strings.NewReplacer("{parquet}", quote(parquet), "{year}", fmt.Sprint(p.Year), "{shares}", strings.Join(cols, ",\n")).Replace(shares)
	rows, err := db.Query(q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
	}
	return rows.Err()
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

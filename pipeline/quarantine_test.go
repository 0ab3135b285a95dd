package pipeline

import (
	"fmt"
	"testing"
)

// TestSQLSourceReadWholeQuarantinesOnce: an SQL source read whole lands its table whole every
// run, so the quarantine shows what the table rejects now, once: a bad row is one row after
// three runs, and none once it is corrected. Before the fix it was three, then still three.
func TestSQLSourceReadWholeQuarantinesOnce(t *testing.T) {
	table, conn := pgTable(t, sqlCases(40))
	if _, err := conn.Exec(t.Context(), "UPDATE "+table+" SET sagstype = 'ukendt' WHERE sagsnr = 'S0003'"); err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, sqlSourceConfig("postgres", "SCORECARD_TEST_PG_DSN", table, ""), nil)
	quarantine := "SELECT case_id, reason, source_file, count(*) OVER () AS n FROM quarantine"
	for run := 1; run <= 3; run++ {
		sum := f.run("2024-12-31")
		if got := fmt.Sprint(f.query(quarantine)); got != "[map[case_id:S0003 n:1 reason:unknown_case_type source_file:"+table+"]]" {
			t.Errorf("run %d: quarantine %s", run, got)
		}
		if got := fmt.Sprint(sum.Quarantine); got != "[{unknown_case_type 1}]" {
			t.Errorf("run %d: summary quarantine %s", run, got)
		}
	}
	if _, err := conn.Exec(t.Context(), "UPDATE "+table+" SET sagstype = 'studie' WHERE sagsnr = 'S0003'"); err != nil {
		t.Fatal(err)
	}
	f.run("2024-12-31")
	if got := f.query(quarantine); len(got) != 0 {
		t.Errorf("after the row was corrected: quarantine %v, want empty", got)
	}
	if got := f.query("SELECT case_type FROM cases WHERE case_id = 'S0003'"); fmt.Sprint(got) != "[map[case_type:studie]]" {
		t.Errorf("the corrected case: %v", got)
	}
}

package lake

import (
	"slices"
	"strings"
	"testing"
)

// TestViewsFollowTheTables: each view of views.sql reads its table's files at the depth of the
// table's partition keys (lake/tables.go), and every table but the raw landing and the state has a
// view.
func TestViewsFollowTheTables(t *testing.T) {
	text, err := sqlFiles.ReadFile("sql/views.sql")
	if err != nil {
		t.Fatal(err)
	}
	var viewed []string
	for _, line := range strings.Split(string(text), "\n") {
		head, ok := strings.CutPrefix(line, "-- view: ")
		if !ok || strings.HasPrefix(head, "NAME") {
			continue
		}
		name, glob, _ := strings.Cut(head, " ")
		table := TableNamed(name)
		if want := name + strings.Repeat("/*", len(table.Keys)) + "/*.parquet"; glob != want {
			t.Errorf("view %s reads %s, want %s (keys %v)", name, glob, want, table.Keys)
		}
		viewed = append(viewed, name)
	}
	var want []string
	for _, table := range Tables {
		if table != TableRaw && table != TableState {
			want = append(want, table)
		}
	}
	slices.Sort(viewed)
	slices.Sort(want)
	if !slices.Equal(viewed, want) {
		t.Errorf("views %v, want one per table %v", viewed, want)
	}
}

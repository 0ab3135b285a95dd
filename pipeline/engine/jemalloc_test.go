package engine

import (
	"context"
	"testing"
)

// TestJemallocDecay checks that the jemalloc DuckDB allocates with reads jemalloc.go's
// configuration over DuckDB's own (1000 ms each): a DuckDB whose jemalloc no longer reads the
// symbol, or no longer has it, fails here rather than silently faulting pages in again.
func TestJemallocDecay(t *testing.T) {
	e, err := Open(context.Background(), 1, "100MB", "")
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	for name, want := range map[string]int64{"opt.dirty_decay_ms": 10000, "opt.muzzy_decay_ms": 0} {
		got, err := jemallocOption(name)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s = %d, want %d", name, got, want)
		}
	}
	// An option jemalloc does not have is an error, not a value.
	if v, err := jemallocOption("opt.no_such_option"); err == nil {
		t.Errorf("opt.no_such_option = %d, want an error", v)
	}
}

package pipeline

import (
	"context"
	"testing"
)

// TestKeepingOrderIsScoped checks the one database setting that changes during a run: the
// landing keeps insertion order, and nothing else may. A connection the pool opens while the
// landing copies run must not switch it back (it is the database's, not the connection's),
// and it must be off again once the landing is done.
func TestKeepingOrderIsScoped(t *testing.T) {
	ctx := context.Background()
	e, err := openEngine(ctx, DuckDBConfig{Threads: 2, MemoryLimit: "1GB"}, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	keeping := func() bool {
		t.Helper()
		var on bool
		if err := e.conn.QueryRowContext(ctx, "SELECT current_setting('preserve_insertion_order')").Scan(&on); err != nil {
			t.Fatal(err)
		}
		return on
	}
	if keeping() {
		t.Fatal("insertion order kept before the landing")
	}
	err = e.keepingOrder(ctx, func() error {
		conn, err := e.db.Conn(ctx) // a new connection: the main one is taken
		if err != nil {
			return err
		}
		defer conn.Close()
		var tz string
		if err := conn.QueryRowContext(ctx, "SELECT current_setting('TimeZone')").Scan(&tz); err != nil {
			return err
		}
		if tz != "UTC" {
			t.Errorf("a new connection's time zone is %q, want UTC", tz)
		}
		if !keeping() {
			t.Error("opening a connection during the landing stopped keeping insertion order")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if keeping() {
		t.Error("insertion order still kept after the landing")
	}
}

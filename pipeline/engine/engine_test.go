package engine

import (
	"context"
	"fmt"
	"testing"
)

// TestLandingSettingsAreScoped checks the database settings that change during a run: the
// landing keeps insertion order, on one thread per copy or on all of them, and nothing else
// may. A connection the pool opens while the landing copies run must not switch them back
// (they are the database's, not the connection's), and they must be as configured again once
// the landing is done.
func TestLandingSettingsAreScoped(t *testing.T) {
	ctx := context.Background()
	e, err := Open(ctx, 3, "1GB", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	settings := func() string {
		t.Helper()
		var keep bool
		var threads int
		if err := e.Conn.QueryRowContext(ctx, "SELECT current_setting('preserve_insertion_order'), current_setting('threads')").Scan(&keep, &threads); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("order kept %t, threads %d", keep, threads)
	}
	const configured = "order kept false, threads 3"
	if got := settings(); got != configured {
		t.Fatalf("before the landing: %s, want %s", got, configured)
	}
	for _, tt := range []struct {
		oneThreadEach bool
		want          string
	}{
		{true, "order kept true, threads 1"},
		{false, "order kept true, threads 3"},
	} {
		err = e.Landing(ctx, tt.oneThreadEach, func() error {
			conn, err := e.DB.Conn(ctx) // a new connection: the main one is taken
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
			if got := settings(); got != tt.want {
				t.Errorf("landing (one thread each %t) with a connection opened: %s, want %s", tt.oneThreadEach, got, tt.want)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := settings(); got != configured {
			t.Errorf("after the landing (one thread each %t): %s, want %s", tt.oneThreadEach, got, configured)
		}
	}
}

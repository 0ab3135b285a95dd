package postgres

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// pgEpoch is where PostgreSQL's binary dates and timestamps count from.
var pgEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// TestAppendTimestamp checks the binary decoding against package time over
// random instants from year 1 to 9999, and the edges.
func TestAppendTimestamp(t *testing.T) {
	lo, hi := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).Sub(pgEpoch).Microseconds()/1000,
		time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC).Sub(pgEpoch).Microseconds()/1000
	cases := []int64{0, -1, 1, 86_400_000_000 - 1, -86_400_000_000, 500_000, 123_456}
	for range 100_000 {
		cases = append(cases, (lo+rand.Int64N(hi-lo))*1000+rand.Int64N(1000)*int64(rand.IntN(2)))
	}
	for _, us := range cases {
		tm := pgEpoch.Add(time.Duration(us/1000) * time.Millisecond).Add(time.Duration(us%1000) * time.Microsecond)
		want := strings.TrimSuffix(tm.Format("2006-01-02T15:04:05.999999Z07:00"), "Z")
		if got := string(appendTimestamp(nil, us, false)); got != want {
			t.Fatalf("appendTimestamp(%d) = %s, want %s", us, got, want)
		}
		if got := string(appendTimestamp(nil, us, true)); got != want+"Z" {
			t.Fatalf("appendTimestamp(%d, zulu) = %s, want %sZ", us, got, want)
		}
		days := int32(us / 86_400_000_000)
		if got, want := string(appendDate(nil, days)), pgEpoch.AddDate(0, 0, int(days)).Format(time.DateOnly); got != want {
			t.Fatalf("appendDate(%d) = %s, want %s", days, got, want)
		}
	}
}

func TestAppendSpecialValues(t *testing.T) {
	for got, want := range map[string]string{
		string(appendTimestamp(nil, math.MaxInt64, true)): "infinity",
		string(appendTimestamp(nil, math.MinInt64, true)): "-infinity",
		string(appendDate(nil, math.MaxInt32)):            "infinity",
		string(appendDate(nil, math.MinInt32)):            "-infinity",
		string(appendDate(nil, -730485)):                  "0000-01-01", // 1 BC, as ISO 8601 numbers years
		string(appendDate(nil, -730486)):                  "-0001-12-31",
		string(appendDate(nil, 2921940)):                  "10000-01-01",
	} {
		if got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	}
}

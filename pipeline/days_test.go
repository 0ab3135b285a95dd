package pipeline

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"scorecard/pipeline/config"
	"scorecard/pipeline/engine"
	"scorecard/pipeline/period"
	"scorecard/pipeline/session"
)

// TestLocalDate checks the SQL conversion of every accepted form to a local date, including
// the DST nights and the year end in Copenhagen, and the forms that must be rejected.
func TestLocalDate(t *testing.T) {
	ctx := context.Background()
	eng := testEngine(t)
	tests := []struct {
		in, tz, want string // want "" = NULL (bad_date)
	}{
		{"2024-03-05", "Europe/Copenhagen", "2024-03-05"},
		{"2024-03-05T23:59:59", "Europe/Copenhagen", "2024-03-05"},
		{"2024-03-05 00:00", "Europe/Copenhagen", "2024-03-05"},
		{"2024-03-05T23:30:00Z", "Europe/Copenhagen", "2024-03-06"},      // CET, +1
		{"2024-03-05T22:59:59.999Z", "Europe/Copenhagen", "2024-03-05"},  // fractional seconds
		{"2024-07-05T21:59:59Z", "Europe/Copenhagen", "2024-07-05"},      // CEST, +2
		{"2024-07-05T22:00:00Z", "Europe/Copenhagen", "2024-07-06"},      // CEST midnight
		{"2024-03-30T23:00:00Z", "Europe/Copenhagen", "2024-03-31"},      // the spring-forward night
		{"2024-03-31T00:59:59Z", "Europe/Copenhagen", "2024-03-31"},      // 01:59:59 CET, before the jump
		{"2024-03-31T01:00:00Z", "Europe/Copenhagen", "2024-03-31"},      // 03:00 CEST, after it
		{"2024-10-26T21:59:59Z", "Europe/Copenhagen", "2024-10-26"},      // the fall-back night
		{"2024-10-26T22:00:00Z", "Europe/Copenhagen", "2024-10-27"},      // 00:00 CEST
		{"2024-10-27T01:30:00Z", "Europe/Copenhagen", "2024-10-27"},      // 02:30 CET, the repeated hour
		{"2023-12-31T22:59:59Z", "Europe/Copenhagen", "2023-12-31"},      // year end
		{"2023-12-31T23:00:00Z", "Europe/Copenhagen", "2024-01-01"},      // new year in Copenhagen
		{"2024-03-05T23:30:00-05:00", "Europe/Copenhagen", "2024-03-06"}, // 04:30Z -> 05:30 local
		{"2024-03-05T23:30:00+0100", "Europe/Copenhagen", "2024-03-05"},  // offset without colon
		{"2024-03-05T23:30:00+01", "Europe/Copenhagen", "2024-03-05"},    // hour-only offset
		{"2024-03-05 23:30:00+00", "Europe/Copenhagen", "2024-03-06"},    // PostgreSQL text form
		{"2024-03-05 23:30:00 +00:00", "Europe/Copenhagen", ""},          // a space before the offset is not ISO
		{"2024-03-06T03:00:00Z", "America/New_York", "2024-03-05"},
		{"2024-03-05T23:30:00Z", "UTC", "2024-03-05"},
		{"2024-03-05T23:30:00", "America/New_York", "2024-03-05"}, // local stays local
		{"2024-02-29", "Europe/Copenhagen", "2024-02-29"},         // leap day
		{"2023-02-29", "Europe/Copenhagen", ""},
		{"2024-02-30", "Europe/Copenhagen", ""},
		{"2024-13-01T00:00:00Z", "Europe/Copenhagen", ""},
		{"2024-03-05T25:00:00", "Europe/Copenhagen", ""},
		{"05/03/2024", "Europe/Copenhagen", ""},
		{"2024-3-5", "Europe/Copenhagen", ""},
		{"20240305", "Europe/Copenhagen", ""},
		{"not a date", "Europe/Copenhagen", ""},
		{"2024-03-05T10:00:00 CET", "Europe/Copenhagen", ""},
		// the four common forms, which skip the regular expression, and their near misses
		{"2024-03-05 23:30:00+01:00", "Europe/Copenhagen", "2024-03-05"},
		{"2024-03-05T23:30:00-01:00", "Europe/Copenhagen", "2024-03-06"},
		{"2024-02-30T10:00:00Z", "Europe/Copenhagen", ""},
		{"2024-02-30T10:00:00+01:00", "Europe/Copenhagen", ""},
		{"2024-02-30 10:00:00", "Europe/Copenhagen", ""},
		{"2024-03-05T10:00:0a", "Europe/Copenhagen", ""},
		{"2024-03-05T10:00:00*01:00", "Europe/Copenhagen", ""},
		{"2024-03-05X10:00:00Z", "Europe/Copenhagen", ""},
		{"2024/03/05", "Europe/Copenhagen", ""},
		{"2024-03-05Z", "Europe/Copenhagen", ""}, // a zone without a time
	}
	for _, tt := range tests {
		t.Run(tt.in+"@"+tt.tz, func(t *testing.T) {
			if err := session.SetTimeZone(ctx, eng, tt.tz); err != nil {
				t.Fatal(err)
			}
			var got sql.NullString
			if err := eng.Conn.QueryRowContext(ctx, "SELECT CAST(sc_local_date(?) AS VARCHAR)", tt.in).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got.String != tt.want {
				t.Errorf("sc_local_date(%q) in %s = %q, want %q", tt.in, tt.tz, got.String, tt.want)
			}
		})
	}
}

// TestElapsedDays runs cases through the whole pipeline and checks elapsed_days: whole
// calendar days, so a 23- or 25-hour DST day still counts as one.
func TestElapsedDays(t *testing.T) {
	tests := []struct {
		submitted, decided string
		want               int64
	}{
		{"2024-03-30T12:00:00", "2024-03-31T12:00:00", 1},             // 23 hours across spring forward
		{"2024-10-26T12:00:00", "2024-10-27T12:00:00", 1},             // 25 hours across fall back
		{"2024-03-30T23:30:00+01:00", "2024-03-31T00:30:00+02:00", 0}, // same local day: 23:30 and 23:30
		{"2024-02-28", "2024-03-01", 2},                               // leap day between
		{"2024-01-31", "2024-03-02", 31},                              // a leap February
		{"2024-05-01T23:59:59", "2024-05-02T00:00:00", 1},
		{"2024-05-01T00:00:00", "2024-05-01T23:59:59", 0},
		{"2023-12-31T23:30:00Z", "2024-01-01", 0}, // already 1 January in Copenhagen
		{"2023-12-31", "2024-01-01T00:10:00+01:00", 1},
		{"2024-06-01T21:59:00Z", "2024-06-02T22:01:00Z", 2}, // 23:59 -> next day 00:01 local
	}
	var rows string
	for i, tt := range tests {
		rows += fmt.Sprintf("E%02d,eu_ophold,ja,,,%s,%s,\n", i, tt.submitted, tt.decided)
	}
	f := csvFixture(t, rows)
	f.run("2024-12-31")
	got := map[string]int64{}
	for _, r := range f.query("SELECT case_id, elapsed_days FROM case_results WHERE target_id = 'eu.1'") {
		got[r["case_id"].(string)] = r["elapsed_days"].(int64)
	}
	for i, tt := range tests {
		id := fmt.Sprintf("E%02d", i)
		if g, ok := got[id]; !ok || g != tt.want {
			t.Errorf("%s %s -> %s: elapsed_days = %v (present %v), want %d", id, tt.submitted, tt.decided, g, ok, tt.want)
		}
	}
}

func TestPlanPeriods(t *testing.T) {
	d := func(s string) time.Time { v, _ := period.ParseDate(s); return v }
	tests := []struct {
		asOf      string
		wantNames int
		check     map[string]string // name -> "start end complete"
	}{
		{"2023-12-31", 0, nil},
		{"2024-01-01", 3, map[string]string{
			"2024": "2024-01-01 2024-01-01 false", "2024-Q1": "2024-01-01 2024-01-01 false", "2024-01": "2024-01-01 2024-01-01 false"}},
		{"2024-02-29", 4, map[string]string{"2024-02": "2024-02-01 2024-02-29 true", "2024-Q1": "2024-01-01 2024-02-29 false"}},
		{"2024-03-31", 5, map[string]string{"2024-Q1": "2024-01-01 2024-03-31 true"}},
		{"2024-12-31", 17, map[string]string{"2024": "2024-01-01 2024-12-31 true", "2024-Q4": "2024-10-01 2024-12-31 true"}},
		{"2026-11-22", 17, map[string]string{"2024-12": "2024-12-01 2024-12-31 true"}},
	}
	for _, tt := range tests {
		ps := period.PlanPeriods(2024, d(tt.asOf))
		if len(ps) != tt.wantNames {
			t.Errorf("as of %s: %d periods, want %d", tt.asOf, len(ps), tt.wantNames)
		}
		for _, p := range ps {
			want, ok := tt.check[p.Name]
			got := fmt.Sprintf("%s %s %v", p.Start.Format(period.DateLayout), p.End.Format(period.DateLayout), p.Complete)
			if ok && got != want {
				t.Errorf("as of %s, %s = %s, want %s", tt.asOf, p.Name, got, want)
			}
		}
	}
}

// TestZoneDateMatchesICU checks the shortcut of sc_zone_date against ICU's conversion on
// instants every seven minutes through years of DST changes, the day Samoa skipped when it
// crossed the date line, the first days of 1970 and the last of 2099, in zones with quarter-
// and half-hour offsets and with offsets far from UTC.
func TestZoneDateMatchesICU(t *testing.T) {
	ctx := context.Background()
	eng := testEngine(t)
	zones := []string{"Europe/Copenhagen", "Pacific/Apia", "Pacific/Kiritimati", "Asia/Kathmandu",
		"America/St_Johns", "Australia/Lord_Howe", "America/Los_Angeles", "UTC"}
	for _, tz := range zones {
		if err := session.SetTimeZone(ctx, eng, tz); err != nil {
			t.Fatal(err)
		}
		var instants, differ, shortcut int64
		err := eng.Conn.QueryRowContext(ctx, `
			SELECT count(*),
				count(*) FILTER (WHERE sc_zone_date(i) IS DISTINCT FROM CAST(timezone(getvariable('tz'), i) AS DATE)),
				count(*) FILTER (WHERE (epoch_us(i) + getvariable('tz_offset_min_us')) // 86400000000
					= (epoch_us(i) + getvariable('tz_offset_max_us')) // 86400000000)
			FROM (SELECT range::TIMESTAMPTZ AS i FROM range(TIMESTAMP '1969-12-25', TIMESTAMP '1971-01-01', INTERVAL 7 MINUTE)
				UNION ALL SELECT range::TIMESTAMPTZ FROM range(TIMESTAMP '2011-01-01', TIMESTAMP '2012-01-01', INTERVAL 7 MINUTE)
				UNION ALL SELECT range::TIMESTAMPTZ FROM range(TIMESTAMP '2024-01-01', TIMESTAMP '2025-01-01', INTERVAL 7 MINUTE)
				UNION ALL SELECT range::TIMESTAMPTZ FROM range(TIMESTAMP '2099-12-25', TIMESTAMP '2100-01-08', INTERVAL 7 MINUTE))`,
		).Scan(&instants, &differ, &shortcut)
		if err != nil {
			t.Fatal(err)
		}
		if differ != 0 {
			t.Errorf("%s: sc_zone_date differs from ICU on %d of %d instants", tz, differ, instants)
		}
		// The shortcut must be what dates most instants, or it saves nothing.
		if tz == "Europe/Copenhagen" && shortcut*100 < instants*90 {
			t.Errorf("%s: the shortcut dates only %d of %d instants", tz, shortcut, instants)
		}
	}
}

// TestOffsetBoundsOfEveryZone holds timezone.sql's weekly samples to a daily reading of every
// zone ICU knows: an offset lasting less than a week would narrow the bounds sc_zone_date
// trusts. (ICU's data comes with DuckDB, so this is rechecked whenever DuckDB is upgraded.)
func TestOffsetBoundsOfEveryZone(t *testing.T) {
	if testing.Short() {
		t.Skip("reads every zone's offsets day by day (about 15 s)")
	}
	ctx := context.Background()
	eng := testEngine(t)
	if err := eng.Exec(ctx, `CREATE TEMP TABLE daily_bounds AS
		SELECT z.name, min(epoch_us(timezone(z.name, u)) - epoch_us(u)) AS lo,
			max(epoch_us(timezone(z.name, u)) - epoch_us(u)) AS hi
		FROM pg_timezone_names() z,
			(SELECT range::TIMESTAMPTZ AS u FROM range(TIMESTAMP '1970-01-01', TIMESTAMP '2100-01-01', INTERVAL 1 DAY))
		GROUP BY z.name`); err != nil {
		t.Fatal(err)
	}
	rows, err := eng.Conn.QueryContext(ctx, "SELECT name, lo, hi FROM daily_bounds ORDER BY name")
	if err != nil {
		t.Fatal(err)
	}
	type bounds struct {
		zone   string
		lo, hi int64
	}
	var zones []bounds
	for rows.Next() {
		var b bounds
		if err := rows.Scan(&b.zone, &b.lo, &b.hi); err != nil {
			t.Fatal(err)
		}
		zones = append(zones, b)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	if len(zones) < 600 {
		t.Fatalf("only %d zones", len(zones))
	}
	for _, want := range zones {
		if err := session.SetTimeZone(ctx, eng, want.zone); err != nil {
			t.Fatal(err)
		}
		var lo, hi int64
		if err := eng.Conn.QueryRowContext(ctx,
			"SELECT getvariable('tz_offset_min_us'), getvariable('tz_offset_max_us')").Scan(&lo, &hi); err != nil {
			t.Fatal(err)
		}
		if lo != want.lo || hi != want.hi {
			t.Errorf("%s: bounds %d..%d us, sampled daily %d..%d", want.zone, lo, hi, want.lo, want.hi)
		}
	}
}

// TestCommonFormsAgreeWithExpression holds the shortcut of sc_form_common to the regular
// expression it stands in for: every text it recognises, the expression must read as the same
// form. The texts are the four common forms with each character in turn replaced by each
// character that could confuse a shape check.
func TestCommonFormsAgreeWithExpression(t *testing.T) {
	eng := testEngine(t)
	var texts, recognised, differ int64
	err := eng.Conn.QueryRowContext(context.Background(), `
		WITH forms(s) AS (VALUES ('2024-03-05'), ('2024-03-05T10:20:30'), ('2024-03-05 10:20:30'),
				('2024-03-05T10:20:30Z'), ('2024-03-05T10:20:30+01:00'), ('2024-03-05 10:20:30-05:30')),
			texts AS (
				SELECT DISTINCT s[:p - 1] || c || s[p + 1:] AS s
				FROM forms, range(1, 26) AS positions(p),
					unnest(['0', '9', 'a', '-', '+', ':', ' ', 'T', 'Z', '.', '/', 'é']) AS chars(c)
				WHERE p <= length(s))
		SELECT count(*), count(sc_form_common(s)),
			count(*) FILTER (WHERE sc_form_common(s) IS DISTINCT FROM sc_form_of(sc_stamp(s))
				AND sc_form_common(s) IS NOT NULL)
		FROM texts`).Scan(&texts, &recognised, &differ)
	if err != nil {
		t.Fatal(err)
	}
	if differ != 0 {
		t.Errorf("sc_form_common disagrees with sc_stamp on %d of %d texts", differ, texts)
	}
	// A digit for a digit keeps the form (a tenth of the texts): those must take the shortcut.
	if recognised*10 < texts {
		t.Errorf("sc_form_common recognised only %d of %d texts", recognised, texts)
	}
}

// TestInstant checks the instant of an updated_at: the same forms as a date, nothing else.
func TestInstant(t *testing.T) {
	ctx := context.Background()
	eng := testEngine(t)
	if err := session.SetTimeZone(ctx, eng, "Europe/Copenhagen"); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ in, want string }{ // want "" = NULL
		{"2024-03-05", "2024-03-04 23:00:00+00"},
		{"2024-07-05 10:00:00", "2024-07-05 08:00:00+00"},
		{"2024-07-05T10:00:00.5", "2024-07-05 08:00:00.5+00"},
		{"2024-07-05T10:00:00Z", "2024-07-05 10:00:00+00"},
		{"2024-07-05T10:00:00+01:00", "2024-07-05 09:00:00+00"},
		{"2024-07-05T10:00:00+0100", "2024-07-05 09:00:00+00"},
		{"2024-07-05Z", ""},
		{"2024-07-05T10:00:00 CET", ""}, // a zone name is not an offset, as for the dates
		{"05/07/2024", ""},
		{"2024-02-30T10:00:00Z", ""},
	}
	for _, tt := range tests {
		if got := sqlText(t, eng, "SELECT CAST(sc_instant(?) AS VARCHAR)", tt.in); got != tt.want {
			t.Errorf("sc_instant(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestBoolean checks the spellings of a boolean cell (already trimmed, as curate.sql hands it
// over), in any letter case, and what is not one of them.
func TestBoolean(t *testing.T) {
	eng := testEngine(t)
	tests := []struct {
		in   any    // nil = NULL
		want string // "" = NULL (bad_boolean for a required cell)
	}{
		{"true", "true"}, {"TRUE", "true"}, {"True", "true"}, {"1", "true"}, {"yes", "true"},
		{"Yes", "true"}, {"ja", "true"}, {"JA", "true"},
		{"false", "false"}, {"FALSE", "false"}, {"0", "false"}, {"no", "false"}, {"NO", "false"},
		{"nej", "false"}, {"Nej", "false"},
		{"t", ""}, {"f", ""}, {"y", ""}, {"n", ""}, {"2", ""}, {"01", ""}, {"truee", ""}, {"nej!", ""},
		{"x", ""}, {nil, ""},
	}
	for _, tt := range tests {
		if got := sqlText(t, eng, "SELECT CAST(sc_bool(?::VARCHAR) AS VARCHAR)", tt.in); got != tt.want {
			t.Errorf("sc_bool(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestQuarter checks the partition label of a date, looked up or formatted.
func TestQuarter(t *testing.T) {
	eng := testEngine(t)
	tests := []struct{ in, want string }{ // in "" = NULL
		{"2024-05-01", "2024-Q2"},
		{"2024-12-31", "2024-Q4"},
		{"1900-01-01", "1900-Q1"},
		{"1899-12-31", "1899-Q4"},
		{"2199-12-31", "2199-Q4"},
		{"2200-01-01", "2200-Q1"},
		{"0999-07-01", "0999-Q3"},
		{"", "undecided"},
	}
	for _, tt := range tests {
		if got := sqlText(t, eng, "SELECT sc_quarter(CAST(nullif(?, '') AS DATE))", tt.in); got != tt.want {
			t.Errorf("sc_quarter(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// sqlText runs a query of one argument and one text value, "" for NULL.
func sqlText(t *testing.T, eng *engine.Engine, query string, arg any) string {
	t.Helper()
	var got sql.NullString
	if err := eng.Conn.QueryRowContext(context.Background(), query, arg).Scan(&got); err != nil {
		t.Fatal(err)
	}
	return got.String
}

// testEngine opens a DuckDB session with the embedded macros, closed when the test ends.
func testEngine(t *testing.T) *engine.Engine {
	t.Helper()
	eng, err := openEngine(context.Background(), config.DuckDBConfig{Threads: 2, MemoryLimit: "256MB"}, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	return eng
}

package pipeline

import (
	"fmt"
	"strings"
	"testing"
)

// TestUTCOffsets runs timestamps with UTC offsets through curation in Copenhagen. Offsets in
// use run from -12:00 to +14:00, so those bounds, and minutes 00..59, are what is accepted, in
// each ISO form (±hh:mm, ±hhmm, ±hh); anything beyond is bad_date, whichever date column holds
// it, rather than an instant shifted by a day or more. A valid offset at the edge gives the
// local date of the instant it names.
func TestUTCOffsets(t *testing.T) {
	tests := []struct {
		column string // submitted, decided or updated
		stamp  string
		want   string // the local decided (or submitted) date, or "bad_date"
	}{
		// the edges of the range, in every form: 10:00+14:00 is 20:00Z the day before, 21:00
		// in Copenhagen; 11:00-12:00 is 23:00Z, midnight in Copenhagen
		{"decided", "2024-03-01T10:00:00+14:00", "2024-02-29"},
		{"decided", "2024-03-01 10:00:00+14:00", "2024-02-29"},
		{"decided", "2024-03-01T10:00:00+1400", "2024-02-29"},
		{"decided", "2024-03-01T10:00:00+14", "2024-02-29"},
		{"decided", "2024-03-01T11:00:00-12:00", "2024-03-02"},
		{"decided", "2024-03-01 11:00:00-12:00", "2024-03-02"},
		{"decided", "2024-03-01T11:00:00-1200", "2024-03-02"},
		{"decided", "2024-03-01T11:00:00-12", "2024-03-02"},
		{"decided", "2024-03-01T10:59:59-11:59", "2024-03-01"}, // 22:59:59Z, 23:59:59 local
		{"decided", "2024-03-01T09:59:00+13:59", "2024-02-29"}, // 20:00Z
		// quarter and half hours: 00:30+05:45 is 18:45Z, 00:30+05:30 19:00Z, the day before
		{"decided", "2024-03-01T00:30:00+05:45", "2024-02-29"},
		{"decided", "2024-03-01T00:30:00+0530", "2024-02-29"},
		{"decided", "2024-03-01T06:14:00+05:45", "2024-03-01"}, // 00:29Z, 01:29 local
		{"decided", "2024-03-01T23:30:00-00:00", "2024-03-02"},
		{"decided", "2024-03-01 23:30:00+00", "2024-03-02"},
		// fractional seconds and Z
		{"decided", "2024-03-01T10:00:00.123456+14:00", "2024-02-29"},
		{"decided", "2024-03-01T11:00:00.5-1200", "2024-03-02"},
		{"decided", "2024-03-01T22:59:59.999999999Z", "2024-03-01"},
		{"decided", "2024-03-01T23:00:00Z", "2024-03-02"},
		{"decided", "2024-03-01T23:00:00.000Z", "2024-03-02"},
		{"submitted", "2024-02-01T10:00:00+14:00", "2024-01-31"},
		{"updated", "2024-03-05T10:00:00+14:00", "2024-03-01"},
		// impossible offsets, in every form and column
		{"decided", "2024-03-01T10:00:00+99:99", "bad_date"},
		{"decided", "2024-03-01T10:00:00+24:00", "bad_date"},
		{"decided", "2024-03-01T10:00:00+15:00", "bad_date"},
		{"decided", "2024-03-01T10:00:00+14:01", "bad_date"},
		{"decided", "2024-03-01T10:00:00-12:01", "bad_date"},
		{"decided", "2024-03-01T10:00:00-13:00", "bad_date"},
		{"decided", "2024-03-01T10:00:00+00:60", "bad_date"},
		{"decided", "2024-03-01T10:00:00+05:99", "bad_date"},
		{"decided", "2024-03-01 10:00:00+15:00", "bad_date"},
		{"decided", "2024-03-01T10:00:00.5+15:00", "bad_date"},
		{"decided", "2024-03-01T10:00:00+9999", "bad_date"},
		{"decided", "2024-03-01T10:00:00+1500", "bad_date"},
		{"decided", "2024-03-01T10:00:00+1401", "bad_date"},
		{"decided", "2024-03-01T10:00:00-1201", "bad_date"},
		{"decided", "2024-03-01T10:00:00+0060", "bad_date"},
		{"decided", "2024-03-01T10:00:00+99", "bad_date"},
		{"decided", "2024-03-01T10:00:00+15", "bad_date"},
		{"decided", "2024-03-01T10:00:00-13", "bad_date"},
		{"decided", "2024-03-01T10:00:00+24", "bad_date"},
		{"submitted", "2024-02-01T10:00:00+24:00", "bad_date"},
		{"submitted", "2024-02-01T10:00:00-13", "bad_date"},
		{"updated", "2024-03-05T10:00:00+99:99", "bad_date"},
		{"updated", "2024-03-05T10:00:00+0060", "bad_date"},
	}
	var rows strings.Builder
	for i, tt := range tests {
		submitted, decided, updated := "2024-02-01", "2024-03-01", ""
		switch tt.column {
		case "submitted":
			submitted = tt.stamp
		case "decided":
			decided = tt.stamp
		case "updated":
			updated = tt.stamp
		default:
			t.Fatalf("column %q", tt.column)
		}
		fmt.Fprintf(&rows, "O%02d,eu_ophold,ja,,,%s,%s,%s\n", i, submitted, decided, updated)
	}
	f := csvFixture(t, rows.String())
	f.run("2024-12-31")
	got := map[string]string{}
	for _, r := range f.query("SELECT case_id, reason FROM quarantine") {
		got[r["case_id"].(string)] = r["reason"].(string)
	}
	for _, r := range f.query(`SELECT case_id, CAST(submitted_date AS VARCHAR) AS s,
		CAST(decided_date AS VARCHAR) AS d FROM cases`) {
		id := r["case_id"].(string)
		if _, twice := got[id]; twice {
			t.Errorf("%s both quarantined and a case", id)
		}
		got[id] = r["d"].(string)
		if r["s"] != "2024-02-01" {
			got[id] = r["s"].(string) // a submitted_at under test: its date is what is checked
		}
	}
	for i, tt := range tests {
		if id := fmt.Sprintf("O%02d", i); got[id] != tt.want {
			t.Errorf("%s %s_at %s: got %q, want %q", id, tt.column, tt.stamp, got[id], tt.want)
		}
	}
}

// TestOffsetBound reads every offset of two digits and two, ±00:00 to ±99:99, in each form
// (±hh:mm by sc_form_common and by the regular expression, ±hhmm, and ±hh where the minutes
// are 00), and holds what is accepted as an instant to the bound: -12:00 to +14:00, minutes
// under 60.
func TestOffsetBound(t *testing.T) {
	eng := testEngine(t)
	var offsets, accepted, wrong int64
	err := eng.Conn.QueryRowContext(t.Context(), `
		WITH offsets AS (
			SELECT sign, lpad(h::VARCHAR, 2, '0') AS hh, lpad(m::VARCHAR, 2, '0') AS mm,
				m < 60 AND h * 60 + m <= CASE sign WHEN '+' THEN 14 * 60 ELSE 12 * 60 END AS valid
			FROM unnest(['+', '-']) AS signs(sign), range(100) AS hours(h), range(100) AS minutes(m)),
		stamps AS (
			SELECT valid, '2024-03-01T10:00:00' || sign || hh || ':' || mm AS s FROM offsets
			UNION ALL SELECT valid, '2024-03-01 10:00:00' || sign || hh || mm FROM offsets
			UNION ALL SELECT valid, '2024-03-01T10:00:00.5' || sign || hh || ':' || mm FROM offsets
			UNION ALL SELECT valid, '2024-03-01T10:00:00' || sign || hh FROM offsets WHERE mm = '00')
		SELECT count(*), count(*) FILTER (WHERE valid),
			count(*) FILTER (WHERE coalesce(sc_text_form(s) = 4, false) <> valid
				OR coalesce(sc_form_of(sc_stamp(s)) = 4, false) <> valid
				OR (strlen(s) = 25 AND coalesce(sc_form_common(s) = 4, false) <> valid))
		FROM stamps`).Scan(&offsets, &accepted, &wrong)
	if err != nil {
		t.Fatal(err)
	}
	if wrong != 0 || accepted != 3*(14*60+1+12*60+1)+(15+13) {
		t.Errorf("%d of %d stamps read against the bound, %d accepted", wrong, offsets, accepted)
	}
}

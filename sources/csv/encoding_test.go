package csv

import (
	"errors"
	"slices"
	"testing"

	"scorecard/sources"
)

// TestEncodings reads files written in a single-byte encoding. In both, ø, æ and å are the
// bytes F8, E6 and E5; 0x80 is € in windows-1252 and a C1 control in iso-8859-1. DuckDB's
// reader knows neither (as used), so every such file is streamed.
func TestEncodings(t *testing.T) {
	tests := []struct {
		name     string
		encoding string
		body     string // the file's bytes
		cfg      sources.Config
		want     []row
	}{
		{
			name:     "windows-1252",
			encoding: "windows-1252",
			body:     header + "S\xf8-1,f\xe6rdig \xe5r,ja,,,2024-01-02,,\nS-2,K\xd8BENHAVN,nej,,,2024-01-03,,\n",
			want: []row{
				r("c.csv", 2, "S\u00f8-1", "f\u00e6rdig \u00e5r", "ja", "", "", "2024-01-02", "", ""),
				r("c.csv", 3, "S-2", "K\u00d8BENHAVN", "nej", "", "", "2024-01-03", "", ""),
			},
		},
		{
			name:     "iso-8859-1",
			encoding: "iso-8859-1",
			body:     header + "S\xf8-1,f\xe6rdig \xe5r,ja,,,2024-01-02,,\n",
			want:     []row{r("c.csv", 2, "S\u00f8-1", "f\u00e6rdig \u00e5r", "ja", "", "", "2024-01-02", "", "")},
		},
		{
			name:     "euro sign in windows-1252",
			encoding: "windows-1252",
			body:     header + "\x80-1,studie \x80\x96 x,ja,,,2024-01-02,,\n",
			want:     []row{r("c.csv", 2, "\u20ac-1", "studie \u20ac\u2013 x", "ja", "", "", "2024-01-02", "", "")},
		},
		{
			name:     "0x80 in iso-8859-1 is a control character",
			encoding: "iso-8859-1",
			body:     header + "\x80-1,studie,ja,,,2024-01-02,,\n",
			want:     []row{r("c.csv", 2, "\u0080-1", "studie", "ja", "", "", "2024-01-02", "", "")},
		},
		{
			// the header is decoded before it is matched, and the delimiter detected in it
			name:     "semicolons and a mapped header with \u00f8",
			encoding: "windows-1252",
			body:     "Sagsnummer;sagstype;f\xf8rste gang;modtaget;\"n\xf8te, a, b\"\r\nS-\xe6;studie;ja;2024-01-02;x\r\n",
			cfg: sources.Config{Columns: map[string]string{
				"case_id": "sagsnummer", "case_type": "sagstype", "first_time": "f\u00f8rste gang", "submitted_at": "modtaget",
			}},
			want: []row{r("c.csv", 2, "S-\u00e6", "studie", "ja", N, N, "2024-01-02", N, N)},
		},
		{
			// a byte order mark says UTF-8 whatever the config says: decoding the file as
			// windows-1252 would turn each ø into Ã¸
			name:     "UTF-8 BOM wins",
			encoding: "windows-1252",
			body:     "\xef\xbb\xbf" + header + "S\u00f8-1,studie,ja,,,2024-01-02,,\n",
			want:     []row{r("c.csv", 2, "S\u00f8-1", "studie", "ja", "", "", "2024-01-02", "", "")},
		},
		{
			name:     "utf-8 declared",
			encoding: "utf-8",
			body:     "\ufeff" + header + "S\u00f8-1,studie,ja,,,2024-01-02,,\n",
			want:     []row{r("c.csv", 2, "S\u00f8-1", "studie", "ja", "", "", "2024-01-02", "", "")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.Encoding = tt.encoding
			cfg := setup(t, map[string]string{"c.csv": tt.body}, tt.cfg)
			got, _, err := readAll(t, cfg)
			if err != nil {
				t.Fatal(err)
			}
			compare(t, got, tt.want)
			mixed, streamed := readMixed(t, cfg)
			compare(t, mixed, tt.want)
			if want := []string{"c.csv"}; tt.encoding != "utf-8" && !slices.Equal(streamed, want) {
				t.Errorf("streamed %v, want %v: DuckDB reads the file as UTF-8", streamed, want)
			}
		})
	}
}

// TestEncodingUnknown: the csv source itself refuses an encoding it cannot decode (the
// pipeline's config loader normalises the spellings it accepts before this).
func TestEncodingUnknown(t *testing.T) {
	cfg := setup(t, map[string]string{"c.csv": header}, sources.Config{Encoding: "utf-16"})
	_, err := New(cfg)
	want := `invalid source config: encoding "utf-16" is not one of utf-8, windows-1252, iso-8859-1`
	if !errors.Is(err, sources.ErrInvalidConfig) || err.Error() != want {
		t.Errorf("New = %v, want %s", err, want)
	}
}

// TestEncodingInvalidUTF8: in UTF-8 mode a record with bytes that are not UTF-8 in a column
// read is kept, its cells escaped (each bad byte as \xHH) and the row marked bad_encoding, on
// its own line; the other rows, and a bad byte in a column not read, are left alone.
func TestEncodingInvalidUTF8(t *testing.T) {
	body := "case_id,case_type,first_time,submitted_at,note\n" +
		"A1,studie,ja,2024-01-02,ok\n" +
		"S\xf8-2,f\xe6rdig \u00e5r,ja,2024-01-03,x\n" + // windows-1252 in a UTF-8 file, beside real UTF-8
		"A3,studie,ja,2024-01-04,n\xf8te\n" + // only in the note, which is not read
		"\"A4\nA4\",studie\xc3,ja,\"2024-01-05\xe2\x82\",x\n" + // cut-off sequences, a record of two lines
		"A5,studie,ja,2024-01-06,\\xF8\n"
	bad := func(rw row) row { rw.defect = "bad_encoding"; return rw }
	want := []row{
		r("c.csv", 2, "A1", "studie", "ja", N, N, "2024-01-02", N, N),
		bad(r("c.csv", 3, `S\xF8-2`, `f\xE6rdig `+"\u00e5r", "ja", N, N, "2024-01-03", N, N)),
		r("c.csv", 4, "A3", "studie", "ja", N, N, "2024-01-04", N, N),
		bad(r("c.csv", 5, "A4\nA4", `studie\xC3`, "ja", N, N, `2024-01-05\xE2\x82`, N, N)),
		r("c.csv", 7, "A5", "studie", "ja", N, N, "2024-01-06", N, N),
	}
	cfg := setup(t, map[string]string{"c.csv": body}, sources.Config{})
	got, _, err := readAll(t, cfg)
	if err != nil {
		t.Fatal(err)
	}
	compare(t, got, want)
}

// TestEncodingDirectFails: DuckDB's reader fails on a file with bytes that are not UTF-8, so
// the stage step gives the file to the streaming reader, which quarantines the row. Were
// DuckDB to copy the bytes instead, the landing would hold text it cannot read back.
func TestEncodingDirectFails(t *testing.T) {
	cfg := setup(t, map[string]string{"c.csv": header + "A1,studie,ja,,,2024-01-02,,\nS\xf8-2,studie,ja,,,2024-01-03,,\n"}, sources.Config{})
	db, query, _ := directQuery(t, cfg)
	var n int
	if err := db.QueryRow("SELECT count(*) FROM (" + query + ")").Scan(&n); err == nil {
		t.Errorf("DuckDB read the file (%d rows); want an error", n)
	}
}

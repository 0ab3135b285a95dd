package csv

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"scorecard/sources"
)

// TestLineEnds reads files whose records end in LF, CRLF or a bare CR, as RFC 4180 readers
// and Excel do: outside quotes each of the three ends a record, inside quotes a CR is data.
// Every line end counts one line, inside quotes too (a text editor's numbering), so that the
// source_row of a quarantined row is the line an auditor finds it on. DuckDB's reader is
// handed no file with a bare CR (onePerLine), so those are streamed; both ways must agree.
func TestLineEnds(t *testing.T) {
	rows := "1,studie,ja,,,2024-01-02,,\n2,phd,nej,,,2024-01-03,,\n3,phd,ja,,,2024-01-04,,\n"
	three := []row{
		r("c.csv", 2, "1", "studie", "ja", "", "", "2024-01-02", "", ""),
		r("c.csv", 3, "2", "phd", "nej", "", "", "2024-01-03", "", ""),
		r("c.csv", 4, "3", "phd", "ja", "", "", "2024-01-04", "", ""),
	}
	short := "case_id,case_type,first_time,submitted_at,note\n"
	tests := []struct {
		name     string
		body     string
		encoding string
		want     []row
		streamed bool // DuckDB's reader declines the file
	}{
		{name: "LF", body: header + rows, want: three},
		{name: "CRLF", body: strings.ReplaceAll(header+rows, "\n", "\r\n"), want: three},
		{
			name: "CR only (old Mac)", body: strings.ReplaceAll(header+rows, "\n", "\r"),
			want: three, streamed: true,
		},
		{
			name: "CR only, no final line end",
			body: strings.TrimSuffix(strings.ReplaceAll(header+rows, "\n", "\r"), "\r"), want: three, streamed: true,
		},
		{
			name: "bare CR inside a line, last column unmapped",
			body: short + "1,phd,ja,2024-01-01,x\r2,phd,nej,2024-01-02,y\n3,phd,ja,2024-01-03,z\n",
			want: []row{
				r("c.csv", 2, "1", "phd", "ja", N, N, "2024-01-01", N, N),
				r("c.csv", 3, "2", "phd", "nej", N, N, "2024-01-02", N, N),
				r("c.csv", 4, "3", "phd", "ja", N, N, "2024-01-03", N, N),
			},
			streamed: true,
		},
		{
			name: "bare CR inside a line, mapped column",
			body: header + "1,studie,ja,\rnej,,2024-01-02,,\n2,phd,ja,,,2024-01-03,,\n",
			want: []row{
				r("c.csv", 2, "1", "studie", "ja", "", "", "", "", ""),
				r("c.csv", 3, "nej", "", "2024-01-02", "", "", "", "", ""),
				r("c.csv", 4, "2", "phd", "ja", "", "", "2024-01-03", "", ""),
			},
			streamed: true,
		},
		{
			name: "mixed line ends and blank lines",
			body: strings.TrimSuffix(header, "\n") + "\r\n" +
				"1,studie,ja,,,2024-01-02,,\n" + // line 2
				"2,phd,nej,,,2024-01-03,,\r" + // line 3
				"\r" + // line 4, blank
				"3,phd,ja,,,2024-01-04,,\r\n" + // line 5
				"\n\r\r\n" + // lines 6 to 8, blank
				"4,\"phd\",ja,,,2024-01-05,,\r", // line 9, a quote closed before the CR
			want: []row{
				r("c.csv", 2, "1", "studie", "ja", "", "", "2024-01-02", "", ""),
				r("c.csv", 3, "2", "phd", "nej", "", "", "2024-01-03", "", ""),
				r("c.csv", 5, "3", "phd", "ja", "", "", "2024-01-04", "", ""),
				r("c.csv", 9, "4", "phd", "ja", "", "", "2024-01-05", "", ""),
			},
			streamed: true,
		},
		{
			// encoding/csv reads a CRLF inside quotes as LF; a lone CR stays as it is
			name: "CR and CRLF inside quotes are data",
			body: header +
				"1,\"a\rb\",ja,,,2024-01-02,,\r" + // lines 2 and 3
				"2,\"c\r\nd\",nej,,,2024-01-03,,\r" + // lines 4 and 5
				"3,\"\r\r\",ja,,,2024-01-04,,\n" + // lines 6 to 8
				"4,phd,ja,,,2024-01-05,,\n",
			want: []row{
				r("c.csv", 2, "1", "a\rb", "ja", "", "", "2024-01-02", "", ""),
				r("c.csv", 4, "2", "c\nd", "nej", "", "", "2024-01-03", "", ""),
				r("c.csv", 6, "3", "\r\r", "ja", "", "", "2024-01-04", "", ""),
				r("c.csv", 9, "4", "phd", "ja", "", "", "2024-01-05", "", ""),
			},
			streamed: true,
		},
		{
			name: "CR only, windows-1252", encoding: "windows-1252",
			body: strings.ReplaceAll(header+"S\xf8-1,\"f\xe6r\rdig\",ja,,,2024-01-02,,\n2,phd,nej,,,2024-01-03,,\n", "\n", "\r"),
			want: []row{
				r("c.csv", 2, "S\u00f8-1", "f\u00e6r\rdig", "ja", "", "", "2024-01-02", "", ""),
				r("c.csv", 4, "2", "phd", "nej", "", "", "2024-01-03", "", ""),
			},
			streamed: true,
		},
		{
			name: "CR only, byte order mark", body: strings.ReplaceAll("\uFEFF"+header+rows, "\n", "\r"),
			want: three, streamed: true,
		},
		{
			// the delimiter is detected in the header line, which a CR ends
			name:     "semicolons detected before the first CR",
			body:     "case_id;case_type;first_time;submitted_at;note\r1;phd;ja;2024-01-01;a,b,c,d,e,f,g,h,i,j\r",
			want:     []row{r("c.csv", 2, "1", "phd", "ja", N, N, "2024-01-01", N, N)},
			streamed: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := setup(t, map[string]string{"c.csv": tt.body}, sources.Config{Encoding: tt.encoding})
			got, _, err := readAll(t, cfg)
			if err != nil {
				t.Fatal(err)
			}
			compare(t, got, tt.want)
			mixed, streamed := readMixed(t, cfg)
			compare(t, mixed, tt.want)
			if want := tt.streamed; want != slices.Equal(streamed, []string{"c.csv"}) {
				t.Errorf("streamed %v, want streamed %v", streamed, want)
			}
		})
	}
}

// TestLineEndErrors checks that a file that fails names the line and column a text editor
// shows, whichever line ends it has: the same file with CR instead of LF gives the same error.
func TestLineEndErrors(t *testing.T) {
	tests := []struct {
		name string
		body string // with LF line ends; each case is also run with CR and with CRLF
		want string
	}{
		{
			name: "bare quote",
			body: header + "1,phd,1,,,2024-01-01,,\n2,ph\"d,1,,,2024-01-01,,\n",
			want: `DIR/c.csv:3:5: bare " in non-quoted-field`,
		},
		{
			name: "unterminated quote",
			body: header + "1,phd,1,,,2024-01-01,,\n\"2,phd,1\n\n3,x\n",
			want: `DIR/c.csv:5:5: extraneous or missing " in quoted-field (in the record starting on line 3)`,
		},
		{
			name: "unterminated quote, no final line end",
			body: header + "\"1,phd,1\n\n3,x",
			want: `DIR/c.csv:4:4: extraneous or missing " in quoted-field (in the record starting on line 2)`,
		},
		{
			name: "text after a closing quote, after quoted line ends",
			body: header + "1,phd,1,,,2024-01-01,,\n2,\"a\nb\n\"c,1\n",
			want: `DIR/c.csv:5:1: extraneous or missing " in quoted-field (in the record starting on line 3)`,
		},
		{
			name: "bare quote after a quoted line end",
			body: header + "1,\"a\nb\",x\"y\n",
			want: `DIR/c.csv:3:5: bare " in non-quoted-field (in the record starting on line 2)`,
		},
	}
	for _, tt := range tests {
		for _, end := range []string{"\n", "\r", "\r\n"} {
			t.Run(tt.name+" "+strings.NewReplacer("\r", "CR", "\n", "LF").Replace(end), func(t *testing.T) {
				body := strings.ReplaceAll(tt.body, "\n", end)
				cfg := setup(t, map[string]string{"c.csv": body}, sources.Config{})
				_, _, err := readAll(t, cfg)
				want := strings.ReplaceAll(tt.want, "DIR", filepath.Dir(cfg.Path))
				if err == nil || err.Error() != want {
					t.Errorf("error = %v\nwant    %s", err, want)
				}
			})
		}
	}
}

// TestLineEndsAtReadEdges puts each kind of line end, outside and inside quotes, on every
// position around the edges of the reads: the first read returns the 64 KiB that delimiter
// detection peeked at.
func TestLineEndsAtReadEdges(t *testing.T) {
	for at := bufSize - 4; at <= bufSize+3; at++ {
		for _, end := range []string{"\n", "\r\n", "\r", "\r\r"} {
			for _, quoted := range []bool{false, true} {
				note := strings.Repeat("x", at-len(header)-len("1,studie,ja,,,2024-01-02,,"))
				first, want := "1,studie,ja,,,2024-01-02,,"+note+end, int64(3)
				value := note
				if quoted {
					first = "1,studie,ja,,,2024-01-02,,\"" + note[1:] + end + "\"\n"
					value = note[1:] + strings.ReplaceAll(end, "\r\n", "\n")
					want++
				}
				if end == "\r\r" {
					want++ // a blank line, or a second line in the quotes
				}
				body := header + first + "2,phd,nej,,,2024-01-03,,\n"
				cfg := setup(t, map[string]string{"c.csv": body}, sources.Config{})
				got, _, err := readAll(t, cfg)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != 2 || got[0].vals[7] != value || got[1].vals[0] != "2" || got[1].line != want {
					t.Errorf("line end %q (quoted %v) at byte %d: rows %d, second on line %d, want line %d",
						end, quoted, at, len(got), got[len(got)-1].line, want)
				}
			}
		}
	}
}

// TestLineEndsMatchReference reads a file of some megabyte, so that reads end everywhere,
// whose records end in LF, CRLF or CR at random, with blank lines and line ends in quotes,
// and checks that Next gives refReader's records on refReader's lines.
func TestLineEndsMatchReference(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	ends := []string{"\n", "\r\n", "\r"}
	end := func() string { return ends[rnd.IntN(len(ends))] }
	var b strings.Builder
	b.WriteString(strings.TrimSuffix(header, "\n") + end())
	for i := 0; b.Len() < 1<<20; i++ {
		note := strings.Repeat("x", rnd.IntN(200))
		if rnd.IntN(4) == 0 {
			note = `"` + note[:len(note)/2] + end() + `""` + end() + note[len(note)/2:] + `"`
		}
		fmt.Fprintf(&b, "%d,studie,ja,,,2024-01-02,,%s%s", i, note, end())
		if rnd.IntN(10) == 0 {
			b.WriteString(end()) // a blank line, or the LF of a CRLF after a CR
		}
	}
	cfg := setup(t, map[string]string{"c.csv": b.String()}, sources.Config{})
	want, err := refRows(cfg, []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := readAll(t, cfg)
	if err != nil {
		t.Fatal(err)
	}
	compare(t, got, want)
}

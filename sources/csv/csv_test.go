package csv

import (
	"fmt"
	"slices"
	"testing"

	"scorecard/sources"
)

// N marks a null cell in the expected rows.
const N = "<null>"

// row is one expected output row: the file's base name, the source_row, the
// eight canonical values and the defect mark ("" for a sound row, NULL).
type row struct {
	file   string
	line   int64
	vals   [8]string
	defect string
}

func r(file string, line int64, vals ...string) row {
	var rw row
	rw.file, rw.line = file, line
	copy(rw.vals[:], vals)
	return rw
}

const header = "case_id,case_type,first_time,complex,has_service_target,submitted_at,decided_at,updated_at\n"

func TestCSVSource(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		cfg   sources.Config // Path is relative to the test's directory
		want  []row
		// streamed are the files DuckDB cannot read itself (quotes, blank lines): the others
		// are read both ways, and both must give want.
		streamed []string
	}{
		{
			name:  "all canonical columns",
			files: map[string]string{"c.csv": header + "1,studie,ja,nej,ja,2024-01-02,2024-01-05,2024-01-05T10:00:00Z\n"},
			want:  []row{r("c.csv", 2, "1", "studie", "ja", "nej", "ja", "2024-01-02", "2024-01-05", "2024-01-05T10:00:00Z")},
		},
		{
			name: "other order, extra column ignored",
			files: map[string]string{"c.csv": "note,submitted_at,first_time,case_type,case_id,decided_at\n" +
				"hello,2024-03-01,1,phd,A-7,2024-03-02\n"},
			want: []row{r("c.csv", 2, "A-7", "phd", "1", N, N, "2024-03-01", "2024-03-02", N)},
		},
		{
			name:  "BOM stripped",
			files: map[string]string{"c.csv": "\uFEFFcase_id,case_type,first_time,submitted_at\n9,phd,true,2024-01-01\n"},
			want:  []row{r("c.csv", 2, "9", "phd", "true", N, N, "2024-01-01", N, N)},
		},
		{
			name: "semicolon detected",
			files: map[string]string{"c.csv": "\uFEFFcase_id;case_type;first_time;submitted_at;\"note, with, commas\"\n" +
				"1;fasttrack;ja;2024-01-02;a,b\n"},
			want:     []row{r("c.csv", 2, "1", "fasttrack", "ja", N, N, "2024-01-02", N, N)},
			streamed: []string{"c.csv"},
		},
		{
			name:     "comma kept when counts tie",
			files:    map[string]string{"c.csv": "case_id,case_type,first_time,submitted_at,\"a;b;c;d\"\n1,x,1,d,n\n"},
			want:     []row{r("c.csv", 2, "1", "x", "1", N, N, "d", N, N)},
			streamed: []string{"c.csv"},
		},
		{
			name:  "explicit delimiter",
			files: map[string]string{"c.csv": "case_id|case_type|first_time|submitted_at\n1;2|studie|nej|2024-01-02\n"},
			cfg:   sources.Config{Delimiter: "|"},
			want:  []row{r("c.csv", 2, "1;2", "studie", "nej", N, N, "2024-01-02", N, N)},
		},
		{
			name:  "explicit tab",
			files: map[string]string{"c.csv": "case_id\tcase_type\tfirst_time\tsubmitted_at\n1\tstudie\tnej\t2024-01-02\n"},
			cfg:   sources.Config{Delimiter: "\t"},
			want:  []row{r("c.csv", 2, "1", "studie", "nej", N, N, "2024-01-02", N, N)},
		},
		{
			name: "columns mapping, case-insensitive header",
			files: map[string]string{"c.csv": "Sagsnummer;sagstype;første gang;Modtaget;afgjort\n" +
				"S-1;landbrug;Ja;01-02-2024;\n"},
			cfg: sources.Config{Columns: map[string]string{
				"case_id": "sagsnummer", "case_type": "sagstype", "first_time": "første gang",
				"submitted_at": "modtaget", "decided_at": "afgjort",
			}},
			want: []row{r("c.csv", 2, "S-1", "landbrug", "Ja", N, N, "01-02-2024", "", N)},
		},
		{
			name:  "empty cells and spaces kept as read",
			files: map[string]string{"c.csv": header + ",, , JA ,,  2024-01-02 ,,\n"},
			want:  []row{r("c.csv", 2, "", "", " ", " JA ", "", "  2024-01-02 ", "", "")},
		},
		{
			name:  "header names trimmed",
			files: map[string]string{"c.csv": " case_id , case_type,first_time ,submitted_at\r\n1,phd,1,2024-01-01\r\n"},
			want:  []row{r("c.csv", 2, "1", "phd", "1", N, N, "2024-01-01", N, N)},
		},
		{
			name: "quoted delimiter, quotes and newline",
			files: map[string]string{"c.csv": "case_id,case_type,first_time,submitted_at,decided_at\n" +
				"\"1,5\",\"say \"\"hi\"\"\",ja,\"2024-01-02\",\"line one\nline two\"\n" +
				"2,phd,nej,2024-01-03,\n" +
				"\"3\n\n3\",phd,nej,2024-01-04,\n" +
				"4,phd,nej,2024-01-05,\n"},
			want: []row{
				r("c.csv", 2, "1,5", `say "hi"`, "ja", N, N, "2024-01-02", "line one\nline two", N),
				r("c.csv", 4, "2", "phd", "nej", N, N, "2024-01-03", "", N),
				r("c.csv", 5, "3\n\n3", "phd", "nej", N, N, "2024-01-04", "", N),
				r("c.csv", 8, "4", "phd", "nej", N, N, "2024-01-05", "", N),
			},
			streamed: []string{"c.csv"},
		},
		{
			name: "short and long rows, blank lines",
			files: map[string]string{"c.csv": "case_id,case_type,first_time,submitted_at,decided_at\n" +
				"1,phd\n\n\n2,phd,ja,2024-01-01,2024-01-02,extra,more\n"},
			want: []row{
				r("c.csv", 2, "1", "phd", "", N, N, "", "", N),
				r("c.csv", 5, "2", "phd", "ja", N, N, "2024-01-01", "2024-01-02", N),
			},
			streamed: []string{"c.csv"},
		},
		{
			name: "glob in sorted order, each file numbered from 2",
			files: map[string]string{
				"b.csv":      "case_id;case_type;first_time;submitted_at\nb1;phd;1;2024-01-03\n",
				"a.csv":      "submitted_at,case_id,case_type,first_time\n2024-01-01,a1,studie,0\n2024-01-02,a2,studie,1\n",
				"c.txt":      "not,read\n",
				"d.csv/x":    "a directory matching the glob is skipped\n",
				"header.csv": "case_id,case_type,first_time,submitted_at\n",
			},
			cfg: sources.Config{Path: "*.csv"},
			want: []row{
				r("a.csv", 2, "a1", "studie", "0", N, N, "2024-01-01", N, N),
				r("a.csv", 3, "a2", "studie", "1", N, N, "2024-01-02", N, N),
				r("b.csv", 2, "b1", "phd", "1", N, N, "2024-01-03", N, N),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := setup(t, tt.files, tt.cfg)
			got, _, err := readAll(t, cfg)
			if err != nil {
				t.Fatal(err)
			}
			compare(t, got, tt.want)
			mixed, streamed := readMixed(t, cfg)
			compare(t, mixed, tt.want)
			if !slices.Equal(streamed, tt.streamed) {
				t.Errorf("streamed %v, want %v", streamed, tt.streamed)
			}
		})
	}
}

func TestBatchBoundaries(t *testing.T) {
	body := header
	var want []row
	for i := range 5 {
		id := fmt.Sprintf("c%d", i)
		body += id + ",studie,ja,,,2024-01-0" + fmt.Sprint(i+1) + ",,\n"
		want = append(want, r("c.csv", int64(i+2), id, "studie", "ja", "", "", "2024-01-0"+fmt.Sprint(i+1), "", ""))
	}
	tests := []struct {
		batch int
		sizes []int64
	}{
		{batch: 2, sizes: []int64{2, 2, 1}},
		{batch: 5, sizes: []int64{5}},
		{batch: 0, sizes: []int64{5}},
		{batch: 1, sizes: []int64{1, 1, 1, 1, 1}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint("batch ", tt.batch), func(t *testing.T) {
			cfg := setup(t, map[string]string{"c.csv": body}, sources.Config{BatchSize: tt.batch})
			got, sizes, err := readAll(t, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(sizes, tt.sizes) {
				t.Errorf("batch sizes = %v, want %v", sizes, tt.sizes)
			}
			compare(t, got, want)
		})
	}
}

func TestBatchesSpanFiles(t *testing.T) {
	files := map[string]string{
		"1.csv": header + "a,x,1,,,d,,\nb,x,1,,,d,,\nc,x,1,,,d,,\n",
		"2.csv": header + "d,x,1,,,d,,\n",
	}
	cfg := setup(t, files, sources.Config{Path: "*.csv", BatchSize: 2})
	got, sizes, err := readAll(t, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sizes, []int64{2, 2}) {
		t.Errorf("batch sizes = %v, want [2 2]", sizes)
	}
	if g := got[2].file + "/" + got[3].file; g != "1.csv/2.csv" || got[3].line != 2 {
		t.Errorf("second batch rows = %+v", got[2:])
	}
}

package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"scorecard/rules"
)

// TestPlansValidate: good files print ok; every problem of every bad file comes back in one
// error, FILE:LINE:COL first, and the command exits 2.
func TestPlansValidate(t *testing.T) {
	const (
		good   = "testdata/plans/good.yaml"
		pct    = "testdata/plans/min_pct.bad.yaml"
		key    = "testdata/plans/unknown_key.bad.yaml"
		okLine = good + ": ok (plan mini, 1 targets)\n"
		pctErr = pct + `:13:18: target "eu.1": field "min_pct": must be greater than 0 and at most 100, got 101`
		keyErr = key + `:4:1: field "titel": unknown field; allowed: version, id, year, title, total, requirements`
	)
	for _, tt := range []struct {
		name  string
		files []string
		out   string
		code  int
		lines []string // the error, line by line
	}{
		{"good", []string{good}, okLine, exitOK, nil},
		{"two bad", []string{pct, key}, "", exitUsage, []string{pctErr, keyErr}},
		{"good and bad", []string{key, good}, okLine, exitUsage, []string{keyErr}},
		{"missing file", []string{"testdata/plans/nosuch.yaml"}, "", exitUsage, []string{"open testdata/plans/nosuch.yaml: no such file or directory"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, code, err := cli(t, append([]string{"plans", "validate"}, tt.files...)...)
			if out != tt.out || code != tt.code {
				t.Errorf("exit %d, printed %q; want exit %d, %q", code, out, tt.code, tt.out)
			}
			var lines []string
			if err != nil {
				lines = strings.Split(err.Error(), "\n")
			}
			if !slices.Equal(lines, tt.lines) {
				t.Errorf("error lines:\n%q\nwant\n%q", lines, tt.lines)
			}
			if tt.code == exitUsage && strings.HasSuffix(tt.files[0], ".bad.yaml") && !errors.Is(err, rules.ErrInvalid) {
				t.Errorf("err does not wrap rules.ErrInvalid: %v", err)
			}
		})
	}
}

// TestPlansShow prints the built-in 2024 plan: the whole contract, every
// requirement with its kind, weight and title, what its kind measures, and the total.
func TestPlansShow(t *testing.T) {
	out := mustCLI(t, "plans", "show", "2024")
	if !strings.HasPrefix(out, "plan 2024 (2024): ") || !strings.Contains(out, "\nsource: builtin:2024\n") {
		t.Errorf("heading:\n%s", out)
	}
	var reqs []string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "requirement ") {
			reqs = append(reqs, line)
		}
	}
	wantReqs := []string{
		"requirement 1.1 Effektiv sagsbehandling, weight 60, kind case_share",
		"requirement 1.2 Borgerservice, weight 10, kind appointment_wait",
		"requirement 1.3 Kvalitet i sagsbehandlingen, weight 5, kind manual",
		"requirement 1.4 Forebyggelse af negativ social kontrol, weight 10, kind milestones",
		"requirement 2.1 Informationssikkerhed, weight 2.5, kind milestones",
		"requirement 2.2 Leverandørstyring/databehandlerforhold, weight 2.5, kind milestones",
		"requirement 2.3 Intern finansiel kontrol, weight 5, kind milestones",
		"requirement 2.4 Bæredygtighed, weight 5, kind milestones",
	}
	if !slices.Equal(reqs, wantReqs) {
		t.Errorf("requirements:\n%s", strings.Join(reqs, "\n"))
	}
	for _, want := range [][]string{
		{"erhverv.fasttrack", "Fast-track, 1. gang", "fasttrack, first time", "31", "85", "20"},
		{"erhverv.alle", "Hele erhvervsområdet, 1. gang", "area erhverv, first time", "31", "75", "20"},
		{"eu.1", "EU-området", "area eu", "1", "70", "20"},
		{"10", "80", "earliest", "dk", "10"},
		{"kommunikationsplan", "Kommunikationsplan for Centerets arbejde udarbejdet og godkendt af departementet", "2024-03-31"},
		{"raadgivningspakke", "Rådgivningspakke til lærere på ungdomsuddannelserne om opsporing og håndtering af negativ social kontrol lanceret", "2024-09-30"},
		{"oversigt_q4", "Oversigt over indgåede databehandlerforhold indsendt (4. kvartal)", "2024-12-31"},
		{"status_indkoebsmaal", "Status på målopfyldelse på indkøbsmål fremsendt", "2024-09-30"},
	} {
		if got := findRow(out, want[0]); !slices.Equal(got, want) {
			t.Errorf("row %s: %q, want %q", want[0], got, want)
		}
	}
	for _, want := range []string{
		"met when the wait to the next free appointment is at most 10 days on at least 80% of the weekdays\n",
		"points: aftales i dialog med departementet, hvor områderne udvælges i 2. kvartal 2024; awaiting until entered, at most 5\n",
		"points 10 when every milestone is done by its due date, else none\n",
		"\ntotal 100 points in 8 requirements\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestPlansShow2020 prints what 2024 has no example of: a KPI, and an
// assessment without a points scale yet.
func TestPlansShow2020(t *testing.T) {
	out := mustCLI(t, "plans", "show", "2020")
	if got, want := findRow(out, "lt"), []string{"lt", "7", "sygefraværsdage pr. årsværk", "2020-Q1, 2020-Q2, 2020-Q3, 2020-Q4, 2020", "5"}; !slices.Equal(got, want) {
		t.Errorf("kpi row %q, want %q", got, want)
	}
	for _, want := range []string{
		"requirement 2.3 God arbejdsgiveradfærd, weight 5, kind kpi\n",
		"met when the value is < 7 sygefraværsdage pr. årsværk; the year's value earns the points\n",
		"requirement 2.1 Effektiv understøttelse af ministerbetjening og politikudvikling, weight 5, kind assessment\n",
		"scores 1-3 on 9 element(s) per scorer, at most 108 in all; points 5\npointskala: ingen pointskala endnu (no_ladder)\n",
		"points: aftales i allonge til kontrakten, én for målingen i 2. kvartal og én for 4. kvartal; awaiting until entered, at most 5\n",
		"\ntotal 100 points in 7 requirements\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestPlansShowLadders prints the ladders of milestones and of an assessment.
func TestPlansShowLadders(t *testing.T) {
	out := mustCLI(t, "plans", "show", "../../rules/testdata/plans/kinds.good.yaml")
	for _, want := range []string{
		"points 20 when every milestone is done by its due date; >=50% on time: 0.5 of points\n",
		"pointskala: >=45: 1 of points, >=36: 0.5 of points\n",
		"met when the value is ≤ 6.5 sygefraværsdage pr. årsværk",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestPlansValidateBounded: `plans validate` reads at most the limit of a plan file, and no
// device or folder at all, so /dev/zero or a data export named by mistake is a clear error.
func TestPlansValidateBounded(t *testing.T) {
	huge := filepath.Join(t.TempDir(), "export.csv")
	if err := os.WriteFile(huge, bytes.Repeat([]byte("case_id,case_type\n"), 1<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ file, want string }{
		{"/dev/zero", "open /dev/zero: not a regular file (a device)"},
		{huge, huge + ": file is larger than the limit of 262144 bytes (256 KiB) for a plan file"},
	} {
		out, code, err := cli(t, "plans", "validate", tt.file)
		if out != "" || code != exitUsage || err == nil || err.Error() != tt.want {
			t.Errorf("%s: exit %d, printed %q, err = %v; want exit %d and %s", tt.file, code, out, err, exitUsage, tt.want)
		}
	}
}

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// generatedAppointments is what generate prints for an appointments file.
var generatedAppointments = regexp.MustCompile(`^(.+): (\d+) rows \((\d+) days with snapshots, \d+ site-days without, (\d+) weekdays without any\)\n$`)

// TestGenerateAppointments: --dataset appointments writes a small snapshot file of the year up
// to --today, the same for the same seed, with the sites --sites asks for and no --cases.
func TestGenerateAppointments(t *testing.T) {
	dir := t.TempDir()
	gen := func(name, seed string) ([]byte, string) {
		out := filepath.Join(dir, name)
		printed := mustCLI(t, "generate", "--dataset", "appointments", "--year", "2024", "--sites", "2",
			"--seed", seed, "--today", "2024-01-21", "--out", out)
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return data, printed
	}
	a, printed := gen("a.csv", "5")
	b, _ := gen("b.csv", "5")
	if !bytes.Equal(a, b) {
		t.Error("the same seed gave different files")
	}
	lines := strings.Split(strings.TrimSuffix(string(a), "\n"), "\n")
	if lines[0] != "snapshot_at,site,next_free_at" {
		t.Fatalf("header %q", lines[0])
	}
	m := generatedAppointments.FindStringSubmatch(printed)
	if m == nil || m[2] != strconv.Itoa(len(lines)-1) {
		t.Errorf("generate printed %q for a file of %d rows", printed, len(lines)-1)
	}
	sites := map[string]bool{}
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		sites[f[1]] = true
		if f[0][:10] > "2024-01-21" || !strings.HasSuffix(f[0], "+01:00") {
			t.Errorf("row %q: after --today or not in winter time", l)
		}
	}
	if len(sites) != 2 || !sites["koebenhavn"] || !sites["aarhus"] {
		t.Errorf("sites %v, want koebenhavn and aarhus", sites)
	}
}

// TestGenerateAppointmentsUsage: flags of the cases generator, a missing --year or a site count
// out of range are bad usage with appointments.
func TestGenerateAppointmentsUsage(t *testing.T) {
	out := filepath.Join(t.TempDir(), "a.csv")
	for _, args := range [][]string{
		{"--year", "2024", "--cases", "10", "--out", out}, {"--years", "2023-2024", "--out", out},
		{"--out", out}, {"--year", "2024"}, {"--year", "2024", "--sites", "99", "--out", out},
		{"--year", "2024", "--today", "2023-06-01", "--out", out},
	} {
		full := append([]string{"generate", "--dataset", "appointments"}, args...)
		if _, code, err := cli(t, full...); code != exitUsage {
			t.Errorf("generate %v: exit %d (%v), want 2", full[1:], code, err)
		}
	}
	if _, code, err := cli(t, "generate", "--dataset", "visits", "--year", "2024", "--out", out); code != exitUsage {
		t.Errorf("--dataset visits: exit %d (%v), want 2", code, err)
	}
	if _, code, err := cli(t, "generate", "--cases", "10", "--year", "2024", "--sites", "2", "--out", out); code != exitUsage {
		t.Errorf("--sites with cases: exit %d (%v), want 2", code, err)
	}
}

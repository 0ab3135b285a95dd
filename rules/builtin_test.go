package rules

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

var yes, no = new(true), new(false)

// spec2020 is SPEC §4's table for plan 2020, requirement 1.5 "Servicemål".
var spec2020 = []Target{
	{ID: "erhverv.beloebsordning", Label: "Beløbsordningen 1. gang", CaseTypes: []string{"beloebsordning"}, FirstTime: yes, TargetDays: 31, MinPct: 90, Points: 8},
	{ID: "erhverv.fasttrack", Label: "Fasttrack, 1. gang", CaseTypes: []string{"fasttrack"}, FirstTime: yes, TargetDays: 31, MinPct: 90, Points: 7},
	{ID: "erhverv.landbrug", Label: "Landbrug ikke-komplicerede sager 1. gang", CaseTypes: []string{"landbrug"}, FirstTime: yes, Complex: no, TargetDays: 31, MinPct: 90, Points: 5},
	{ID: "erhverv.loenarbejde", Label: "Lønarbejde, ikke-komplicerede sager, 1. gang", CaseTypes: []string{"loenarbejde"}, FirstTime: yes, Complex: no, TargetDays: 31, MinPct: 90, Points: 5},
	{ID: "erhverv.positivliste", Label: "Positivlisten 1. gang", CaseTypes: []string{"positivliste"}, FirstTime: yes, TargetDays: 31, MinPct: 90, Points: 5},
	{ID: "erhverv.medfoelgende_familie", Label: "Medfølgende familie, erhverv 1. gang", CaseTypes: []string{"medfoelgende_familie_erhverv"}, FirstTime: yes, TargetDays: 62, MinPct: 90, Points: 5},
	{ID: "studie.praktikant", Label: "Praktikant 1. gang", CaseTypes: []string{"praktikant"}, FirstTime: yes, TargetDays: 62, MinPct: 90, Points: 5},
	{ID: "studie.studie", Label: "Studie 1. gang", CaseTypes: []string{"studie"}, FirstTime: yes, TargetDays: 62, MinPct: 90, Points: 5},
	{ID: "studie.phd", Label: "Ph. D. 1. gang", CaseTypes: []string{"phd"}, FirstTime: yes, TargetDays: 92, MinPct: 90, Points: 5},
	{ID: "eu.1", Label: "EU: 75% afgjort inden 0-1 dag", Area: "eu", TargetDays: 1, MinPct: 75, Points: 10},
	{ID: "eu.31", Label: "EU: 85% afgjort inden 31 dage", Area: "eu", TargetDays: 31, MinPct: 85, Points: 5},
	{ID: "eu.92", Label: "EU: 98% afgjort inden 92 dage", Area: "eu", TargetDays: 92, MinPct: 98, Points: 5},
}

// spec2024 is SPEC §4's table for plan 2024, requirement 1.1 "Effektiv sagsbehandling".
var spec2024 = []Target{
	{ID: "erhverv.fasttrack", Label: "Fast-track, 1. gang", CaseTypes: []string{"fasttrack"}, FirstTime: yes, TargetDays: 31, MinPct: 85, Points: 20},
	{ID: "erhverv.alle", Label: "Hele erhvervsområdet, 1. gang", Area: "erhverv", FirstTime: yes, TargetDays: 31, MinPct: 75, Points: 20},
	{ID: "eu.1", Label: "EU-området", Area: "eu", TargetDays: 1, MinPct: 70, Points: 20},
}

func TestBuiltinPlanIDs(t *testing.T) {
	if got := BuiltinPlanIDs(); !slices.Equal(got, []string{"2020", "2024"}) {
		t.Fatalf("BuiltinPlanIDs() = %q", got)
	}
}

func TestBuiltinPlans(t *testing.T) {
	tests := []struct {
		id       string
		year     int
		req      Requirement
		pointSum float64
	}{
		{"2020", 2020, Requirement{ID: "1.5", Title: "Servicemål", Weight: 70, Targets: spec2020}, 70},
		{"2024", 2024, Requirement{ID: "1.1", Title: "Effektiv sagsbehandling", Weight: 60, Targets: spec2024}, 60},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			p, err := LoadPlan(tt.id, "", nil)
			if err != nil {
				t.Fatal(err)
			}
			if p.ID != tt.id || p.Version != 1 || p.Year != tt.year || p.Source != "builtin:"+tt.id || len(p.SHA256) != 64 {
				t.Errorf("plan %q v%d year %d source %q sha %q", p.ID, p.Version, p.Year, p.Source, p.SHA256)
			}
			if len(p.Requirements) != 1 {
				t.Fatalf("%d requirements, want 1", len(p.Requirements))
			}
			checkRequirement(t, p.Requirements[0], tt.req)
			sum := 0.0
			for _, ref := range p.Targets() {
				sum += ref.Target.Points
			}
			if sum != tt.pointSum {
				t.Errorf("points sum to %v, want %v", sum, tt.pointSum)
			}
		})
	}
}

func checkRequirement(t *testing.T, got, want Requirement) {
	t.Helper()
	if got.ID != want.ID || got.Title != want.Title || got.Weight != want.Weight {
		t.Errorf("requirement %q %q %v, want %q %q %v", got.ID, got.Title, got.Weight, want.ID, want.Title, want.Weight)
	}
	if len(got.Targets) != len(want.Targets) {
		t.Fatalf("%d targets, want %d", len(got.Targets), len(want.Targets))
	}
	for i, w := range want.Targets {
		if !reflect.DeepEqual(got.Targets[i], w) {
			t.Errorf("target %d:\n got %s\nwant %s", i, show(got.Targets[i]), show(w))
		}
	}
}

// show prints a target with its *bool selection fields dereferenced.
func show(t Target) string {
	b := func(p *bool) string {
		if p == nil {
			return "any"
		}
		return map[bool]string{true: "true", false: "false"}[*p]
	}
	return strings.Join([]string{t.ID, t.Label, t.Area, strings.Join(t.CaseTypes, "|"), b(t.FirstTime), b(t.Complex),
		num(float64(t.TargetDays)), num(t.MinPct), num(t.Points)}, " / ")
}

// TestPlanFileLoadsLikeBuiltin proves a plan on disk (here the built-in's
// own bytes) loads to the same plan, so users' files get the same treatment.
func TestPlanFileLoadsLikeBuiltin(t *testing.T) {
	builtin, err := LoadPlan("2024", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	data, err := builtinPlans.ReadFile("plans/2024.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "next.yaml")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	fromDisk, err := LoadPlan("next.yaml", dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if fromDisk.Source != path {
		t.Errorf("Source = %q, want %q", fromDisk.Source, path)
	}
	fromDisk.Source = builtin.Source
	if !reflect.DeepEqual(fromDisk, builtin) {
		t.Errorf("from disk:\n%+v\nbuilt in:\n%+v", fromDisk, builtin)
	}
	abs, err := LoadPlan(path, "/elsewhere", nil)
	if err != nil || abs.SHA256 != builtin.SHA256 {
		t.Errorf("absolute path: err %v, sha %q, want %q", err, abs.SHA256, builtin.SHA256)
	}
}

// TestPlan2024StatesItsAssumption: the contract does not split requirement
// 1.1's 60 points; the file must say the equal split is its own assumption.
func TestPlan2024StatesItsAssumption(t *testing.T) {
	data, err := builtinPlans.ReadFile("plans/2024.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"does not split them", "equal 20/20/20 split", "this file's assumption"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("plans/2024.yaml does not say %q", want)
		}
	}
}

package rules

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
)

// sel is a target's selection as SPEC §4 states it.
type sel struct {
	area       string
	caseTypes  []string
	firstTime  *bool
	complex    *bool
	days       int
	minPct     float64
	points     float64
	id, labelT string
}

var yes, no = new(true), new(false)

// spec2020 is SPEC §4's table for plan 2020, requirement 1.5 "Servicemål".
var spec2020 = []sel{
	{"", []string{"beloebsordning"}, yes, nil, 31, 90, 8, "erhverv.beloebsordning", "Beløbsordningen 1. gang"},
	{"", []string{"fasttrack"}, yes, nil, 31, 90, 7, "erhverv.fasttrack", "Fasttrack, 1. gang"},
	{"", []string{"landbrug"}, yes, no, 31, 90, 5, "erhverv.landbrug", "Landbrug ikke-komplicerede sager 1. gang"},
	{"", []string{"loenarbejde"}, yes, no, 31, 90, 5, "erhverv.loenarbejde", "Lønarbejde, ikke-komplicerede sager, 1. gang"},
	{"", []string{"positivliste"}, yes, nil, 31, 90, 5, "erhverv.positivliste", "Positivlisten 1. gang"},
	{"", []string{"medfoelgende_familie_erhverv"}, yes, nil, 62, 90, 5, "erhverv.medfoelgende_familie", "Medfølgende familie, erhverv 1. gang"},
	{"", []string{"praktikant"}, yes, nil, 62, 90, 5, "studie.praktikant", "Praktikant 1. gang"},
	{"", []string{"studie"}, yes, nil, 62, 90, 5, "studie.studie", "Studie 1. gang"},
	{"", []string{"phd"}, yes, nil, 92, 90, 5, "studie.phd", "Ph. D. 1. gang"},
	{"eu", nil, nil, nil, 1, 75, 10, "eu.1", "EU: 75% afgjort inden 0-1 dag"},
	{"eu", nil, nil, nil, 31, 85, 5, "eu.31", "EU: 85% afgjort inden 31 dage"},
	{"eu", nil, nil, nil, 92, 98, 5, "eu.92", "EU: 98% afgjort inden 92 dage"},
}

// spec2024 is SPEC §4's table for plan 2024, requirement 1.1 "Effektiv sagsbehandling".
var spec2024 = []sel{
	{"", []string{"fasttrack"}, yes, nil, 31, 85, 20, "erhverv.fasttrack", "Fast-track, 1. gang"},
	{"erhverv", nil, yes, nil, 31, 75, 20, "erhverv.alle", "Hele erhvervsområdet, 1. gang"},
	{"eu", nil, nil, nil, 1, 70, 20, "eu.1", "EU-området"},
}

func TestBuiltinPlanIDs(t *testing.T) {
	if got := BuiltinPlanIDs(); !slices.Equal(got, []string{"2020", "2024"}) {
		t.Fatalf("BuiltinPlanIDs() = %q", got)
	}
}

func TestBuiltinPlans(t *testing.T) {
	tests := []struct {
		id, reqID, reqTitle string
		weight              float64
		targets             []sel
	}{
		{"2020", "1.5", "Servicemål", 70, spec2020},
		{"2024", "1.1", "Effektiv sagsbehandling", 60, spec2024},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			p, err := LoadPlan(tt.id, "", nil)
			if err != nil {
				t.Fatal(err)
			}
			if p.ID != tt.id || p.Version != 1 || p.Year != atoi(t, tt.id) || p.Source != "builtin:"+tt.id || len(p.SHA256) != 64 {
				t.Errorf("plan header = %q v%d year %d source %q sha %q", p.ID, p.Version, p.Year, p.Source, p.SHA256)
			}
			if len(p.Requirements) != 1 {
				t.Fatalf("%d requirements, want 1", len(p.Requirements))
			}
			r := p.Requirements[0]
			if r.ID != tt.reqID || r.Title != tt.reqTitle || r.Weight != tt.weight {
				t.Errorf("requirement = %q %q %v", r.ID, r.Title, r.Weight)
			}
			checkTargets(t, r.Targets, tt.targets, tt.weight)
		})
	}
}

func checkTargets(t *testing.T, got []Target, want []sel, weight float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d targets, want %d", len(got), len(want))
	}
	sum := 0.0
	for i, w := range want {
		g := got[i]
		sum += g.Points
		wantT := Target{ID: w.id, Label: w.labelT, Area: w.area, CaseTypes: w.caseTypes,
			FirstTime: w.firstTime, Complex: w.complex, TargetDays: w.days, MinPct: w.minPct, Points: w.points}
		if !reflect.DeepEqual(g, wantT) {
			t.Errorf("target %d:\n got %+v\nwant %+v", i, g, wantT)
		}
	}
	if sum != weight {
		t.Errorf("points sum to %v, want %v", sum, weight)
	}
}

func atoi(t *testing.T, s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
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
	if err := os.WriteFile(filepath.Join(dir, "next.yaml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	fromDisk, err := LoadPlan("next.yaml", dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if fromDisk.Source != filepath.Join(dir, "next.yaml") {
		t.Errorf("Source = %q", fromDisk.Source)
	}
	fromDisk.Source = builtin.Source
	if !reflect.DeepEqual(fromDisk, builtin) {
		t.Errorf("from disk:\n%+v\nbuilt in:\n%+v", fromDisk, builtin)
	}
	abs, err := LoadPlan(filepath.Join(dir, "next.yaml"), "/elsewhere", nil)
	if err != nil || abs.SHA256 != builtin.SHA256 {
		t.Errorf("absolute path: err %v, sha %q", err, abs.SHA256)
	}
}

// TestBuiltinPlanComments checks the 2024 file states its points split is an assumption.
func TestBuiltinPlanComments(t *testing.T) {
	data, _ := builtinPlans.ReadFile("plans/2024.yaml")
	for _, want := range []string{"does not split them", "20/20/20", "assumption"} {
		if !slices.ContainsFunc([]string{string(data)}, func(s string) bool { return contains(s, want) }) {
			t.Errorf("plans/2024.yaml lacks %q", want)
		}
	}
}

package rules

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
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

// seedContract is every requirement of the two seeds as SPEC §9 and the seeds
// list them: id, kind, weight, title, and a milestone's due dates.
var seedContract = map[string][]string{
	"2020": {
		"1.1 milestones 5 Virksomhedsrettet integrationsindsats due 2020-06-30 2020-12-31",
		"1.2 milestones 5 Nationalt Center for Forebyggelse af Ekstremisme due 2020-06-30 2020-12-31",
		"1.3 manual 5 Kvalitet i SIRIs sagsbehandling og afgørelser",
		"1.5 case_share 70 Servicemål",
		"2.1 assessment 5 Effektiv understøttelse af ministerbetjening og politikudvikling",
		"2.2 milestones 5 Informationssikkerhed due 2020-03-31 2020-06-30 2020-09-30 2020-12-31",
		"2.3 kpi 5 God arbejdsgiveradfærd",
	},
	"2024": {
		"1.1 case_share 60 Effektiv sagsbehandling",
		"1.2 appointment_wait 10 Borgerservice",
		"1.3 manual 5 Kvalitet i sagsbehandlingen",
		"1.4 milestones 10 Forebyggelse af negativ social kontrol due 2024-03-31 2024-09-30",
		"2.1 milestones 2.5 Informationssikkerhed due 2024-12-31 2024-12-31",
		"2.2 milestones 2.5 Leverandørstyring/databehandlerforhold due 2024-06-30 2024-12-31",
		"2.3 milestones 5 Intern finansiel kontrol due 2024-09-30",
		"2.4 milestones 5 Bæredygtighed due 2024-03-31 2024-06-30 2024-09-30",
	},
}

// contractLine sums a requirement up as seedContract lists it.
func contractLine(r Requirement) string {
	line := fmt.Sprintf("%s %s %s %s", r.ID, r.Kind, num(r.Weight), r.Title)
	if r.Milestones != nil {
		line += " due"
		for _, m := range r.Milestones.Items {
			line += " " + m.Due.Format(time.DateOnly)
		}
	}
	return line
}

// TestBuiltinPlans: both seed plans hold the whole contract, 100 points, and
// their service targets are SPEC §4's tables unchanged.
func TestBuiltinPlans(t *testing.T) {
	tests := []struct {
		id       string
		year     int
		req      Requirement
		pointSum float64
	}{
		{"2020", 2020, Requirement{ID: "1.5", Kind: KindCaseShare, Title: "Servicemål", Weight: 70, Targets: spec2020}, 70},
		{"2024", 2024, Requirement{ID: "1.1", Kind: KindCaseShare, Title: "Effektiv sagsbehandling", Weight: 60, Targets: spec2024}, 60},
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
			var lines []string
			weights := 0.0
			for _, r := range p.Requirements {
				lines = append(lines, contractLine(r))
				weights += r.Weight
				if r.ID == tt.req.ID {
					checkRequirement(t, r, tt.req)
				}
			}
			if want := seedContract[tt.id]; !slices.Equal(lines, want) {
				t.Errorf("requirements:\n got %s\nwant %s", strings.Join(lines, "\n     "), strings.Join(want, "\n     "))
			}
			if p.Total != 100 || weights != 100 {
				t.Errorf("total %v, weights sum to %v; want 100", p.Total, weights)
			}
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

// TestBuiltinOpenFigures: what the seeds measure besides case shares, and the
// figures they leave open: 2020 2.1 has no ladder yet, 1.3 and 2024 1.3 are
// agreed outside the plan.
func TestBuiltinOpenFigures(t *testing.T) {
	p2020, p2024 := mustLoad(t, "2020"), mustLoad(t, "2024")
	wait := AppointmentWait{MaxWaitDays: 10, MinPct: 80, Points: 10, Sites: SitesEarliest, Calendar: "dk"}
	if got := requirement(t, p2024, "1.2").Wait; got == nil || *got != wait {
		t.Errorf("2024 1.2: %+v, want %+v", got, wait)
	}
	a := requirement(t, p2020, "2.1").Assessment
	if a == nil || a.ScaleMin != 1 || a.ScaleMax != 3 || len(a.Items) != 4 || a.Elements != 9 || a.MaxScore != 108 ||
		a.Points != 5 || a.Ladder != nil {
		t.Errorf("2020 2.1: %+v, want scores 1-3 by 4 departments on 9 elements, max 108, no ladder", a)
	}
	k := requirement(t, p2020, "2.3").KPI
	if k == nil || k.Operator != OperatorLT || k.Threshold != 7 || k.Points != 5 ||
		!slices.Equal(k.Periods, []string{"2020-Q1", "2020-Q2", "2020-Q3", "2020-Q4", "2020"}) {
		t.Errorf("2020 2.3: %+v, want lt 7 over the quarters and the year", k)
	}
	for _, r := range []*Requirement{requirement(t, p2020, "1.3"), requirement(t, p2024, "1.3")} {
		if r.Manual == nil || r.Manual.AgreedIn == "" || r.Weight != 5 {
			t.Errorf("%s: %+v, want manual, 5 points agreed elsewhere", r.Title, r.Manual)
		}
	}
	if !strings.Contains(requirement(t, p2020, "1.3").Manual.AgreedIn, "allonge") {
		t.Error("2020 1.3 does not say its points are agreed in an allonge")
	}
}

// TestBuiltinQuoteOpenFigures: where a seed leaves a figure open, the plan file
// quotes it.
func TestBuiltinQuoteOpenFigures(t *testing.T) {
	data, err := builtinPlans.ReadFile("plans/2020.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"[DEP INDSÆTTER POINTGIVNING]", "i en allonge til", "[udfyldes af departementet]"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("plans/2020.yaml does not quote %q", want)
		}
	}
}

func mustLoad(t *testing.T, ref string) *Plan {
	t.Helper()
	p, err := LoadPlan(ref, "testdata", nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// requirement returns the plan's requirement id, failing the test without one.
func requirement(t *testing.T, p *Plan, id string) *Requirement {
	t.Helper()
	for i := range p.Requirements {
		if p.Requirements[i].ID == id {
			return &p.Requirements[i]
		}
	}
	t.Fatalf("plan %s has no requirement %s", p.ID, id)
	return nil
}

func checkRequirement(t *testing.T, got, want Requirement) {
	t.Helper()
	if got.ID != want.ID || got.Kind != want.Kind || got.Title != want.Title || got.Weight != want.Weight {
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

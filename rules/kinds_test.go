package rules

import (
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// TestKindsDecode: each kind decodes from a plan file with every field it has.
func TestKindsDecode(t *testing.T) {
	p := mustLoad(t, "plans/kinds.good.yaml")
	if p.Total != 100 || len(p.Requirements) != 6 {
		t.Fatalf("total %v, %d requirements; want 100, 6", p.Total, len(p.Requirements))
	}
	want := []Requirement{
		{ID: "1.1", Kind: KindCaseShare, Title: "Effektiv sagsbehandling", Weight: 40, Targets: []Target{
			{ID: "eu.1", Label: "EU-området", Area: "eu", TargetDays: 1, MinPct: 70, Points: 40}}},
		{ID: "1.2", Kind: KindAppointmentWait, Title: "Borgerservice", Weight: 10, Wait: &AppointmentWait{
			MaxWaitDays: 10, MinPct: 80.5, Points: 10, Sites: SitesEach, Calendar: "dk"}},
		{ID: "1.3", Kind: KindMilestones, Title: "Forebyggelse", Weight: 20, Milestones: &Milestones{
			Items: []Milestone{
				{ID: "plan", Label: "Kommunikationsplan godkendt", Due: day("2025-03-31")},
				{ID: "pakke", Label: "Rådgivningspakke lanceret", Due: day("2025-09-30")},
			},
			Points: 20, Ladder: []Step{{MinPct: 50, Share: 0.5}}}},
		{ID: "2.1", Kind: KindKPI, Title: "God arbejdsgiveradfærd", Weight: 12.5, KPI: &KPI{
			Periods: []string{"2025-Q2", "2025-06", "2025"}, Operator: OperatorLE, Threshold: 6.5,
			Unit: "sygefraværsdage pr. årsværk", Points: 12.5}},
		{ID: "2.2", Kind: KindAssessment, Title: "Ministerbetjening", Weight: 12.5, Assessment: &Assessment{
			ScaleMin: 1, ScaleMax: 3, Items: []Item{{"a", "Afdeling A"}, {"b", "Afdeling B"}}, Elements: 9,
			MaxScore: 54, Points: 12.5, Ladder: []ScoreStep{{45, 1}, {36, 0.5}}}},
		{ID: "2.3", Kind: KindManual, Title: "Kvalitet", Weight: 5, Manual: &Manual{AgreedIn: "allonge til kontrakten"}},
	}
	for i, w := range want {
		if got := p.Requirements[i]; !reflect.DeepEqual(got, w) {
			t.Errorf("requirement %s:\n got %s\nwant %s", w.ID, showReq(got), showReq(w))
		}
	}
	if refs := p.Targets(); len(refs) != 1 || refs[0].Requirement != &p.Requirements[0] {
		t.Errorf("Targets() = %+v, want the case_share requirement's one target", refs)
	}
}

// showReq prints a requirement with its kind's pointer dereferenced.
func showReq(r Requirement) string {
	v := reflect.ValueOf(r)
	var parts []string
	for i := range v.NumField() {
		f := v.Field(i)
		if f.Kind() == reflect.Pointer {
			if f.IsNil() {
				continue
			}
			f = f.Elem()
		}
		parts = append(parts, fmt.Sprintf("%s:%+v", v.Type().Field(i).Name, f.Interface()))
	}
	return strings.Join(parts, " ")
}

// TestKindDefaults: optional fields left out take their defaults, and a plan
// without a total totals its weights.
func TestKindDefaults(t *testing.T) {
	p := mustLoad(t, "plans/minimal_kinds.good.yaml")
	if p.Total != 30 {
		t.Errorf("total %v, want the weights' sum 30", p.Total)
	}
	if w := p.Requirements[0].Wait; w.Sites != SitesEarliest || w.Calendar != DefaultCalendar || w.MaxWaitDays != 0 {
		t.Errorf("appointment_wait: %+v, want sites earliest, calendar %s", w, DefaultCalendar)
	}
	if m := p.Requirements[1].Milestones; m.Ladder != nil || len(m.Items) != 1 || m.Items[0].Due != day("2025-12-31") {
		t.Errorf("milestones: %+v, want one item and no ladder", m)
	}
	if a := p.Requirements[3].Assessment; a.Elements != 1 || a.Items != nil || a.Ladder != nil || a.ScaleMin != 0 {
		t.Errorf("assessment: %+v, want one element, no items, no ladder", a)
	}
	for _, r := range p.Requirements {
		if r.Targets != nil {
			t.Errorf("requirement %s of kind %s has targets", r.ID, r.Kind)
		}
	}
}

// TestCaseShareIsTheDefault: a plan written before kinds existed loads to the
// same Plan as ever (plus Kind and Total), and to the very same Plan with
// `kind: case_share` written out.
func TestCaseShareIsTheDefault(t *testing.T) {
	mini := mustLoad(t, "minimal.good.yaml")
	want := &Plan{Version: 1, ID: "mini", Year: 2025, Total: 10, Requirements: []Requirement{{
		ID: "1", Kind: KindCaseShare, Title: "Servicemål", Weight: 10,
		Targets: []Target{{ID: "eu.1", Label: "EU-området", Area: "eu", TargetDays: 0, MinPct: 97.5, Points: 10}},
	}}, Source: mini.Source, SHA256: mini.SHA256}
	if !reflect.DeepEqual(mini, want) {
		t.Errorf("minimal.good.yaml:\n got %+v\nwant %+v", mini, want)
	}
	reqStart := regexp.MustCompile(`(?m)^(  - id: .*\n)`)
	for _, name := range []string{"minimal.good.yaml", "ladder.good.yaml"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		before, err := ParsePlan(name, data, nil)
		if err != nil {
			t.Fatal(err)
		}
		explicit := reqStart.ReplaceAll(data, []byte("${1}    kind: case_share\n"))
		after, err := ParsePlan(name, explicit, nil)
		if err != nil {
			t.Fatalf("%s with kind: case_share: %v", name, err)
		}
		after.SHA256 = before.SHA256
		if !reflect.DeepEqual(before, after) {
			t.Errorf("%s: without kind\n%+v\nwith kind: case_share\n%+v", name, before, after)
		}
	}
}

// TestKPIMet: a value exactly at the threshold meets le and ge, not lt or gt.
func TestKPIMet(t *testing.T) {
	for _, tt := range []struct {
		op    Operator
		value float64
		want  bool
	}{
		{OperatorLT, 6.99, true}, {OperatorLT, 7, false},
		{OperatorLE, 7, true}, {OperatorLE, 7.01, false},
		{OperatorGT, 7, false}, {OperatorGT, 7.01, true},
		{OperatorGE, 7, true}, {OperatorGE, 6.99, false},
		{"lte", 1, false},
	} {
		k := KPI{Operator: tt.op, Threshold: 7}
		if got := k.Met(tt.value); got != tt.want {
			t.Errorf("%s 7 with %v: met = %v, want %v", tt.op, tt.value, got, tt.want)
		}
	}
	if s := OperatorLE.Symbol(); s != "≤" {
		t.Errorf("le symbol %q", s)
	}
}

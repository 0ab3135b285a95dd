package rules

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// wantLines returns the "# want: " comment lines of a testdata file.
func wantLines(data []byte) []string {
	var want []string
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "# want: "); ok {
			want = append(want, rest)
		}
	}
	return want
}

// TestPlanFiles loads every testdata plan: good files must load, bad files
// must fail with exactly the problems their "# want:" lines name, in order.
func TestPlanFiles(t *testing.T) {
	files, err := filepath.Glob("testdata/*.yaml")
	kinds, kindsErr := filepath.Glob("testdata/plans/*.yaml")
	if err != nil || kindsErr != nil || len(files) == 0 || len(kinds) == 0 {
		t.Fatalf("no testdata: %v %v", err, kindsErr)
	}
	for _, file := range append(files, kinds...) {
		name := strings.TrimPrefix(file, "testdata/")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			want := wantLines(data)
			_, err = LoadPlan(name, "testdata", nil)
			switch {
			case strings.HasSuffix(name, ".good.yaml"):
				if err != nil || len(want) > 0 {
					t.Fatalf("good file: err = %v, want lines = %q", err, want)
				}
			case strings.HasSuffix(name, ".bad.yaml"):
				checkProblems(t, err, want)
			default:
				t.Fatalf("testdata file %s is neither .good.yaml nor .bad.yaml", name)
			}
		})
	}
}

func checkProblems(t *testing.T, err error, want []string) {
	t.Helper()
	if len(want) == 0 {
		t.Fatal("bad file without # want: lines")
	}
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("err = %v, want one wrapping ErrInvalid", err)
	}
	var verr *ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("err is %T, want *ValidationError", err)
	}
	got := strings.Split(err.Error(), "\n")
	if len(got) != len(verr.Problems) {
		t.Errorf("Error() has %d lines for %d problems", len(got), len(verr.Problems))
	}
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n got: %s\nwant: %s", strings.Join(got, "\n      "), strings.Join(want, "\n      "))
	}
}

func TestMinPctHundredths(t *testing.T) {
	for _, tt := range []struct {
		pct  float64
		want int64
	}{{90, 9000}, {97.5, 9750}, {99.99, 9999}, {0.01, 1}, {100, 10000}, {80.25, 8025}} {
		if got := (Target{MinPct: tt.pct}).MinPctHundredths(); got != tt.want {
			t.Errorf("Target{MinPct: %v}.MinPctHundredths() = %d, want %d", tt.pct, got, tt.want)
		}
		if got := (Step{MinPct: tt.pct}).MinPctHundredths(); got != tt.want {
			t.Errorf("Step{MinPct: %v}.MinPctHundredths() = %d, want %d", tt.pct, got, tt.want)
		}
	}
}

// TestGoodPlanDecoding checks what a good file turns into: the version
// default, every selection field, ladders and the flattened target list.
func TestGoodPlanDecoding(t *testing.T) {
	mini, err := LoadPlan("minimal.good.yaml", "testdata", nil)
	if err != nil {
		t.Fatal(err)
	}
	if mini.Version != 1 || mini.Title != "" || mini.Targets()[0].Target.MinPctHundredths() != 9750 {
		t.Errorf("minimal: %+v", mini)
	}
	p, err := LoadPlan("ladder.good.yaml", "testdata", nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != "2025-draft_1.0" || p.Year != 2025 || p.Requirements[0].Weight != 12.5 {
		t.Errorf("plan header: %q %d %v", p.ID, p.Year, p.Requirements[0].Weight)
	}
	refs := p.Targets()
	if len(refs) != 2 || refs[0].Requirement != &p.Requirements[0] || refs[1].Target != &p.Requirements[0].Targets[1] {
		t.Fatalf("Targets() = %+v", refs)
	}
	want := Target{ID: "erhverv.loenarbejde", Label: "Lønarbejde, ikke-komplicerede sager, 1. gang",
		Area: "erhverv", CaseTypes: []string{"loenarbejde", "landbrug"}, FirstTime: yes, Complex: no,
		TargetDays: 31, MinPct: 99.99, Points: 10, Ladder: []Step{{85, 0.5}, {80.25, 0.25}}}
	if !reflect.DeepEqual(*refs[0].Target, want) {
		t.Errorf("target 0:\n got %+v\nwant %+v", *refs[0].Target, want)
	}
	if au := refs[1].Target; au.FirstTime == nil || *au.FirstTime || au.Complex != nil || au.Ladder != nil {
		t.Errorf("target 1: %+v", *au)
	}
}

func TestLoadPlanUnreadable(t *testing.T) {
	_, err := LoadPlan("2025", t.TempDir(), nil)
	if !errors.Is(err, ErrInvalid) || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v, want ErrInvalid and fs.ErrNotExist", err)
	}
	if !strings.Contains(err.Error(), `"2025" is not a built-in plan (2020, 2024)`) {
		t.Errorf("err = %v", err)
	}
}

// TestParsePlanCatalogue: case types are checked against the catalogue given.
func TestParsePlanCatalogue(t *testing.T) {
	data, err := builtinPlans.ReadFile("plans/2024.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cat := &Catalogue{Types: []CaseType{{Slug: "other_thing", Label: "Andet", Area: "other"}}}
	_, err = ParsePlan("2024.yaml", data, cat)
	want := `2024.yaml:37:31: target "erhverv.fasttrack": field "select.case_types[0]": unknown case type "fasttrack"`
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
}

func TestProblemString(t *testing.T) {
	for _, tt := range []struct {
		p    Problem
		want string
	}{
		{Problem{File: "p.yaml", Line: 3, Col: 7, Target: "eu.1", Field: "min_pct", Message: "m"}, `p.yaml:3:7: target "eu.1": field "min_pct": m`},
		{Problem{File: "p.yaml", Line: 3, Col: 7, Requirement: "1.5", Field: "weight", Message: "m"}, `p.yaml:3:7: requirement "1.5": field "weight": m`},
		{Problem{File: "p.yaml", Line: 1, Col: 1, Field: "year", Message: "m"}, `p.yaml:1:1: field "year": m`},
		{Problem{File: "p.yaml", Message: "file is empty"}, `p.yaml: file is empty`},
	} {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("String() = %s, want %s", got, tt.want)
		}
	}
}

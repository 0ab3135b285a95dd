package rules_test

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"scorecard/rules"
)

// fuzzPlanName is the file name every fuzzed plan is parsed under; each error must name it.
const fuzzPlanName = "fuzz/plan.yaml"

// FuzzParsePlan feeds arbitrary bytes to ParsePlan as the CLI does (plans validate, a config's
// plan file) and holds it to the product's promise for any input: no panic, and either a
// plan that passed every check or an error wrapping ErrInvalid whose every problem names the
// file, all within memory proportional to the input. Its seeds (run by every `go test`) are
// the shipped and test plans plus hostile documents a careless operator or an attacker might
// hand over.
func FuzzParsePlan(f *testing.F) {
	for _, glob := range []string{"plans/*.yaml", "testdata/*.yaml", "../cmd/scorecard/testdata/plans/*.yaml"} {
		files, err := filepath.Glob(glob)
		if err != nil || len(files) == 0 {
			f.Fatalf("no seed plans match %s: %v", glob, err)
		}
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	for _, seed := range hostilePlans() {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		p, err := rules.ParsePlan(fuzzPlanName, data, rules.BuiltinCatalogue())
		runtime.ReadMemStats(&after)
		// go-yaml spends a few KiB per token; an exponential alias expansion spends gigabytes.
		if alloc, limit := after.TotalAlloc-before.TotalAlloc, allocLimit(len(data)); alloc > limit {
			t.Errorf("ParsePlan of %d bytes allocated %d MiB, over the %d MiB allowed",
				len(data), alloc>>20, limit>>20)
		}
		if err != nil {
			checkPlanError(t, p, err)
			return
		}
		checkPlan(t, p)
	})
}

// allocLimit bounds what parsing n bytes may allocate: generous for what a plan legitimately
// costs, far below what an expansion attack needs to hurt.
func allocLimit(n int) uint64 { return 64<<20 + 4096*uint64(n) }

func checkPlanError(t *testing.T, p *rules.Plan, err error) {
	t.Helper()
	if p != nil {
		t.Errorf("ParsePlan returned a plan with the error %v", err)
	}
	if !errors.Is(err, rules.ErrInvalid) {
		t.Fatalf("error does not wrap ErrInvalid: %v", err)
	}
	var verr *rules.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("error is %T, want *ValidationError: %v", err, err)
	}
	if len(verr.Problems) == 0 {
		t.Fatal("ValidationError without problems")
	}
	for _, pr := range verr.Problems {
		if pr.File != fuzzPlanName || pr.Message == "" || pr.Line < 0 || pr.Col < 0 {
			t.Errorf("problem %+v: want the file %q, a message and a position >= 0", pr, fuzzPlanName)
		}
		if !strings.HasPrefix(pr.String(), fuzzPlanName+":") {
			t.Errorf("problem %q does not start with the file name", pr.String())
		}
		// ParsePlan turns a panic in go-yaml into this problem rather than crash; the input
		// that causes one must still be found and refused before go-yaml sees it.
		if strings.Contains(pr.Message, "the YAML library failed") {
			t.Errorf("go-yaml panicked: %s", pr)
		}
	}
}

// checkPlan checks that a plan ParsePlan accepted holds what validation promises.
func checkPlan(t *testing.T, p *rules.Plan) {
	t.Helper()
	if p == nil {
		t.Fatal("ParsePlan returned neither a plan nor an error")
	}
	if p.Source != fuzzPlanName || len(p.SHA256) != 64 || p.ID == "" || len(p.Requirements) == 0 {
		t.Errorf("plan header: source %q, sha %q, id %q, %d requirements", p.Source, p.SHA256, p.ID, len(p.Requirements))
	}
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	for _, ref := range p.Targets() {
		tg := ref.Target
		if !finite(tg.Points) || tg.Points <= 0 || !(tg.MinPct > 0 && tg.MinPct <= 100) || tg.TargetDays < 0 {
			t.Errorf("target %q passed validation with points %v, min_pct %v, target_days %d",
				tg.ID, tg.Points, tg.MinPct, tg.TargetDays)
		}
		for _, st := range tg.Ladder {
			if !(st.MinPct > 0 && st.MinPct < tg.MinPct) || !(st.Share > 0 && st.Share < 1) {
				t.Errorf("target %q passed validation with ladder step %+v", tg.ID, st)
			}
		}
	}
}

// minimalPlan is a valid plan whose fields hostile seeds replace.
const minimalPlan = `id: mini
year: 2025
requirements:
  - id: "1"
    title: Servicemål
    weight: 10
    targets:
      - id: eu.1
        label: EU-området
        select: {area: eu}
        target_days: 1
        min_pct: 70
        points: 10
`

// hostilePlans are documents meant to break a parser rather than fail validation.
func hostilePlans() []string {
	swap := func(old, new string) string { return strings.Replace(minimalPlan, old, new, 1) }
	return []string{
		laughs("", "lol"),                  // billion laughs in unknown top-level keys
		laughs("id: x\nyear: 2025\n", "1"), // the same after valid fields
		"requirements:\n  - id: \"1\"\n    title: [" + laughsFlow() + "]\n",
		strings.Repeat("[", 5000) + strings.Repeat("]", 5000),
		strings.Repeat("{a: ", 2000) + "1" + strings.Repeat("}", 2000),
		strings.Repeat("- ", 2000) + "x\n",
		swap("mini", "mi\x00ni"),
		swap("EU-området", "EU-omr\xe5det"), // windows-1252 å: invalid UTF-8
		"\xff\xfe" + minimalPlan,
		swap("year: 2025", "year: 99999999999999999999999999999999"),
		swap("target_days: 1", "target_days: 1e300"),
		swap("points: 10", "points: .nan"),
		swap("weight: 10", "weight: .inf"),
		swap("min_pct: 70", "min_pct: 1e309"),
		swap("min_pct: 70", "min_pct: -0"),
		strings.ReplaceAll(minimalPlan, "  ", "\t"),
		"just a scalar\n",
		"---\n" + minimalPlan + "---\n" + minimalPlan,
		"---\n...\n---\n",
		"&a [*a]\n",
		"id: &a x\nyear: *b\n",
		"<<: {id: mini}\n" + minimalPlan[len("id: mini\n"):],
		"? [a, b]\n: c\n",
		"!!binary aGVsbG8=\n",
		"id: !!int x\n",
		"\"" + strings.Repeat(`\u00e5`, 1000) + "\"\n",
		"%YAML 1.2\n%TAG ! tag:x,2000:\n---\n" + minimalPlan,
		"x: &s {area: eu}\n" + strings.Repeat("y: *s\n", 3),
		strings.Repeat("# a comment\n", 10),
		"{" + strings.Repeat("k", 2000) + ": [" + strings.Repeat("1,", 1000) + "1]}",
		manyKeys(300),
		"requirements: !!seq\n", // go-yaml v1.19 dereferenced nil on a tagged non-list in a list field
		"id: &a !!str 5\nrequirements: *a\n",
		"requirements:\n  - targets:\n    - ladder: !x\n",
	}
}

// manyKeys is a block mapping of n distinct keys.
func manyKeys(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "k%d: %d\n", i, i)
	}
	return b.String()
}

// laughs is the "billion laughs" document: nine levels of anchors, each a list of nine
// aliases of the one before, after prefix; fully expanded it holds 9^9 copies of leaf.
func laughs(prefix, leaf string) string {
	var b strings.Builder
	b.WriteString(prefix)
	fmt.Fprintf(&b, "a: &a [%s]\n", strings.TrimSuffix(strings.Repeat(leaf+",", 9), ","))
	for c := 'b'; c <= 'i'; c++ {
		ref := "*" + string(c-1)
		fmt.Fprintf(&b, "%c: &%c [%s]\n", c, c, strings.TrimSuffix(strings.Repeat(ref+",", 9), ","))
	}
	return b.String()
}

// laughsFlow is the billion laughs as one flow sequence of anchored lists.
func laughsFlow() string {
	parts := []string{"&a [" + strings.TrimSuffix(strings.Repeat("lol,", 9), ",") + "]"}
	for c := 'b'; c <= 'i'; c++ {
		ref := "*" + string(c-1)
		parts = append(parts, fmt.Sprintf("&%c [%s]", c, strings.TrimSuffix(strings.Repeat(ref+",", 9), ",")))
	}
	return strings.Join(parts, ", ")
}

// TestParsePlanLimits checks that each limit on a plan file's size and shape, which keep
// go-yaml's parser and the checks from exhausting memory, and the refusal of tags, on which
// go-yaml crashes, fail with a positioned problem.
func TestParsePlanLimits(t *testing.T) {
	for _, tt := range []struct {
		name, data, want string
	}{
		{"too large", minimalPlan + "# " + strings.Repeat("x", rules.MaxFileBytes) + "\n",
			fuzzPlanName + ": file is larger than the limit of 262144 bytes (256 KiB) for a plan file"},
		{"billion laughs", laughs("", "lol"),
			fuzzPlanName + `:5:8: field "e[0]": aliases expand the document by more than 10000 nodes`},
		{"nested flow", strings.Repeat("[", 5000) + strings.Repeat("]", 5000),
			fuzzPlanName + ":1:33: nested more than 32 levels deep"},
		{"nested block", strings.Repeat("- ", 100) + "x\n",
			fuzzPlanName + ":1:65: nested more than 32 levels deep"},
		{"long key over a long list", "{" + strings.Repeat("k", 50000) + ": [" + strings.Repeat("1,", 50000) + "1]}",
			fuzzPlanName + ":1:50671: too complex to parse safely: deep nesting or long keys above many values"},
		{"many keys", manyKeys(300), fuzzPlanName + ":257:1: a mapping has more than 256 keys"},
		{"tags", "id: &a !!str 5\nrequirements: !!seq\n",
			fuzzPlanName + `:1:8: field "id": YAML tags such as !!str are not supported; write the value plainly, or quote it` + "\n" +
				fuzzPlanName + `:2:15: field "requirements": YAML tags such as !!seq are not supported; write the value plainly, or quote it`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := rules.ParsePlan(fuzzPlanName, []byte(tt.data), nil)
			if !errors.Is(err, rules.ErrInvalid) || err.Error() != tt.want {
				t.Errorf("err = %v\nwant %s", err, tt.want)
			}
		})
	}
}

// TestLoadPlanTooLarge checks that LoadPlan stops reading a file at the limit: an operator
// who names /dev/zero or a data export as a plan gets an error, not an exhausted machine.
func TestLoadPlanTooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.yaml")
	if err := os.WriteFile(path, make([]byte, 4*rules.MaxFileBytes), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := rules.LoadPlan(path, "", nil)
	if want := path + ": file is larger than the limit"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("err = %v, want one starting %q", err, want)
	}
}

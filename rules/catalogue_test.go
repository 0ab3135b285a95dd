package rules

import (
	"errors"
	"strings"
	"testing"
)

func TestBuiltinCatalogueRequiredTypes(t *testing.T) {
	cat := BuiltinCatalogue()
	required := map[string]string{
		"beloebsordning": "erhverv", "fasttrack": "erhverv", "landbrug": "erhverv",
		"loenarbejde": "erhverv", "positivliste": "erhverv", "medfoelgende_familie_erhverv": "erhverv",
		"praktikant": "studie", "studie": "studie", "phd": "studie",
		"eu_ophold": "eu",
	}
	for slug, area := range required {
		ct, ok := cat.Lookup(slug)
		if !ok || ct.Slug != slug || ct.Area != area || ct.Label == "" {
			t.Errorf("Lookup(%q) = %+v, %v; want area %s", slug, ct, ok, area)
		}
	}
	if _, ok := cat.Lookup("nope"); ok {
		t.Error(`Lookup("nope") found a case type`)
	}
	perArea := map[string]int{}
	for _, ct := range cat.Types {
		perArea[ct.Area]++
	}
	for _, a := range Areas {
		if perArea[a] == 0 {
			t.Errorf("area %s has no case types", a)
		}
	}
}

func TestAreaLabel(t *testing.T) {
	cat := BuiltinCatalogue()
	want := map[string]string{"erhverv": "Erhvervsområdet", "studie": "Studieområdet", "eu": "EU-området", "other": "Øvrige", "mars": "mars"}
	for area, label := range want {
		if got := cat.AreaLabel(area); got != label {
			t.Errorf("AreaLabel(%q) = %q, want %q", area, got, label)
		}
	}
}

// TestCatalogueLiteral: a Catalogue built without parsing still looks up.
func TestCatalogueLiteral(t *testing.T) {
	cat := &Catalogue{Types: []CaseType{{Slug: "a", Label: "A", Area: "eu"}}}
	if ct, ok := cat.Lookup("a"); !ok || ct.Area != "eu" {
		t.Errorf("Lookup(a) = %+v, %v", ct, ok)
	}
	if _, ok := cat.Lookup("b"); ok {
		t.Error("Lookup(b) found a case type")
	}
}

func TestCatalogueProblems(t *testing.T) {
	for _, tt := range []struct {
		name, yaml string
		want       []string
	}{
		{"duplicates and unknown areas", `version: 1
areas:
  - {slug: erhverv, label: Erhverv}
  - {slug: studie, label: Studie}
  - {slug: eu, label: ""}
  - {slug: euu, label: EU}
case_types:
  - {slug: a, label: A, area: erhverv}
  - {slug: a, label: A igen, area: studie}
  - {slug: B, label: B, area: mars}
`, []string{
			`c.yaml:3:3: field "areas": area "other" is missing`,
			`c.yaml:5:23: field "areas[2].label": is required`,
			`c.yaml:6:12: field "areas[3].slug": area "euu" is not one of erhverv, studie, eu, other`,
			`c.yaml:9:12: field "case_types[1].slug": case type "a" is listed twice`,
			`c.yaml:10:12: field "case_types[2].slug": "B" must match [a-z0-9_]+`,
			`c.yaml:10:31: field "case_types[2].area": area "mars" is not one of erhverv, studie, eu, other`,
		}},
		{"unknown key", "version: 1\ncase_types:\n  - {slug: a, lable: A, area: eu}\n",
			[]string{`c.yaml:3:15: field "case_types[0].lable": unknown field; allowed: slug, label, area`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseCatalogue("c.yaml", []byte(tt.yaml))
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			if got := strings.Split(err.Error(), "\n"); strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("problems:\n got: %s\nwant: %s", strings.Join(got, "\n      "), strings.Join(tt.want, "\n      "))
			}
		})
	}
}

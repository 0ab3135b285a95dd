package rules

import (
	_ "embed"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// CaseType is one kind of application the agency decides, e.g.
// "beloebsordning" in area "erhverv".
type CaseType struct {
	Slug, Label, Area string
}

// Catalogue is the set of known case types. Types is in file order.
type Catalogue struct {
	Types      []CaseType
	index      map[string]int
	areaLabels map[string]string
}

//go:embed catalogue.yaml
var catalogueYAML []byte

var builtinCatalogue = sync.OnceValue(func() *Catalogue {
	c, err := parseCatalogue("builtin:catalogue.yaml", catalogueYAML)
	if err != nil {
		panic("rules: embedded catalogue.yaml is invalid:\n" + err.Error())
	}
	return c
})

// BuiltinCatalogue returns the embedded catalogue, parsed once. It is shared:
// do not modify it.
func BuiltinCatalogue() *Catalogue { return builtinCatalogue() }

// Lookup returns the case type with the given slug.
func (c *Catalogue) Lookup(slug string) (CaseType, bool) {
	if c.index == nil { // a Catalogue built as a literal, e.g. in a test
		i := slices.IndexFunc(c.Types, func(t CaseType) bool { return t.Slug == slug })
		return c.typeAt(i)
	}
	i, ok := c.index[slug]
	if !ok {
		return CaseType{}, false
	}
	return c.typeAt(i)
}

func (c *Catalogue) typeAt(i int) (CaseType, bool) {
	if i < 0 {
		return CaseType{}, false
	}
	return c.Types[i], true
}

// AreaLabel returns the Danish label of an area, e.g. "Erhvervsområdet" for
// "erhverv"; an area without a label is returned as it is.
func (c *Catalogue) AreaLabel(area string) string {
	if l, ok := c.areaLabels[area]; ok {
		return l
	}
	return area
}

// catalogueFile mirrors catalogue.yaml.
type catalogueFile struct {
	Version   *int           `yaml:"version"`
	Areas     []areaFile     `yaml:"areas"`
	CaseTypes []caseTypeFile `yaml:"case_types"`
}

type areaFile struct {
	Slug  string `yaml:"slug"`
	Label string `yaml:"label"`
}

type caseTypeFile struct {
	Slug  string `yaml:"slug"`
	Label string `yaml:"label"`
	Area  string `yaml:"area"`
}

// parseCatalogue decodes and validates a catalogue file.
func parseCatalogue(filename string, data []byte) (*Catalogue, error) {
	src, err := parseSource(filename, data)
	if err != nil {
		return nil, err
	}
	var raw catalogueFile
	if err := src.decode(&raw); err != nil {
		return nil, err
	}
	checkCatalogue(src, &raw)
	if err := src.err(); err != nil {
		return nil, err
	}
	c := &Catalogue{index: map[string]int{}, areaLabels: map[string]string{}}
	for _, a := range raw.Areas {
		c.areaLabels[a.Slug] = a.Label
	}
	for i, t := range raw.CaseTypes {
		c.Types = append(c.Types, CaseType(t))
		c.index[t.Slug] = i
	}
	return c, nil
}

var slugPattern = regexp.MustCompile(`^[a-z0-9_]+$`)

func checkCatalogue(s *source, f *catalogueFile) {
	if f.Version != nil && *f.Version != 1 {
		s.addf("$.version", "must be 1, got %d", *f.Version)
	}
	labelled := map[string]bool{}
	for i, a := range f.Areas {
		path := fmt.Sprintf("$.areas[%d]", i)
		switch {
		case !slices.Contains(Areas, a.Slug):
			s.addf(path+".slug", "area %q is not one of %s", a.Slug, strings.Join(Areas, ", "))
		case labelled[a.Slug]:
			s.addf(path+".slug", "area %q is listed twice", a.Slug)
		}
		if strings.TrimSpace(a.Label) == "" {
			s.addf(path+".label", "is required")
		}
		labelled[a.Slug] = true
	}
	for _, a := range Areas {
		if !labelled[a] {
			s.addf("$.areas", "area %q is missing", a)
		}
	}
	checkCaseTypes(s, f.CaseTypes)
}

func checkCaseTypes(s *source, types []caseTypeFile) {
	seen := map[string]bool{}
	for i, t := range types {
		path := fmt.Sprintf("$.case_types[%d]", i)
		switch {
		case !slugPattern.MatchString(t.Slug):
			s.addf(path+".slug", "%q must match [a-z0-9_]+", t.Slug)
		case seen[t.Slug]:
			s.addf(path+".slug", "case type %q is listed twice", t.Slug)
		}
		seen[t.Slug] = true
		if strings.TrimSpace(t.Label) == "" {
			s.addf(path+".label", "is required")
		}
		if !slices.Contains(Areas, t.Area) {
			s.addf(path+".area", "area %q is not one of %s", t.Area, strings.Join(Areas, ", "))
		}
	}
	if len(types) == 0 {
		s.addf("$.case_types", "at least one case type is required")
	}
}

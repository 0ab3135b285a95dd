// Package rules holds the case-type catalogue and the contract plans: the
// built-in ones embedded from YAML, and plan files users write, decoded
// strictly and validated as a whole.
package rules

import (
	"embed"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
)

// Areas are the allowed area slugs, in display order.
var Areas = []string{"erhverv", "studie", "eu", "other"}

//go:embed plans/*.yaml
var builtinPlans embed.FS

// BuiltinPlanIDs returns the ids of the plans shipped with scorecard, sorted.
func BuiltinPlanIDs() []string {
	entries, err := fs.ReadDir(builtinPlans, "plans")
	if err != nil {
		panic("rules: embedded plans: " + err.Error())
	}
	var ids []string
	for _, e := range entries {
		ids = append(ids, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	slices.Sort(ids)
	return ids
}

// LoadPlan loads a plan by reference: a built-in plan id such as "2024", or
// else the path of a plan file, relative to baseDir unless absolute. A nil
// cat means BuiltinCatalogue(). Every error wraps ErrInvalid.
func LoadPlan(ref, baseDir string, cat *Catalogue) (*Plan, error) {
	if slices.Contains(BuiltinPlanIDs(), ref) {
		data, err := builtinPlans.ReadFile("plans/" + ref + ".yaml")
		if err != nil {
			panic("rules: embedded plan: " + err.Error())
		}
		return ParsePlan("builtin:"+ref, data, cat)
	}
	path := ref
	if !filepath.IsAbs(path) {
		path = filepath.Join(baseDir, path)
	}
	data, err := ReadFile(path)
	if err != nil {
		return nil, errUnreadablePlan(ref, err)
	}
	return ParsePlan(path, data, cat)
}

package runstate

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestSessionVariablesDeclared: every session variable the SQL reads or sets, and every one Go
// sets, is declared in sessionVariables, and every declared one is read somewhere.
func TestSessionVariablesDeclared(t *testing.T) {
	read := map[string]bool{}
	set := map[string]bool{}
	readRe := regexp.MustCompile(`getvariable\('([a-z_]+)'\)`)
	setRe := regexp.MustCompile(`SET VARIABLE ([a-z_]+)|SetVariable\(ctx, "([a-z_]+)"`)
	// The pipeline folder: every stage's Go and SQL.
	err := fs.WalkDir(os.DirFS(".."), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if ext := filepath.Ext(path); ext != ".sql" && (ext != ".go" || strings.HasSuffix(path, "_test.go")) {
			return nil
		}
		data, err := os.ReadFile(filepath.Join("..", path))
		if err != nil {
			return err
		}
		for _, m := range readRe.FindAllStringSubmatch(string(data), -1) {
			read[m[1]] = true
		}
		for _, m := range setRe.FindAllStringSubmatch(string(data), -1) {
			set[m[1]+m[2]] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// run.go's setVariables sets these from a table of {name, value} pairs.
	for _, name := range []string{"run_date", "as_of", "at_risk_days", "run_id", "computed_at", "sources", "window_from", "window_to"} {
		set[name] = true
	}
	for name := range read {
		if _, ok := sessionVariables[name]; !ok {
			t.Errorf("variable %s is read but not declared in sessionVariables", name)
		}
	}
	for name := range set {
		if _, ok := sessionVariables[name]; !ok {
			t.Errorf("variable %s is set but not declared in sessionVariables", name)
		}
	}
	var unused []string
	for name := range sessionVariables {
		if !read[name] {
			unused = append(unused, name)
		}
	}
	slices.Sort(unused)
	if len(unused) > 0 {
		t.Errorf("declared but never read: %v", unused)
	}
}

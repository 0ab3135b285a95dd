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

// TestHandedTablesDeclared: every temp table that one stage package's SQL makes and another's
// reads is declared in handedTables with its maker, and every declared one is made by that
// package and read by another. The loaders' and the lake's SQL read the published lake's views
// on an engine of their own, not the run's temp tables, so they are not readers here.
func TestHandedTablesDeclared(t *testing.T) {
	createRe := regexp.MustCompile(`CREATE (?:OR REPLACE )?TEMP (?:TABLE|VIEW) (\w+)`)
	readRe := regexp.MustCompile(`\b(?:FROM|JOIN)\s+(\w+)`)
	comment := regexp.MustCompile(`--[^\n]*`)
	makers := map[string][]string{}         // table -> packages whose SQL makes it
	readers := map[string]map[string]bool{} // table -> packages whose SQL reads it
	for _, pkg := range []string{"ruleset", "stage", "curate", "compute", "load"} {
		err := fs.WalkDir(os.DirFS(filepath.Join("..", pkg)), "sql", func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || filepath.Ext(path) != ".sql" {
				return err
			}
			data, err := os.ReadFile(filepath.Join("..", pkg, path))
			if err != nil {
				return err
			}
			text := comment.ReplaceAllString(string(data), "")
			for _, m := range createRe.FindAllStringSubmatch(text, -1) {
				if !slices.Contains(makers[m[1]], pkg) {
					makers[m[1]] = append(makers[m[1]], pkg)
				}
			}
			for _, m := range readRe.FindAllStringSubmatch(text, -1) {
				if readers[m[1]] == nil {
					readers[m[1]] = map[string]bool{}
				}
				readers[m[1]][pkg] = true
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(makers) < 40 {
		t.Fatalf("found %d temp tables in the stages' SQL; the walk missed files", len(makers))
	}
	for table, pkgs := range makers {
		handed := false
		for reader := range readers[table] {
			handed = handed || !slices.Contains(pkgs, reader)
		}
		if _, declared := handedTables[table]; handed && !declared {
			t.Errorf("temp table %s, made by %v, is read by another package but not declared in handedTables", table, pkgs)
		}
	}
	for table, doc := range handedTables {
		maker, _, _ := strings.Cut(doc, ":")
		if !slices.Contains(makers[table], maker) {
			t.Errorf("handedTables: %s is not made by %s's SQL (made by %v)", table, maker, makers[table])
			continue
		}
		handed := false
		for reader := range readers[table] {
			handed = handed || reader != maker
		}
		if !handed {
			t.Errorf("handedTables: %s is read by no package but %s", table, maker)
		}
	}
}

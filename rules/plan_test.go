package rules

import (
	"errors"
	"os"
	"path/filepath"
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
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	for _, file := range files {
		name := filepath.Base(file)
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

package rules_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"scorecard/rules"
)

// TestReadFile: a regular file is read up to one byte over the limit, so that the parser can
// tell it is too large; a device or a folder is not read at all.
func TestReadFile(t *testing.T) {
	huge := filepath.Join(t.TempDir(), "huge.yaml")
	if err := os.WriteFile(huge, make([]byte, 4*rules.MaxFileBytes), 0o644); err != nil {
		t.Fatal(err)
	}
	data, err := rules.ReadFile(huge)
	if err != nil || len(data) != rules.MaxFileBytes+1 {
		t.Errorf("%d bytes, err %v; want %d", len(data), err, rules.MaxFileBytes+1)
	}
	dir := t.TempDir()
	for path, want := range map[string]string{
		"/dev/zero": "open /dev/zero: not a regular file (a device)",
		dir:         "open " + dir + ": not a regular file (a folder)",
	} {
		if _, err := os.Stat(path); err != nil {
			t.Logf("skipping %s: %v", path, err)
			continue
		}
		data, err := rules.ReadFile(path)
		if !errors.Is(err, rules.ErrNotRegular) || err.Error() != want || data != nil {
			t.Errorf("%s: %d bytes, err = %v; want %s", path, len(data), err, want)
		}
	}
}

// TestParseDocument: a YAML file other than a plan is held to a plan's limits, but may be
// empty; its problems name its kind of file.
func TestParseDocument(t *testing.T) {
	root, err := rules.ParseDocument("c.yaml", "config file", []byte("# nothing yet\n"))
	if root != nil || err != nil {
		t.Errorf("empty file: root %v, err %v; want neither", root, err)
	}
	root, err = rules.ParseDocument("c.yaml", "config file", []byte("lake: ./lake\n"))
	if root == nil || err != nil {
		t.Errorf("one document: root %v, err %v", root, err)
	}
	for _, tt := range []struct{ data, want string }{
		{laughs("", "lol"), `c.yaml:5:8: field "e[0]": aliases expand the document by more than 10000 nodes`},
		{"a: 1\n# " + strings.Repeat("x", rules.MaxFileBytes), "c.yaml: file is larger than the limit of 262144 bytes (256 KiB) for a config file"},
		{"a: 1\n---\nb: 2\n", "c.yaml:3:1: holds more than one YAML document"},
		{"a: !!seq\n", `c.yaml:1:4: field "a": YAML tags such as !!seq are not supported; write the value plainly, or quote it`},
		{"a: [1\n", "c.yaml:1:4: sequence end token ']' not found"},
	} {
		_, err := rules.ParseDocument("c.yaml", "config file", []byte(tt.data))
		if !errors.Is(err, rules.ErrInvalid) || err.Error() != tt.want {
			t.Errorf("err = %v\nwant %s", err, tt.want)
		}
	}
}

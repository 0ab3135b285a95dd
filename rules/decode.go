package rules

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
)

// yamlProblem turns a go-yaml parse or decode error into a positioned problem
// with a message that names YAML kinds rather than Go types.
func (s *source) yamlProblem(err error) Problem {
	var ye yaml.Error
	if !errors.As(err, &ye) || ye.GetToken() == nil {
		return Problem{File: s.file, Message: err.Error()}
	}
	msg := ye.GetMessage()
	var te *yaml.TypeError
	var oe *yaml.OverflowError
	switch {
	case errors.As(err, &te):
		msg = fmt.Sprintf("want %s, got %q", kindName(te.DstType), te.Token.Value)
	case errors.As(err, &oe):
		msg = fmt.Sprintf("%s is too large for %s", oe.SrcNum, kindName(oe.DstType))
	}
	return s.tokenProblem(ye.GetToken(), msg)
}

// kindName describes a Go type as the YAML value it expects.
func kindName(t reflect.Type) string {
	switch deref(t).Kind() {
	case reflect.Int, reflect.Int64:
		return "an integer"
	case reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	case reflect.Slice:
		return "a list"
	default:
		return "a mapping"
	}
}

// unknownFields lists every key in the document that the type it decodes
// into (root) does not have, with the keys allowed there. The decoder stops
// at the first one; a user fixing typos wants them all.
func (s *source) unknownFields(root reflect.Type) []Problem {
	var ps []Problem
	for _, n := range ast.Filter(ast.MappingValueType, s.root) {
		mv := n.(*ast.MappingValueNode)
		parent := parentPath(mv.GetPath())
		t := typeAt(root, parent)
		if t == nil || t.Kind() != reflect.Struct {
			continue
		}
		if msg, bad := s.fieldProblem(t, parent, mv.Key.GetToken().Value); bad {
			ps = append(ps, s.problemAt(mv.Key.GetToken(), mv.GetPath(), msg))
		}
	}
	return ps
}

// fieldProblem says what is wrong with key in the mapping at path, which
// decodes into t, if anything. A requirement has the fields of its kind, so
// there another kind's field is reported with the unknown ones.
func (s *source) fieldProblem(t reflect.Type, path, key string) (string, bool) {
	if t == reflect.TypeFor[requirementFile]() {
		r := requirementFile{Kind: s.scalar(path + ".kind")}
		if _, ok := kindSpecs[r.kind()]; ok {
			return kindField(r.kind(), key)
		}
	}
	keys := yamlKeys(t)
	if slices.Contains(keys, key) {
		return "", false
	}
	return "unknown field; allowed: " + strings.Join(keys, ", "), true
}

var pathStep = regexp.MustCompile(`\.([^.\[]+)|\[\d+\]`)

// typeAt follows a YAML path through the struct types of a file's schema. It reads the path
// one step at a time and stops where the schema ends, so a node nested deep in a hostile
// document costs a few steps, not its whole path.
func typeAt(t reflect.Type, path string) reflect.Type {
	rest := strings.TrimPrefix(path, "$")
	for {
		m := pathStep.FindStringSubmatchIndex(rest)
		if m == nil {
			return deref(t)
		}
		key := rest[max(m[2], 0):max(m[3], 0)] // "" for an index step
		rest = rest[m[1]:]
		t = deref(t)
		switch {
		case key != "" && t.Kind() == reflect.Struct:
			i := slices.Index(yamlKeys(t), key)
			if i < 0 {
				return nil
			}
			t = t.Field(i).Type
		case key == "" && t.Kind() == reflect.Slice:
			t = t.Elem()
		default:
			return nil
		}
	}
}

// yamlKeys returns a struct's YAML keys in field order (every field is tagged).
func yamlKeys(t reflect.Type) []string {
	keys := make([]string, t.NumField())
	for i := range keys {
		keys[i], _, _ = strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
	}
	return keys
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

package rules

import (
	"cmp"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// source is one parsed YAML file. It turns YAML paths such as
// "$.requirements[0].targets[2].min_pct" into positioned problems, so the
// checks can stay about values and leave lines and columns to it.
type source struct {
	file     string
	kind     string // what the file is, for messages: "plan file"
	root     ast.Node
	problems []Problem
	// pairs maps each mapping value to its key: value pair, built on first use by startOf.
	// Walking the tree for each empty value instead is quadratic in a file full of them.
	pairs map[ast.Node]*ast.MappingValueNode
}

// parseSource parses a plan or catalogue, which must hold exactly one YAML document of a sane
// size and shape (see checkShape), without tags.
func parseSource(file string, data []byte) (*source, error) {
	s, err := parseDocument(file, "plan file", data)
	if err != nil {
		return nil, err
	}
	if s.root == nil {
		return nil, s.fail(Problem{File: file, Message: "file is empty"})
	}
	return s, nil
}

// ParseDocument parses a YAML file other than a plan, such as the run config, held to the
// limits of a plan file (see limits.go) and refusing tags as it does, and returns its document:
// nil if the file holds none. kind says what the file is in the message of one too large
// ("config file"). An error is a *ValidationError, its problems naming file.
func ParseDocument(file, kind string, data []byte) (ast.Node, error) {
	s, err := parseDocument(file, kind, data)
	if err != nil {
		return nil, err
	}
	return s.root, nil
}

// parseDocument parses data, which must hold at most one YAML document of a sane size and
// shape, without tags; s.root is nil when it holds none.
func parseDocument(file, kind string, data []byte) (*source, error) {
	s := &source{file: file, kind: kind}
	if err := s.checkSize(data); err != nil {
		return nil, err
	}
	var f *ast.File
	err := s.guard(func() error {
		tokens := lexer.Tokenize(string(data))
		if err := s.checkShape(tokens); err != nil {
			return err
		}
		var err error
		if f, err = parser.Parse(tokens, 0); err != nil {
			return s.fail(s.yamlProblem(err))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var bodies []ast.Node
	for _, doc := range f.Docs {
		if doc.Body != nil {
			bodies = append(bodies, doc.Body)
		}
	}
	switch len(bodies) {
	case 0:
		return s, nil
	case 1:
		s.root = bodies[0]
	default:
		return nil, s.fail(s.tokenProblem(startToken(bodies[1]), "holds more than one YAML document"))
	}
	if err := s.checkTags(); err != nil {
		return nil, err
	}
	if err := s.checkAliases(s.root); err != nil {
		return nil, err
	}
	return s, nil
}

// checkTags rejects YAML tags ("!!str 2020", "!x"). A plan needs none, and go-yaml v1.19
// dereferences nil decoding a tagged value that is not a list into a list field, directly
// ("requirements: !!seq") or through an alias, where the field is not known in advance.
func (s *source) checkTags() error {
	for _, n := range ast.Filter(ast.TagType, s.root) {
		tk := n.GetToken()
		s.problems = append(s.problems, s.problemAt(tk, n.GetPath(),
			fmt.Sprintf("YAML tags such as %s are not supported; write the value plainly, or quote it", tk.Value)))
	}
	return s.err()
}

// guard runs a call into go-yaml, turning a panic in it into a problem naming the file, so
// that a go-yaml bug is one more invalid file rather than a crash. FuzzParsePlan fails on
// the message, so the fuzzer still reports such input, to be refused before go-yaml sees it
// (as checkTags does).
func (s *source) guard(call func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = s.fail(Problem{File: s.file, Message: fmt.Sprintf("%s: %v", goYAMLFailed, r)})
		}
	}()
	return call()
}

// goYAMLFailed starts the message of a problem made of a panic in go-yaml.
const goYAMLFailed = "the YAML library failed on this file"

// decode decodes the document into v strictly: unknown keys are errors.
func (s *source) decode(v any) error {
	err := s.guard(func() error { return yaml.NodeToValue(s.root, v, yaml.Strict()) })
	var verr *ValidationError
	if err == nil || errors.As(err, &verr) {
		return err
	}
	var unknown *yaml.UnknownFieldError
	if errors.As(err, &unknown) {
		if ps := s.unknownFields(reflect.TypeOf(v)); len(ps) > 0 {
			return &ValidationError{Problems: ps}
		}
	}
	return s.fail(s.yamlProblem(err))
}

func (s *source) fail(p Problem) error {
	return &ValidationError{Problems: []Problem{p}}
}

// addf records a problem about the node at path.
func (s *source) addf(path, format string, args ...any) {
	s.problems = append(s.problems, s.problem(path, fmt.Sprintf(format, args...)))
}

// err returns the recorded problems in file order, or nil.
func (s *source) err() error {
	if len(s.problems) == 0 {
		return nil
	}
	slices.SortStableFunc(s.problems, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
	return &ValidationError{Problems: s.problems}
}

// problem places a message at path; a missing node (a required field left
// out) is placed at its nearest existing parent, usually the target's mapping.
func (s *source) problem(path, msg string) Problem {
	p := Problem{File: s.file, Message: msg}
	for at := path; at != ""; at = parentPath(at) {
		if n := s.node(at); n != nil {
			pos := s.startOf(n).Position
			p.Line, p.Col = pos.Line, pos.Column
			break
		}
	}
	p.Requirement, p.Target, p.Field = s.context(path)
	return p
}

// tokenProblem places a message at a token, e.g. one from a decoding error.
func (s *source) tokenProblem(tk *token.Token, msg string) Problem {
	if tk == nil {
		return Problem{File: s.file, Message: msg}
	}
	return s.problemAt(tk, s.pathOf(tk), msg)
}

// problemAt places a message at a token whose node's path ("" if none) is known, sparing
// the walk of tokenProblem, which is too slow to make for every node of a large file.
func (s *source) problemAt(tk *token.Token, path, msg string) Problem {
	p := Problem{File: s.file, Message: msg, Line: tk.Position.Line, Col: tk.Position.Column}
	if path != "" {
		p.Requirement, p.Target, p.Field = s.context(path)
	}
	return p
}

// node returns the node at path, or nil.
func (s *source) node(path string) ast.Node {
	p, err := yaml.PathString(path)
	if err != nil || s.root == nil {
		return nil
	}
	n, err := p.FilterNode(s.root)
	if err != nil {
		return nil
	}
	return n
}

// keys returns the key tokens of the mapping at path, in file order; none
// when there is no mapping there.
func (s *source) keys(path string) []*token.Token {
	var pairs []*ast.MappingValueNode
	switch m := s.node(path).(type) {
	case *ast.MappingNode:
		pairs = m.Values
	case *ast.MappingValueNode:
		pairs = []*ast.MappingValueNode{m}
	}
	keys := make([]*token.Token, len(pairs))
	for i, mv := range pairs {
		keys[i] = mv.Key.GetToken()
	}
	return keys
}

// scalar returns the text of the scalar at path, or "".
func (s *source) scalar(path string) string {
	n := s.node(path)
	if _, ok := n.(ast.ScalarNode); !ok || n.Type() == ast.NullType {
		return ""
	}
	return n.GetToken().Value
}

// pathOf returns the path of the node that starts with tk, or "".
func (s *source) pathOf(tk *token.Token) string {
	var path string
	if s.root == nil {
		return ""
	}
	ast.Walk(visitFunc(func(n ast.Node) bool {
		if path == "" && n.GetToken() == tk {
			path = n.GetPath()
		}
		return path == ""
	}), s.root)
	return path
}

type visitFunc func(ast.Node) bool

func (f visitFunc) Visit(n ast.Node) ast.Visitor {
	if f(n) {
		return f
	}
	return nil
}

// scopes name the part of a plan a path is in, innermost first.
var scopes = []struct {
	re     *regexp.Regexp
	target bool
}{
	{regexp.MustCompile(`^\$\.requirements\[\d+\]\.targets\[\d+\]`), true},
	{regexp.MustCompile(`^\$\.requirements\[\d+\]`), false},
}

// context splits a path into the requirement or target it is in (by id) and
// the field within it. A target without an id falls back to its requirement.
func (s *source) context(path string) (req, target, field string) {
	for _, sc := range scopes {
		prefix := sc.re.FindString(path)
		id := ""
		if prefix != "" {
			id = s.scalar(prefix + ".id")
		}
		if id == "" {
			continue
		}
		rest := strings.TrimPrefix(path[len(prefix):], ".")
		if sc.target {
			return "", id, rest
		}
		return id, "", rest
	}
	return "", "", strings.TrimPrefix(strings.TrimPrefix(path, "$"), ".")
}

// parentPath strips the last step of a path: "$.a[0].b" -> "$.a[0]" -> "$.a" -> "$" -> "".
func parentPath(path string) string {
	if i := strings.LastIndexAny(path, ".["); i >= 0 {
		return path[:i]
	}
	return ""
}

// startOf is where a node visibly starts; an empty value ("select:" and
// nothing after it) starts at its key.
func (s *source) startOf(n ast.Node) *token.Token {
	if n.Type() != ast.NullType {
		return startToken(n)
	}
	if s.pairs == nil {
		s.pairs = map[ast.Node]*ast.MappingValueNode{}
		for _, n := range ast.Filter(ast.MappingValueType, s.root) {
			mv := n.(*ast.MappingValueNode)
			s.pairs[mv.Value] = mv
		}
	}
	if mv := s.pairs[n]; mv != nil {
		return startToken(mv)
	}
	return n.GetToken()
}

// startToken is where a node visibly starts: a block mapping's own token is
// its first colon, so point at its first key instead.
func startToken(n ast.Node) *token.Token {
	switch m := n.(type) {
	case *ast.MappingNode:
		if len(m.Values) > 0 {
			return m.Values[0].Key.GetToken()
		}
	case *ast.MappingValueNode:
		return m.Key.GetToken()
	}
	return n.GetToken()
}

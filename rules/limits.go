package rules

import (
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// Limits on a YAML file, checked on its tokens before go-yaml parses them. The parser gives
// every node its path from the root as a new string ("$.requirements[0].targets[2].min_pct"),
// so what it allocates is the sum of the nodes' path lengths: quadratic in the nesting
// (64 KiB of "[" and "]" take 1.6 GB, 256 KiB would exhaust the machine) and in long keys
// above long lists. It also parses a block mapping by recursing once per key and copying
// the keys after it each time, quadratic in the keys. A plan is a few KiB, nests 7 levels
// and has short keys, at most 7 to a mapping, so the limits only stop files garbled or built
// to exhaust memory, with a positioned error instead.
const (
	// MaxFileBytes is the largest plan (or catalogue) file read. The built-in ones are under
	// 4 KiB; go-yaml spends up to 1 KiB of memory per byte of a flat list.
	MaxFileBytes = 256 << 10
	// maxDepth bounds the nesting of collections; a plan needs 7 levels.
	maxDepth = 32
	// maxKeys bounds the keys of one block mapping.
	maxKeys = 256
	// maxPathBytes bounds the sum, over the tokens, of the estimated length of their path,
	// a little above what the parser will allocate for paths. A 256 KiB plan of ordinary
	// targets estimates at about 3 MiB.
	maxPathBytes = 16 << 20
	// maxAliasNodes bounds the nodes aliases add to a document. Decoding shares an anchor's
	// value among its aliases, but the checks visit every copy, and aliases of anchors that
	// hold aliases multiply ("billion laughs"). Anchoring a selection and aliasing it in
	// every target adds a few nodes per target.
	maxAliasNodes = 10000
)

// indexSegment is what a list index adds to a path ("[12345]"), as the shape estimates it.
const indexSegment = 8

// ReadFile reads a plan file, or another YAML file held to its limits (the run config). It
// refuses anything but a regular file, as a named pipe would block and a device never end, and
// reads at most MaxFileBytes+1 bytes, so that a mistyped path such as /dev/zero or a multi-GiB
// export fails fast instead of filling memory, and the parser can tell the file is too large.
func ReadFile(path string) ([]byte, error) {
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "open", Path: path, Err: fmt.Errorf("%w (%s)", ErrNotRegular, fileKind(fi.Mode()))}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
}

// fileKind names what a path that is not a regular file is.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}

// checkSize reports a file over MaxFileBytes (ParsePlan's data may come from anywhere).
func (s *source) checkSize(data []byte) error {
	if len(data) <= MaxFileBytes {
		return nil
	}
	return s.fail(Problem{File: s.file, Message: fmt.Sprintf(
		"file is larger than the limit of %d bytes (%d KiB) for a %s", MaxFileBytes, MaxFileBytes>>10, s.kind)})
}

// shapeFrame is one open collection in checkShape's estimate of the document's structure.
type shapeFrame struct {
	flow bool // a flow collection, "[...]" or "{...}"; else a block one
	seq  bool // a block sequence (its entries start with "- "); else a block mapping
	col  int  // a block collection's column: that of its dashes or keys
	seg  int  // what the current child adds to the path: its key's length, or an index
	keys int  // a block collection's keys or entries so far
}

// checkShape estimates, from the tokens alone, how deep the document nests and what its
// nodes' paths add up to, and fails before parsing when either is over its limit. The
// estimate follows flow brackets exactly and block collections by the column of their dashes
// and keys, as YAML's indentation does; it need not be exact, only never far below the truth.
func (s *source) checkShape(tokens token.Tokens) error {
	var stack []shapeFrame
	flow, total := 0, 0
	var prev *token.Token // the last token that is not a comment
	for _, tk := range tokens {
		switch tk.Type {
		case token.CommentType:
			continue
		case token.DocumentHeaderType, token.DocumentEndType:
			stack, flow = stack[:0], 0
		case token.SequenceStartType, token.MappingStartType:
			stack = append(stack, shapeFrame{flow: true, seg: indexSegment})
			flow++
		case token.SequenceEndType, token.MappingEndType:
			if flow > 0 { // else unbalanced, which the parser reports
				for len(stack) > 0 && !stack[len(stack)-1].flow {
					stack = stack[:len(stack)-1]
				}
				stack, flow = stack[:len(stack)-1], flow-1
			}
		case token.MappingValueType:
			key, col := 0, tk.Position.Column
			if prev != nil {
				key, col = len(prev.Value)+len(".''"), prev.Position.Column
			}
			if flow > 0 {
				stack[len(stack)-1].seg = key
			} else {
				stack = openBlock(stack, col, false, key)
			}
		case token.SequenceEntryType, token.MappingKeyType:
			if flow == 0 {
				stack = openBlock(stack, tk.Position.Column, tk.Type == token.SequenceEntryType, indexSegment)
			}
		}
		if len(stack) > maxDepth {
			return s.fail(s.tokenProblem(tk, fmt.Sprintf("nested more than %d levels deep", maxDepth)))
		}
		if n := len(stack); n > 0 && !stack[n-1].seq && stack[n-1].keys > maxKeys {
			return s.fail(s.tokenProblem(prev, fmt.Sprintf("a mapping has more than %d keys", maxKeys)))
		}
		switch tk.Type {
		case token.CollectEntryType, token.SequenceEndType, token.MappingEndType:
			// no node of their own, so no path
		default:
			total++
			for _, f := range stack {
				total += f.seg
			}
		}
		if total > maxPathBytes {
			return s.fail(s.tokenProblem(tk, "too complex to parse safely: "+
				"deep nesting or long keys above many values"))
		}
		prev = tk
	}
	return nil
}

// openBlock settles the stack for a block sequence entry or mapping key at col: collections
// indented deeper have ended, and a key at a sequence's column ends it ("key:\n- a\nnext:");
// the entry or key continues the collection at its column, or opens one.
func openBlock(stack []shapeFrame, col int, seq bool, seg int) []shapeFrame {
	for len(stack) > 0 {
		top := stack[len(stack)-1]
		if top.flow || top.col < col || (top.col == col && (top.seq == seq || !top.seq)) {
			break
		}
		stack = stack[:len(stack)-1]
	}
	if n := len(stack); n > 0 && !stack[n-1].flow && stack[n-1].col == col && stack[n-1].seq == seq {
		stack[n-1].seg = seg
		stack[n-1].keys++
		return stack
	}
	return append(stack, shapeFrame{seq: seq, col: col, seg: seg, keys: 1})
}

// checkAliases fails when the document's aliases, expanded, would add more than maxAliasNodes
// nodes. It weighs each anchor's value once, aliases in it included, so it takes one pass
// over the tree however much the aliases would expand.
func (s *source) checkAliases(root ast.Node) error {
	w := &aliasWeigher{anchors: map[string]int{}, added: new(int), over: new(*ast.AliasNode)}
	ast.Walk(w, root)
	if *w.over == nil {
		return nil
	}
	return s.fail(s.tokenProblem((*w.over).GetToken(),
		fmt.Sprintf("aliases expand the document by more than %d nodes", maxAliasNodes)))
}

// aliasWeigher is the ast.Visitor of checkAliases. One walks the document and one more each
// anchor's value, sharing anchors, added and over.
type aliasWeigher struct {
	anchors map[string]int  // anchor name -> the nodes its value expands to
	added   *int            // the nodes the aliases walked so far add
	over    **ast.AliasNode // the alias that took added over maxAliasNodes
	nodes   int             // the nodes this walk counted, aliases expanded
}

func (w *aliasWeigher) Visit(n ast.Node) ast.Visitor {
	if *w.over != nil {
		return nil
	}
	switch n := n.(type) {
	case *ast.AnchorNode:
		sub := &aliasWeigher{anchors: w.anchors, added: w.added, over: w.over}
		ast.Walk(sub, n.Value)
		w.anchors[n.Name.GetToken().Value] = sub.nodes
		w.nodes = satAdd(w.nodes, sub.nodes)
		return nil
	case *ast.AliasNode:
		// An unknown or recursive alias weighs 0: decoding rejects it or leaves it empty.
		size := w.anchors[n.Value.GetToken().Value]
		*w.added = satAdd(*w.added, size)
		w.nodes = satAdd(w.nodes, size)
		if *w.added > maxAliasNodes {
			*w.over = n
		}
		return nil
	}
	w.nodes = satAdd(w.nodes, 1)
	return w
}

// satAdd adds node counts without overflowing: nested aliases multiply them exponentially.
func satAdd(a, b int) int { return min(a+b, 1<<40) }

package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// MaxFileSize is the largest catalog file Load reads. Larger files are
// rejected before parsing so a hostile input cannot exhaust memory.
const MaxFileSize = 8 << 20

// Kind is the type of a YAML value.
type Kind uint8

const (
	KindNull Kind = iota
	KindString
	KindInt
	KindFloat
	KindBool
	KindMap
	KindList
)

func (k Kind) String() string {
	switch k {
	case KindString:
		return "a string"
	case KindInt:
		return "an integer"
	case KindFloat:
		return "a number"
	case KindBool:
		return "a boolean"
	case KindMap:
		return "a mapping"
	case KindList:
		return "a list"
	}
	return "null"
}

// Value is a YAML value with the position of its node. Maps keep their keys
// in authored order.
type Value struct {
	Kind Kind
	// Dropped is set on a mapping the loader removed a key from (a merge
	// key, a non-string or duplicate key), which it reported: findings
	// about what the mapping lacks would be about the removal.
	Dropped bool
	Pos     Pos
	Str     string // scalars: the literal text (for strings: the string)
	Keys    []*Value
	Vals    []*Value
	List    []*Value
}

// Get returns the value under key and its key node, or nil.
func (v *Value) Get(key string) (val, k *Value) {
	if v == nil || v.Kind != KindMap {
		return nil, nil
	}
	for i, kk := range v.Keys {
		if kk.Str == key {
			return v.Vals[i], kk
		}
	}
	return nil, nil
}

// String returns the string if v is a string scalar.
func (v *Value) String() (string, bool) {
	if v == nil || v.Kind != KindString {
		return "", false
	}
	return v.Str, true
}

// toAny converts a value to the plain Go data the JSON Schema validator
// takes.
func (v *Value) toAny() any {
	switch v.Kind {
	case KindString:
		return v.Str
	case KindInt, KindFloat:
		return json.Number(v.Str)
	case KindBool:
		return v.Str == "true"
	case KindMap:
		m := make(map[string]any, len(v.Keys))
		for i, k := range v.Keys {
			m[k.Str] = v.Vals[i].toAny()
		}
		return m
	case KindList:
		l := make([]any, len(v.List))
		for i, x := range v.List {
			l[i] = x.toAny()
		}
		return l
	}
	return nil
}

// parseYAML parses one catalog file into a Value, rejecting what the
// catalog language does not allow: anchors, aliases, merge keys, several
// documents, non-string and duplicate keys.
func parseYAML(file string, data []byte) (*Value, Errors) {
	if len(data) > MaxFileSize {
		return nil, Errors{{Pos: Pos{File: file}, Rule: "file-too-large",
			Msg: fmt.Sprintf("file is %d bytes; catalog files are limited to %d bytes (8 MiB)", len(data), MaxFileSize)}}
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		line := bytes.Count(data[:i], []byte("\n")) + 1
		col := i - bytes.LastIndexByte(data[:i], '\n')
		return nil, Errors{{Pos: Pos{File: file, Line: line, Col: col}, Rule: "yaml-syntax",
			Msg: "the file contains a NUL byte; catalog files must be text"}}
	}
	data = loneCRToLF(data)
	lines := newLineMap(data)
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return &Value{Kind: KindNull, Pos: Pos{File: file, Line: 1, Col: 1}}, nil
		}
		return nil, Errors{yamlError(file, data, err, lines)}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, Errors{{Pos: lines.pos(file, extra.Line, extra.Column), Rule: "yaml-multiple-documents",
			Msg: "a catalog file holds one YAML document; remove the `---` and what follows, or move it to its own file"}}
	} else if !errors.Is(err, io.EOF) {
		return nil, Errors{yamlError(file, data, err, lines)}
	}
	root := &doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return &Value{Kind: KindNull, Pos: Pos{File: file, Line: 1, Col: 1}}, nil
		}
		root = root.Content[0]
	}
	c := &converter{file: file, lines: lines}
	v := c.convert(root, 0)
	return v, c.errs
}

var yamlLineRe = func(msg string) (int, string) {
	// yaml.v3 errors look like "yaml: line 3: did not find expected key".
	const pfx = "yaml: line "
	if !strings.HasPrefix(msg, pfx) {
		return 0, strings.TrimPrefix(msg, "yaml: ")
	}
	rest := msg[len(pfx):]
	i := strings.IndexByte(rest, ':')
	if i < 0 {
		return 0, rest
	}
	n, err := strconv.Atoi(rest[:i])
	if err != nil {
		return 0, rest
	}
	return n, strings.TrimSpace(rest[i+1:])
}

// flowProblem reports a message about an unclosed flow collection ([…] or
// {…}). A prefix that ends inside one fails with that message too, so the
// search can stop early, inside a JSON-style block that is fine; the
// library's line (where the collection began) is kept when the search
// lands before it.
func flowProblem(msg string) bool { return strings.HasPrefix(msg, "did not find expected ',' or") }

func yamlError(file string, data []byte, err error, lines *lineMap) Error {
	line, msg := yamlLineRe(err.Error())
	pos := Pos{File: file, Line: line, Col: 1}
	if line > 0 {
		pos = lines.pos(file, line, 1)
		line = pos.Line
	}
	if line == 0 {
		pos = Pos{File: file, Line: 1, Col: 1}
	}
	if l, c, ok := locateYAMLError(data, msg, line); ok && !(flowProblem(msg) && l < line) {
		pos = Pos{File: file, Line: l, Col: c}
	}
	if col, what, ok := tabAt(data, msg, pos); ok {
		pos.Col = col
		msg = what
	}
	if n, text, ok := missingColon(data, msg, pos.Line); ok {
		msg += fmt.Sprintf(" (line %d, %q, has no \":\" — is one missing?)", n, text)
	}
	return Error{Pos: pos, Rule: "yaml-syntax", Msg: "invalid YAML: " + msg}
}

// maxDepth bounds nesting so that a pathological file cannot overflow the
// stack of the converter or the resolver.
const maxDepth = 200

// converter turns yaml.Nodes into Values for one file. Anchor and alias
// reports are limited to the first of each name, so an alias bomb yields a
// handful of errors, not thousands.
type converter struct {
	file  string
	lines *lineMap
	errs  Errors
	seen  map[string]bool
	slab  []Value // Values are handed out from chunks: one allocation per 512
}

func (c *converter) value(v Value) *Value {
	if len(c.slab) == cap(c.slab) {
		c.slab = make([]Value, 0, 512)
	}
	c.slab = append(c.slab, v)
	return &c.slab[len(c.slab)-1]
}

func (c *converter) alias(pos Pos, kind, name string) {
	if c.seen[kind+name] {
		return
	}
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	c.seen[kind+name] = true
	c.errs = append(c.errs, Error{Pos: pos, Rule: "yaml-alias",
		Msg: fmt.Sprintf("%s %s: anchors and aliases are not supported in catalogs; write the value out, or use a preset", kind, name)})
}

func (c *converter) convert(n *yaml.Node, depth int) *Value {
	file, errs := c.file, &c.errs
	pos := c.lines.pos(file, n.Line, n.Column)
	if depth > maxDepth {
		*errs = append(*errs, Error{Pos: pos, Rule: "yaml-too-deep", Msg: fmt.Sprintf("nesting deeper than %d levels", maxDepth)})
		return c.value(Value{Kind: KindNull, Pos: pos})
	}
	if n.Anchor != "" {
		c.alias(pos, "anchor", "&"+n.Anchor)
	}
	switch n.Kind {
	case yaml.AliasNode:
		c.alias(pos, "alias", "*"+n.Value)
		return c.value(Value{Kind: KindNull, Pos: pos})
	case yaml.ScalarNode:
		v := c.value(Value{Pos: pos, Str: n.Value})
		switch n.ShortTag() {
		case "!!str", "!!binary":
			v.Kind = KindString
		case "!!int":
			v.Kind = KindInt
			if i, err := strconv.ParseInt(strings.ReplaceAll(n.Value, "_", ""), 0, 64); err == nil {
				v.Str = strconv.FormatInt(i, 10)
			} else {
				v.Kind = KindFloat
				v.Str = "0"
			}
		case "!!float":
			v.Kind = KindFloat
			if f, err := strconv.ParseFloat(n.Value, 64); err == nil && !isInfOrNaN(f) {
				v.Str = strconv.FormatFloat(f, 'g', -1, 64)
			} else {
				v.Kind = KindString // .inf / .nan: the schema then says a number was expected
			}
		case "!!bool":
			v.Kind = KindBool
			v.Str = strconv.FormatBool(strings.EqualFold(n.Value, "true"))
		case "!!null":
			v.Kind = KindNull
		case "!!timestamp":
			v.Kind = KindString
		default:
			*errs = append(*errs, Error{Pos: pos, Rule: "yaml-tag", Msg: fmt.Sprintf("YAML tag %s is not supported", n.Tag)})
			v.Kind = KindString
		}
		return v
	case yaml.SequenceNode:
		v := c.value(Value{Kind: KindList, Pos: pos, List: make([]*Value, 0, len(n.Content))})
		for _, x := range n.Content {
			v.List = append(v.List, c.convert(x, depth+1))
		}
		return v
	case yaml.MappingNode:
		v := c.value(Value{Kind: KindMap, Pos: pos, Keys: make([]*Value, 0, len(n.Content)/2), Vals: make([]*Value, 0, len(n.Content)/2)})
		// Most mappings are small: a linear search finds duplicates
		// faster than a map, and allocates nothing.
		var seen map[string]*Value
		if len(n.Content) > 32 {
			seen = make(map[string]*Value, len(n.Content)/2)
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			kn, vn := n.Content[i], n.Content[i+1]
			kpos := c.lines.pos(file, kn.Line, kn.Column)
			if kn.Kind == yaml.ScalarNode && kn.ShortTag() == "!!merge" {
				*errs = append(*errs, Error{Pos: kpos, Rule: "yaml-alias",
					Msg: "merge keys (<<) are not supported in catalogs; write the fields out, or use a preset"})
				v.Dropped = true
				continue
			}
			if kn.Kind != yaml.ScalarNode || kn.ShortTag() != "!!str" {
				desc := map[string]string{"!!int": "an integer", "!!float": "a number", "!!bool": "a boolean", "!!null": "null"}[kn.ShortTag()]
				if desc == "" {
					desc = "of type " + strings.TrimPrefix(kn.ShortTag(), "!!")
				}
				if kn.Kind != yaml.ScalarNode {
					desc = "not a scalar"
				}
				*errs = append(*errs, Error{Pos: kpos, Rule: "yaml-key",
					Msg: fmt.Sprintf("mapping key %q is %s; keys must be strings (quote it)", kn.Value, desc)})
				v.Dropped = true
				continue
			}
			if kn.Anchor != "" {
				c.alias(kpos, "anchor", "&"+kn.Anchor)
			}
			key := c.value(Value{Kind: KindString, Pos: kpos, Str: kn.Value})
			prev, dup := seen[kn.Value]
			if seen == nil {
				for _, k := range v.Keys {
					if k.Str == kn.Value {
						prev, dup = k, true
						break
					}
				}
			}
			if dup {
				*errs = append(*errs, Error{Pos: kpos, Rule: "duplicate-key",
					Msg: fmt.Sprintf("key %q appears twice in this mapping (first at line %d); remove one", kn.Value, prev.Pos.Line)})
				v.Dropped = true
				continue
			}
			if seen != nil {
				seen[kn.Value] = key
			}
			v.Keys = append(v.Keys, key)
			v.Vals = append(v.Vals, c.convert(vn, depth+1))
		}
		return v
	}
	return c.value(Value{Kind: KindNull, Pos: pos})
}

func isInfOrNaN(f float64) bool {
	return f != f || f > 1.7976931348623157e308 || f < -1.7976931348623157e308
}

// loneCRToLF turns a CR that no LF follows (an old Mac line break) into an
// LF. YAML reads either as a line break and folds scalars' breaks to LF
// anyway, so the values are the same; every position permcat computes
// from the bytes then counts lines as the YAML library and editors do.
func loneCRToLF(data []byte) []byte {
	lone := func(b []byte, k int) bool { return b[k] == '\r' && (k+1 == len(b) || b[k+1] != '\n') }
	first := -1
	for k := bytes.IndexByte(data, '\r'); k >= 0; {
		if lone(data, k) {
			first = k
			break
		}
		next := bytes.IndexByte(data[k+1:], '\r')
		if next < 0 {
			break
		}
		k += 1 + next
	}
	if first < 0 {
		return data
	}
	out := bytes.Clone(data)
	for k := first; k < len(out); k++ {
		if lone(out, k) {
			out[k] = '\n'
		}
	}
	return out
}

// lineMap corrects the YAML library's positions in a file that holds
// U+0085, U+2028 or U+2029: the library counts each as a line break, as
// YAML 1.1 did, but editors, grep and CI annotations count lines by LF
// only (YAML 1.2 agrees). starts[l-1] is where the library's line l
// begins: on which real line, after how many characters of it. nil when
// the file holds none of them, and positions pass through.
type lineMap struct {
	starts []lineStart
}

type lineStart struct{ line, off int }

func newLineMap(data []byte) *lineMap {
	if !bytes.Contains(data, []byte("\u2028")) && !bytes.Contains(data, []byte("\u2029")) && !bytes.Contains(data, []byte("\u0085")) {
		return nil
	}
	m := &lineMap{starts: []lineStart{{1, 0}}}
	line, col := 1, 0
	for _, r := range string(data) {
		switch r {
		case '\n':
			line, col = line+1, 0
			m.starts = append(m.starts, lineStart{line, 0})
		case '\r': // before an LF: part of that break
		case '\u0085', '\u2028', '\u2029':
			col++
			m.starts = append(m.starts, lineStart{line, col})
		default:
			col++
		}
	}
	return m
}

// pos is the real position of the library's line and column (1-based,
// columns in characters).
func (m *lineMap) pos(file string, line, col int) Pos {
	if m == nil || line < 1 || line > len(m.starts) {
		return Pos{File: file, Line: line, Col: col}
	}
	s := m.starts[line-1]
	return Pos{File: file, Line: s.line, Col: s.off + col}
}

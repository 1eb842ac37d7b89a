package schema

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// The JSON Schema library explains every violation well but is slow on
// large catalogs: it needs the document converted to maps and slices, and
// it allocates as it walks. Almost every file a user compiles is valid, so
// each file is first checked by accepts, a small interpreter of the same
// embedded schema that walks the YAML values directly and allocates
// nothing. Only a file accepts does not pass goes to the library, for the
// messages.
//
// accepts need not be complete, only sound: when it cannot be sure (a
// number in an unusual notation, a keyword it does not know) it says no,
// and the library decides. Tests check that it agrees with the library on
// every example, every error case and every fuzzed input.

// fastNode is one compiled schema object.
type fastNode struct {
	// never: the schema is `false`, or uses a keyword accepts does not
	// implement, so it sends every value to the library.
	never bool

	ref        *fastNode
	types      uint8 // bits of typeBit; 0 = any type
	constVal   any   // only set when hasConst
	hasConst   bool
	props      map[string]*fastNode
	addl       *fastNode // additionalProperties as a schema
	noAddl     bool      // additionalProperties: false
	propNames  *fastNode
	required   []string
	minProps   int // -1 when absent
	maxProps   int // -1 when absent
	items      *fastNode
	unique     bool
	minLength  int // -1 when absent
	pattern    *regexp.Regexp
	match      func(string) bool // a pattern the loader's own checks decide exactly
	ifS        *fastNode
	thenS      *fastNode
	elseS      *fastNode
	hasIfThenE bool
}

const (
	typeObject = 1 << iota
	typeArray
	typeString
	typeInteger
	typeNumber
	typeBoolean
	typeNull
)

// knownPatterns are the schema's most used patterns, checked by the
// functions the loader uses anyway instead of by regexp (a test checks
// they agree with the regexps).
var knownPatterns = map[string]func(string) bool{
	textPattern:                              func(s string) bool { _, bad := forbiddenInText(s); return !bad },
	"^[a-z][a-z0-9_]*$":                      validSegment,
	"^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$": validKey,
}

// textPattern is the schema's pattern for free text and names, as the
// JSON decoder gives it.
const textPattern = "^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]*$"

// forbiddenInText returns the first rune free text may not hold (see
// ForbiddenInText).
func forbiddenInText(s string) (rune, bool) {
	if i := strings.IndexFunc(s, ForbiddenInText); i >= 0 {
		r, _ := utf8.DecodeRuneInString(s[i:])
		return r, true
	}
	return 0, false
}

// ForbiddenInText reports whether free text may not hold r: a control
// character other than tab, LF and CR (an escape sequence in a terminal or
// a CI log; NUL, which databases cannot store), or a bidirectional
// control, which makes generated code and docs display differently from
// what they are (the "Trojan Source" attack).
func ForbiddenInText(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f || BidiControl(r)
}

// BidiControl reports whether r is one of the bidirectional embedding,
// override and isolate controls (U+202A-U+202E, U+2066-U+2069).
func BidiControl(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

var typeBits = map[string]uint8{
	"object": typeObject, "array": typeArray, "string": typeString,
	"integer": typeInteger, "number": typeNumber, "boolean": typeBoolean, "null": typeNull,
}

// annotations are keywords that never affect validity.
var annotations = map[string]bool{
	"$schema": true, "$id": true, "$defs": true, "title": true, "description": true,
	"$comment": true, "examples": true, "default": true, "deprecated": true,
	"readOnly": true, "writeOnly": true, "markdownDescription": true,
}

var fastRoot = sync.OnceValue(func() *fastNode {
	var doc map[string]any
	dec := json.NewDecoder(strings.NewReader(string(JSONSchema)))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return &fastNode{never: true}
	}
	c := &fastCompiler{root: doc, defs: map[string]*fastNode{}}
	return c.compile(doc)
})

type fastCompiler struct {
	root map[string]any
	defs map[string]*fastNode
}

// compile turns a schema object into a fastNode. Anything it does not
// understand makes the node never accept, which is always sound.
func (c *fastCompiler) compile(s any) *fastNode {
	switch s := s.(type) {
	case bool:
		if s {
			return &fastNode{minProps: -1, maxProps: -1, minLength: -1}
		}
		return &fastNode{never: true}
	case map[string]any:
		n := &fastNode{minProps: -1, maxProps: -1, minLength: -1}
		for _, k := range sortedKeys(s) {
			v := s[k]
			if annotations[k] {
				continue
			}
			if !c.keyword(n, k, v, s) {
				return &fastNode{never: true}
			}
		}
		return n
	}
	return &fastNode{never: true}
}

// keyword compiles one keyword into n, reporting false when it is not one
// accepts implements.
func (c *fastCompiler) keyword(n *fastNode, k string, v any, s map[string]any) bool {
	switch k {
	case "$ref":
		ref, ok := v.(string)
		if !ok {
			return false
		}
		n.ref = c.resolve(ref)
		return n.ref != nil
	case "type":
		switch t := v.(type) {
		case string:
			n.types = typeBits[t]
			return n.types != 0
		case []any:
			for _, x := range t {
				name, _ := x.(string)
				if typeBits[name] == 0 {
					return false
				}
				n.types |= typeBits[name]
			}
			return n.types != 0
		}
		return false
	case "const":
		switch v.(type) {
		case string, bool, nil, json.Number:
			n.constVal, n.hasConst = v, true
			return true
		}
		return false
	case "properties":
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		n.props = map[string]*fastNode{}
		for _, name := range sortedKeys(m) {
			n.props[name] = c.compile(m[name])
		}
		return true
	case "additionalProperties":
		if b, ok := v.(bool); ok && !b {
			n.noAddl = true
			return true
		}
		n.addl = c.compile(v)
		return true
	case "propertyNames":
		n.propNames = c.compile(v)
		return true
	case "required":
		l, ok := v.([]any)
		if !ok {
			return false
		}
		for _, x := range l {
			name, ok := x.(string)
			if !ok {
				return false
			}
			n.required = append(n.required, name)
		}
		return true
	case "minProperties", "maxProperties", "minLength":
		num, ok := v.(json.Number)
		if !ok {
			return false
		}
		i, err := num.Int64()
		if err != nil || i < 0 || i > 1<<30 {
			return false
		}
		switch k {
		case "minProperties":
			n.minProps = int(i)
		case "maxProperties":
			n.maxProps = int(i)
		default:
			n.minLength = int(i)
		}
		return true
	case "items":
		n.items = c.compile(v)
		return true
	case "uniqueItems":
		b, ok := v.(bool)
		n.unique = ok && b
		return ok
	case "pattern":
		p, ok := v.(string)
		if !ok {
			return false
		}
		if m, ok := knownPatterns[p]; ok {
			n.match = m
			return true
		}
		re, err := regexp.Compile(p)
		if err != nil {
			return false
		}
		n.pattern = re
		return true
	case "if", "then", "else":
		if _, ok := s["if"]; !ok {
			// then and else without if do nothing.
			return true
		}
		n.hasIfThenE = true
		switch k {
		case "if":
			// The else branch is taken when if fails, so if must be judged
			// exactly; an if of type alone (no numbers) is.
			n.ifS = c.compile(v)
			return n.ifS.onlyExactType()
		case "then":
			n.thenS = c.compile(v)
		default:
			n.elseS = c.compile(v)
		}
		return true
	}
	return false
}

// resolve follows a reference within the embedded schema: "#" or
// "#/$defs/name". Definitions are compiled once, so recursive references
// share their node.
func (c *fastCompiler) resolve(ref string) *fastNode {
	if ref == "#" {
		return nil // recursion to the root is not used; let the library judge
	}
	name, ok := strings.CutPrefix(ref, "#/$defs/")
	if !ok || strings.ContainsAny(name, "/~%") {
		return nil
	}
	if n, ok := c.defs[name]; ok {
		return n
	}
	defs, _ := c.root["$defs"].(map[string]any)
	def, ok := defs[name]
	if !ok {
		return nil
	}
	n := &fastNode{}
	c.defs[name] = n
	*n = *c.compile(def)
	return n
}

// onlyExactType reports whether the node checks nothing but a type that
// accepts judges exactly for every value.
func (n *fastNode) onlyExactType() bool {
	return !n.never && n.types != 0 && n.types&(typeInteger|typeNumber) == 0 &&
		n.ref == nil && n.props == nil && n.addl == nil && !n.noAddl && n.propNames == nil &&
		n.required == nil && n.minProps < 0 && n.maxProps < 0 && n.items == nil && !n.unique &&
		n.minLength < 0 && n.pattern == nil && n.match == nil && !n.hasConst && !n.hasIfThenE
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// acceptsSchema reports whether v certainly satisfies the embedded schema.
func acceptsSchema(v *Value) bool {
	return fastRoot().accepts(v)
}

func (n *fastNode) accepts(v *Value) bool {
	if n.never || v == nil {
		return false
	}
	if n.ref != nil && !n.ref.accepts(v) {
		return false
	}
	if n.types != 0 && !n.hasType(v) {
		return false
	}
	if n.hasConst && !constEquals(n.constVal, v) {
		return false
	}
	switch v.Kind {
	case KindMap:
		if !n.acceptsMap(v) {
			return false
		}
	case KindList:
		if n.items != nil {
			for _, x := range v.List {
				if !n.items.accepts(x) {
					return false
				}
			}
		}
		if n.unique && !uniqueValues(v.List) {
			return false
		}
	case KindString:
		if n.minLength > 0 && utf8.RuneCountInString(v.Str) < n.minLength {
			return false
		}
		if n.match != nil && !n.match(v.Str) {
			return false
		}
		if n.pattern != nil && !n.pattern.MatchString(v.Str) {
			return false
		}
	}
	if n.hasIfThenE {
		if n.ifS == nil {
			return false
		}
		if n.ifS.accepts(v) {
			if n.thenS != nil && !n.thenS.accepts(v) {
				return false
			}
		} else if n.elseS != nil && !n.elseS.accepts(v) {
			return false
		}
	}
	return true
}

func (n *fastNode) acceptsMap(v *Value) bool {
	if n.minProps >= 0 && len(v.Keys) < n.minProps {
		return false
	}
	if n.maxProps >= 0 && len(v.Keys) > n.maxProps {
		return false
	}
	for _, r := range n.required {
		if x, _ := v.Get(r); x == nil {
			return false
		}
	}
	for i, k := range v.Keys {
		// Keys are strings: the YAML loader rejects any other.
		if n.propNames != nil && (k.Kind != KindString || !n.propNames.accepts(k)) {
			return false
		}
		if p, ok := n.props[k.Str]; ok {
			if !p.accepts(v.Vals[i]) {
				return false
			}
			continue
		}
		if n.noAddl {
			return false
		}
		if n.addl != nil && !n.addl.accepts(v.Vals[i]) {
			return false
		}
	}
	return true
}

// hasType checks the type keyword. Numbers are accepted only in plain
// decimal notation, the one the library reads the same way.
func (n *fastNode) hasType(v *Value) bool {
	switch v.Kind {
	case KindMap:
		return n.types&typeObject != 0
	case KindList:
		return n.types&typeArray != 0
	case KindString:
		return n.types&typeString != 0
	case KindBool:
		return n.types&typeBoolean != 0
	case KindNull:
		return n.types&typeNull != 0
	case KindInt:
		return plainInteger(v.Str) && n.types&(typeInteger|typeNumber) != 0
	}
	return false
}

func plainInteger(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" || len(s) > 15 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func constEquals(c any, v *Value) bool {
	switch c := c.(type) {
	case string:
		return v.Kind == KindString && v.Str == c
	case bool:
		return v.Kind == KindBool && v.Str == fmt.Sprint(c)
	case nil:
		return v.Kind == KindNull
	case json.Number:
		return v.Kind == KindInt && plainInteger(v.Str) && v.Str == string(c)
	}
	return false
}

// uniqueValues reports whether the items are distinct. Only lists of
// strings are judged; any other item makes the library decide.
func uniqueValues(l []*Value) bool {
	for _, x := range l {
		if x.Kind != KindString {
			return false
		}
	}
	if len(l) <= 16 {
		for i := range l {
			for j := i + 1; j < len(l); j++ {
				if l[i].Str == l[j].Str {
					return false
				}
			}
		}
		return true
	}
	seen := make(map[string]struct{}, len(l))
	for _, x := range l {
		if _, dup := seen[x.Str]; dup {
			return false
		}
		seen[x.Str] = struct{}{}
	}
	return true
}

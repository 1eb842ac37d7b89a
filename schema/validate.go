package schema

import (
	_ "embed"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// JSONSchema is the catalog's JSON Schema (draft 2020-12), as `permcat
// schema` prints it and editors load it through the yaml-language-server
// modeline.
//
//go:embed catalog.schema.json
var JSONSchema []byte

// SchemaID is the schema's $id.
const SchemaID = "https://permcat.dev/schema/catalog.schema.json"

var (
	compiledOnce sync.Once
	compiled     *jsonschema.Schema
	compileErr   error
)

func catalogSchema() (*jsonschema.Schema, error) {
	compiledOnce.Do(func() {
		c := jsonschema.NewCompiler()
		c.Draft = jsonschema.Draft2020
		if err := c.AddResource(SchemaID, strings.NewReader(string(JSONSchema))); err != nil {
			compileErr = err
			return
		}
		compiled, compileErr = c.Compile(SchemaID)
	})
	return compiled, compileErr
}

// validateSchema checks one file against the JSON Schema and maps every
// violation to the YAML node at fault.
func validateSchema(f *file) Errors {
	if f.v.Kind == KindNull {
		return nil
	}
	// A valid file never needs the library, nor its schema compiled.
	if acceptsSchema(f.v) {
		return nil
	}
	s, err := catalogSchema()
	if err != nil {
		return Errors{{Pos: Pos{File: f.name}, Rule: "internal", Msg: "embedded JSON Schema does not compile: " + err.Error()}}
	}
	doc := f.v.toAny()
	// The library joins an instance location as parent + "/" + key only
	// when the key is not empty, so a finding about the key "" (or inside
	// its value) would be placed at, and worded about, the mapping that
	// holds it. It sees a stand-in for "" instead, mapped back below.
	standIn := ""
	if hasEmptyKey(f.v) {
		standIn = emptyKeyStandIn(f.v)
		doc = renameEmptyKeys(doc, standIn)
	}
	verr := s.Validate(doc)
	if verr == nil {
		return nil
	}
	ve, ok := verr.(*jsonschema.ValidationError)
	if !ok {
		return Errors{{Pos: f.v.Pos, Rule: "schema", Msg: verr.Error()}}
	}
	var errs Errors
	for _, leaf := range leaves(ve) {
		errs = append(errs, mapLeaf(f, leaf, standIn)...)
	}
	return errs
}

// hasEmptyKey reports whether any mapping in v has the key "".
func hasEmptyKey(v *Value) bool {
	switch v.Kind {
	case KindMap:
		for i, k := range v.Keys {
			if k.Str == "" || hasEmptyKey(v.Vals[i]) {
				return true
			}
		}
	case KindList:
		for _, x := range v.List {
			if hasEmptyKey(x) {
				return true
			}
		}
	}
	return false
}

// emptyKeyStandIn returns a key that no mapping of v has, to stand for ""
// in what the schema library sees. Like "", it is not a valid key anywhere.
func emptyKeyStandIn(v *Value) string {
	keys := map[string]bool{}
	var walk func(*Value)
	walk = func(v *Value) {
		for i, k := range v.Keys {
			keys[k.Str] = true
			walk(v.Vals[i])
		}
		for _, x := range v.List {
			walk(x)
		}
	}
	walk(v)
	s := "\u2400" // ␀
	for keys[s] {
		s += "\u2400"
	}
	return s
}

// renameEmptyKeys replaces the key "" by standIn in a document as toAny
// returns it.
func renameEmptyKeys(x any, standIn string) any {
	switch x := x.(type) {
	case map[string]any:
		for k, v := range x {
			x[k] = renameEmptyKeys(v, standIn)
		}
		if v, ok := x[""]; ok {
			delete(x, "")
			x[standIn] = v
		}
	case []any:
		for i, v := range x {
			x[i] = renameEmptyKeys(v, standIn)
		}
	}
	return x
}

// leaves flattens a validation error tree. For oneOf/anyOf it keeps the
// branch that got furthest into the value, so "a string or a mapping"
// alternatives do not drown the one real mistake.
func leaves(ve *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(ve.Causes) == 0 {
		return []*jsonschema.ValidationError{ve}
	}
	kw := lastSegment(ve.KeywordLocation)
	if kw == "oneOf" || kw == "anyOf" {
		var best []*jsonschema.ValidationError
		bestScore := -1
		allType := true
		for _, c := range ve.Causes {
			ls := leaves(c)
			score := 0
			onlyType := true
			for _, l := range ls {
				d := strings.Count(l.InstanceLocation, "/") * 2
				if lastSegment(l.KeywordLocation) != "type" {
					d++
					onlyType = false
				}
				score = max(score, d)
			}
			if !onlyType {
				allType = false
			}
			if score > bestScore {
				best, bestScore = ls, score
			}
		}
		if allType {
			return []*jsonschema.ValidationError{{InstanceLocation: ve.InstanceLocation, KeywordLocation: ve.KeywordLocation,
				Message: "has the wrong type for this field"}}
		}
		return best
	}
	var out []*jsonschema.ValidationError
	for _, c := range ve.Causes {
		out = append(out, leaves(c)...)
	}
	return out
}

func lastSegment(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

var quotedRe = regexp.MustCompile(`'([^']*)'`)

// mapLeaf turns one schema violation into an Error at the right node with a
// plain-words message.
func mapLeaf(f *file, l *jsonschema.ValidationError, standIn string) Errors {
	ptr := splitPointer(l.InstanceLocation)
	if standIn != "" {
		for i, seg := range ptr {
			if seg == standIn {
				ptr[i] = ""
			}
		}
	}
	val, key := lookupPointer(f.v, ptr)
	pos := f.v.Pos
	if val != nil {
		pos = val.Pos
	}
	where := describePointer(ptr)
	kw := lastSegment(l.KeywordLocation)
	msg := l.Message
	kwPath := l.KeywordLocation
	switch {
	case kw == "additionalProperties" && strings.Contains(msg, "not allowed"):
		names := quotedRe.FindAllStringSubmatch(msg, -1)
		if len(names) > 0 && val != nil {
			var out Errors
			for _, nm := range names {
				name := nm[1]
				if standIn != "" && name == standIn {
					name = ""
				}
				p := pos
				if _, k := val.Get(name); k != nil {
					p = k.Pos
				}
				out = append(out, Error{Pos: p, Rule: "unknown-field", Msg: fmt.Sprintf("unknown field %q in %s%s", name, where, suggest(name, knownFields(ptr)))})
			}
			return out
		}
	case kw == "required" || strings.HasPrefix(msg, "missing properties"):
		if val != nil && val.Dropped {
			return nil // the loader removed a key from it and said so
		}
		// At the key of what lacks the field, worded as the resolver's own
		// findings are ("group g has no `name`").
		if key != nil {
			pos = key.Pos
		}
		var fields []string
		for _, nm := range quotedRe.FindAllStringSubmatch(msg, -1) {
			fields = append(fields, "`"+nm[1]+"`")
		}
		if len(fields) == 0 {
			return Errors{{Pos: pos, Rule: "missing-field", Msg: fmt.Sprintf("%s is missing %s", where, strings.TrimPrefix(msg, "missing properties: "))}}
		}
		return Errors{{Pos: pos, Rule: "missing-field", Msg: fmt.Sprintf("%s has no %s", where, strings.Join(fields, " or "))}}
	case strings.Contains(kwPath, "/propertyNames"):
		if key != nil {
			pos = key.Pos
		}
		name := ""
		var in []string // the mapping that holds the key
		if len(ptr) > 0 {
			name, in = ptr[len(ptr)-1], ptr[:len(ptr)-1]
		}
		// A permission or subgroup key is one "in group g" (or "in preset
		// p"), not in its `permissions` or `groups` field.
		if name == "" {
			return Errors{{Pos: pos, Rule: "bad-key", Msg: emptyKeyMsg(in)}}
		}
		if n := len(in); n > 1 && (in[n-1] == "permissions" || in[n-1] == "groups") {
			in = in[:n-1]
		}
		return Errors{{Pos: pos, Rule: "bad-key", Msg: fmt.Sprintf("%q is not a valid key in %s: keys are lower-case letters, digits and _, starting with a letter (e.g. %s)", name, describePointer(in), suggestSegment(name))}}
	case kw == "type":
		got := "nothing"
		if val != nil {
			got = val.Kind.String()
		}
		exp := strings.TrimPrefix(msg, "expected ")
		if i := strings.Index(exp, ", but got"); i >= 0 {
			exp = exp[:i]
		}
		return Errors{{Pos: pos, Rule: "wrong-type", Msg: fmt.Sprintf("%s must be %s, not %s", where, article(exp), got)}}
	case kw == "pattern":
		s := ""
		if val != nil {
			s = val.Str
		}
		if r, bad := forbiddenInText(s); bad {
			return Errors{{Pos: pos, Rule: "bad-value", Msg: fmt.Sprintf("%s contains %s", where, describeForbidden(r))}}
		}
		return Errors{{Pos: pos, Rule: "bad-value", Msg: fmt.Sprintf("%s: %q is not valid here (%s)", where, s, patternHint(l.AbsoluteKeywordLocation))}}
	case kw == "const" && len(ptr) == 1 && ptr[0] == "permcat":
		return Errors{{Pos: pos, Rule: "bad-value", Msg: "`permcat` must be the number 1, unquoted (the format version)"}}
	case kw == "const" || kw == "enum":
		return Errors{{Pos: pos, Rule: "bad-value", Msg: fmt.Sprintf("%s %s", where, msg)}}
	case kw == "minProperties" || kw == "maxProperties":
		return Errors{{Pos: pos, Rule: "bad-value", Msg: fmt.Sprintf("%s must have exactly one key: the pattern, with its options under it", where)}}
	case kw == "uniqueItems":
		return duplicateItems(val, pos, where, msg)
	}
	return Errors{{Pos: pos, Rule: "schema", Msg: fmt.Sprintf("%s: %s", where, msg)}}
}

// emptyKeyMsg says that the mapping at in (a pointer) has the key "".
func emptyKeyMsg(in []string) string {
	const segHint = "keys are lower-case letters, digits and _, starting with a letter"
	n := len(in)
	switch {
	case n == 1:
		return fmt.Sprintf("an empty key in %s: %s", describePointer(in), segHint)
	case n > 1 && in[n-1] == "permissions":
		return fmt.Sprintf("an empty key in the permissions of %s: %s", describePointer(in[:n-1]), segHint)
	case n > 1 && in[n-1] == "groups":
		return fmt.Sprintf("an empty key in the subgroups of %s: %s", describePointer(in[:n-1]), segHint)
	case n > 1 && in[n-1] == "vars":
		return fmt.Sprintf("an empty key in the vars of %s: %s", describePointer(in[:n-1]), segHint)
	case n > 2 && in[n-2] == "grants":
		// A grant written as a mapping: its key is the pattern.
		return fmt.Sprintf("an empty pattern in %s: a grant's key is %s", describePointer(in), patternHint("/$defs/pattern"))
	}
	return fmt.Sprintf("an empty key in %s: %s", describePointer(in), segHint)
}

// duplicateItems reports each item of a list that repeats an earlier one,
// at the repeat. Where the resolver reports the same item (a group
// permission's `requires` or `implies` naming one permission twice), its
// finding replaces this one (see Compile).
func duplicateItems(list *Value, pos Pos, where, msg string) Errors {
	var out Errors
	if list != nil && list.Kind == KindList {
		for j, it := range list.List {
			if it.Kind == KindMap || it.Kind == KindList {
				continue
			}
			for i, prev := range list.List[:j] {
				if prev.Kind == it.Kind && prev.Str == it.Str {
					out = append(out, Error{Pos: it.Pos, Rule: "duplicate-item", Msg: fmt.Sprintf("%s lists %s twice (items %d and %d); remove one", where, printable(it.Str), i+1, j+1)})
					break
				}
			}
		}
	}
	if len(out) == 0 {
		out = Errors{{Pos: pos, Rule: "duplicate-item", Msg: fmt.Sprintf("%s lists an item twice (%s)", where, msg)}}
	}
	return out
}

func article(typ string) string {
	switch typ {
	case "object":
		return "a mapping"
	case "array":
		return "a list"
	case "integer":
		return "an integer"
	case "string", "number", "boolean":
		return "a " + typ
	}
	return typ
}

// patternHint explains a pattern keyword by the $defs entry it belongs to.
func patternHint(absLoc string) string {
	def := ""
	if i := strings.LastIndex(absLoc, "/$defs/"); i >= 0 {
		def = strings.SplitN(absLoc[i+len("/$defs/"):], "/", 2)[0]
	}
	switch def {
	case "segment":
		return "a key segment: lower-case letters, digits and _, starting with a letter"
	case "pattern", "patterns", "grant":
		return "a permission pattern: dotted key segments, `*` for one segment, `**` for one or more"
	case "key", "keys":
		return "a dotted key of lower-case segments, e.g. integrations.metrc.view"
	case "goName":
		return "an exported Go identifier such as ViewOrders"
	case "tsName":
		return "a TypeScript identifier"
	case "presetGoName":
		return "an exported Go identifier, placeholders such as {vendor} allowed: View{vendor}"
	case "presetTsName":
		return "a TypeScript identifier, placeholders such as {vendor} allowed: view{vendor}"
	}
	return "see catalog.schema.json"
}

func suggestSegment(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		} else if !strings.HasSuffix(b.String(), "_") {
			b.WriteByte('_')
		}
	}
	out := strings.Trim(b.String(), "_")
	if out == "" || out[0] >= '0' && out[0] <= '9' {
		out = "x_" + out
	}
	return out
}

func splitPointer(p string) []string {
	if p == "" || p == "/" {
		return nil
	}
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, s := range parts {
		// The validator escapes instance locations as URL fragments.
		if u, err := url.PathUnescape(s); err == nil {
			s = u
		}
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
	}
	return parts
}

func lookupPointer(v *Value, ptr []string) (val, key *Value) {
	for _, seg := range ptr {
		if v == nil {
			return nil, nil
		}
		switch v.Kind {
		case KindMap:
			v, key = v.Get(seg)
		case KindList:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(v.List) {
				return nil, nil
			}
			v, key = v.List[i], nil
		default:
			return nil, nil
		}
	}
	return v, key
}

// describePointer names a place in words: "permission integrations.metrc.edit".
func describePointer(ptr []string) string {
	if len(ptr) == 0 {
		return "the file"
	}
	if slices.Contains(ptr, "") {
		// Inside a value whose key is empty (reported on its own).
		ptr = slices.Clone(ptr)
		for i, seg := range ptr {
			if seg == "" {
				ptr[i] = `""`
			}
		}
	}
	var groupPath []string
	for i := 0; i < len(ptr); i++ {
		switch ptr[i] {
		case "groups":
			if i+1 < len(ptr) {
				groupPath = append(groupPath, ptr[i+1])
				i++
				if i == len(ptr)-1 {
					return "group " + strings.Join(groupPath, ".")
				}
				continue
			}
			// The `groups` field itself, of a group or of the file.
			if len(groupPath) > 0 {
				return withField("group "+strings.Join(groupPath, "."), ptr[i:])
			}
			return "`groups`"
		case "permissions":
			if i+1 < len(ptr) {
				key := strings.Join(append(append([]string{}, groupPath...), ptr[i+1]), ".")
				if len(groupPath) == 0 && i >= 2 && ptr[0] == "presets" {
					key = "preset " + ptr[1] + " permission " + ptr[i+1]
				} else {
					key = "permission " + key
				}
				return withField(key, ptr[i+2:])
			}
			// The `permissions` field itself, of a group or a preset.
			if len(groupPath) > 0 {
				return withField("group "+strings.Join(groupPath, "."), ptr[i:])
			}
			if i == 2 && ptr[0] == "presets" {
				return withField("preset "+ptr[1], ptr[i:])
			}
		case "roles", "presets", "conditions", "scopes", "profiles":
			if i == 0 && len(ptr) == 1 {
				return "`" + ptr[0] + "`" // the section itself
			}
			if len(groupPath) == 0 && i+1 < len(ptr) && ptr[i] != "presets" {
				return withField(singular(ptr[i])+" "+ptr[i+1], ptr[i+2:])
			}
			if ptr[i] == "presets" && i+1 < len(ptr) && (i+2 >= len(ptr) || ptr[i+2] != "permissions") {
				return withField("preset "+ptr[i+1], ptr[i+2:])
			}
			if ptr[i] == "presets" {
				continue
			}
		default:
			if len(groupPath) > 0 {
				return withField("group "+strings.Join(groupPath, "."), ptr[i:])
			}
			if i == 0 {
				return withField("`"+ptr[0]+"`", ptr[1:])
			}
		}
	}
	if len(groupPath) > 0 {
		return "group " + strings.Join(groupPath, ".")
	}
	return strings.Join(ptr, ".")
}

func withField(what string, rest []string) string {
	if len(rest) == 0 {
		return what
	}
	var b strings.Builder
	b.WriteString(what)
	b.WriteString(": ")
	for i, seg := range rest {
		if n, err := strconv.Atoi(seg); err == nil {
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "item %d", n+1) // people count from 1
			continue
		}
		if i > 0 {
			b.WriteString(" → ")
		}
		b.WriteString("`" + seg + "`")
	}
	return b.String()
}

// knownFields lists the fields allowed where an unknown one was found, for
// "did you mean".
func knownFields(ptr []string) []string {
	ctx := ""
	for i := 0; i < len(ptr); i++ {
		switch ptr[i] {
		case "groups":
			ctx = "group"
			i++
		case "permissions":
			ctx = "permission"
			i++
		case "roles":
			ctx = "role"
			i++
		case "profiles", "conditions", "scopes":
			ctx = singular(ptr[i])
			i++
		case "presets":
			ctx = "preset"
			i++
		case "grants":
			ctx = "grant"
			i += 2
		}
	}
	var list []string
	switch ctx {
	case "":
		for k := range rootOnlyFields {
			list = append(list, k)
		}
		for k := range fragmentFields {
			list = append(list, k)
		}
	case "group":
		list = append(append(list, groupFields...), "permissions", "groups")
	case "permission":
		list = permFields[:]
	case "role":
		list = []string{"name", "description", "landing", "extends", "grants", "except", "note", "go_name", "ts_name"}
	case "profile":
		list = []string{"name", "description", "note", "requires", "go_name", "ts_name"}
	case "condition", "scope":
		list = []string{"description", "note"}
	case "preset":
		list = []string{"description", "permissions"}
	case "grant":
		list = []string{"when", "scope", "note"}
	}
	sort.Strings(list)
	return list
}

// describeForbidden names a rune forbiddenInText refuses, and why.
func describeForbidden(r rune) string {
	switch {
	case r == 0:
		return "a NUL character, which text cannot hold"
	case BidiControl(r):
		return fmt.Sprintf("U+%04X, a bidirectional control character: it makes generated code and docs display differently from what they say; remove it", r)
	}
	return fmt.Sprintf("the control character U+%04X; text may hold tabs and line breaks, not control characters (they act on terminals and CI logs)", r)
}

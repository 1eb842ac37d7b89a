package golang

import (
	"fmt"
	"math/bits"
	"slices"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/permcat/permcat/generator/mph"
)

// keyTable is a set of keys parsed with a generated perfect hash.
//
// The keys are placed one table per length (see mph), and a slot is two
// things at the same index: an entry in a table of integers, holding the
// key's value and a fingerprint (the low byte of its hash), and a record of
// the key's bytes, at a place computed from the slot, since records of one
// length are all as long. A lookup reads a pilot, a byte from a table
// small enough to stay in cache, and then the entry and the record side by
// side, neither waiting for the other: the fingerprint tells most keys
// that are not in the table from the one in the slot, the record confirms
// the others, and the value is known from the entry without waiting for
// the record's cache line. (Keeping the value in the record instead, after
// the key, measured the same for throughput but twice as slow at 100,000
// keys for lookups that each wait for the one before: the value then
// arrives with the record, from the L3 cache.)
//
// String methods read the canonical keys out of the records too, through
// a table of where each one's record is, rather than from a string of
// their own: at 100,000 permissions that string would be 3MB more of the
// package, and 40MB more of the Go compiler's memory.
type keyTable struct {
	prefix string   // of every declared name: "perm" gives permKeys, permRecs…
	keys   []string // canonical keys, then former keys
	canon  int      // how many of keys are canonical
	values []uint64 // what each key parses to
	tab    *mph.Table

	minLen, maxLen int
	recs           string // the records, length after length
	lenBits        int    // of a key's length in the table of where keys are
	// gaps is true when some length between minLen and maxLen has no key,
	// so that its entry in the lengths table is 0 and must be checked.
	gaps bool
	// body is the parse function's body, typ standing for its type.
	body string
}

// typ stands for a parse function's result type in keyTable.body.
const typ = "\x00typ\x00"

// A length class is a range of key lengths the hash and the compare read
// the same way (see mph.Hasher.Hash). Parse functions handle each class
// their keys fall in with straight-line code, switching on the length only
// when keys fall in more than one.
type lengthClass struct {
	min, max int // inclusive; max -1 for no limit
	cond     string
}

var lengthClasses = []lengthClass{
	{65, -1, "n > 64"},
	{8, 64, "n >= 8"},
	{4, 7, "n >= 4"},
	{1, 3, "n > 0"},
	{0, 0, "n == 0"},
}

// classes are the length classes some key of the table falls in or lies
// between, longest first. Keys of more than 64 bytes are a class of their
// own even where the hash reads them as it reads shorter ones (2 or 4
// words), because the compare of shorter keys, word by word at offsets
// below 64, cannot cover them: they are compared with ==, and rare enough
// that the branch to them costs nothing.
func (t *keyTable) classes() []lengthClass {
	var out []lengthClass
	for _, c := range lengthClasses {
		if (c.max < 0 || t.minLen <= c.max) && t.maxLen >= c.min {
			out = append(out, c)
		}
	}
	return out
}

// secrets is how many of the hash's secrets the table's lengths use.
func (t *keyTable) secrets() int {
	if t.maxLen < 8 {
		return 2
	}
	return t.tab.Hasher.Words
}

// addKeys builds the perfect hash over the keys and plans its tables:
// the pilots; per length, where its records start and how many slots it
// has (start<<32 | slots, 0 for a length no key has) and where its entries
// start; the entries (value<<8 | the low byte of the key's hash); the
// records; and where each canonical key's record is. A free slot's record
// repeats a key of its length: a lookup that lands on it cannot be that
// key, which hashes elsewhere, so it never matches, whatever the free
// slot's entry.
func (g *gen) addKeys(t *keyTable) error {
	g.keyTables[t.prefix] = t
	if len(t.keys) == 0 {
		// No keys, so no records: String methods, which no valid value
		// reaches, read an empty table of texts.
		g.addText(t.prefix+"Keys", t.prefix+"KeyOff", nil)
		return nil
	}
	tab, err := mph.Build(t.keys)
	if err != nil {
		return fmt.Errorf("golang: %s keys: %w", t.prefix, err)
	}
	t.tab = tab
	t.minLen, t.maxLen = len(t.keys[0]), 0
	top := uint64(0)
	for i, k := range t.keys {
		t.minLen = min(t.minLen, len(k))
		t.maxLen = max(t.maxLen, len(k))
		top = max(top, t.values[i])
	}
	var recs strings.Builder
	runs := make([]uint64, t.maxLen+1)
	bases := make([]uint64, t.maxLen+1)
	entries := make([]uint64, len(tab.Slots))
	for n, run := range tab.Lengths {
		if run.Count == 0 {
			t.gaps = t.gaps || n > t.minLen
			continue
		}
		if uint64(recs.Len()) >= 1<<32 {
			return fmt.Errorf("golang: %s keys are too long to place in a table", t.prefix)
		}
		runs[n] = uint64(recs.Len())<<32 | uint64(run.Count)
		bases[n] = uint64(run.Base)
		slots := tab.Slots[run.Base : run.Base+run.Count]
		filler := -1
		for _, k := range slots {
			if k >= 0 {
				filler = k
				break
			}
		}
		for i, k := range slots {
			if k >= 0 {
				entries[run.Base+i] = t.values[k]<<8 | tab.Hasher.Hash(t.keys[k])&0xff
			} else {
				k = filler
			}
			recs.WriteString(t.keys[k])
		}
	}
	t.recs = recs.String()
	// Where each canonical key's record starts, and the key's length.
	t.lenBits = bits.Len(uint(t.maxLen))
	at := make([]uint64, t.canon)
	for i, k := range t.keys[:t.canon] {
		run := tab.Lengths[len(k)]
		slot := tab.Slot(k) - run.Base
		at[i] = (runs[len(k)]>>32+uint64(slot*len(k)))<<t.lenBits | uint64(len(k))
	}
	g.addOffsets(t.prefix+"KeyAt", at)
	g.texts[t.prefix+"Keys"] = &text{name: t.prefix + "Keys", key: t.prefix + "Key"}
	pilots := make([]uint64, len(tab.Pilots))
	for i, p := range tab.Pilots {
		pilots[i] = uint64(p)
	}
	g.addTable(t.prefix+"Pilots", "uint8", pilots)
	g.addTable(t.prefix+"Runs", "uint64", runs).hex = true
	g.addOffsets(t.prefix+"Bases", bases)
	if top >= 1<<56 {
		return fmt.Errorf("golang: %s values are too large for a table", t.prefix)
	}
	g.addTable(t.prefix+"Slots", sizedType(top<<8|0xff, 16), entries).hex = true
	// The body of the parse function is written now, since it decides
	// which offsets the table of offsets holds.
	offs := g.addTable(t.prefix+"Offs", "uint64", make([]uint64, t.maxLen+1))
	offs.hex = true
	var fields []offsetField
	t.body, fields = g.lookupBody(t)
	if len(fields) == 0 {
		delete(g.tables, t.prefix+"Offs")
		return nil
	}
	for n := max(t.minLen, 8); n <= min(t.maxLen, 64); n++ {
		for i, f := range fields {
			offs.vals[n] |= uint64(f.at(n)) << (8 * i)
		}
	}
	return nil
}

// declareKeys writes a key table's declarations.
func (g *gen) declareKeys(f *jen.File, prefix string) {
	t := g.keyTables[prefix]
	if len(t.keys) == 0 {
		g.declareText(f, prefix+"Keys")
		return
	}
	defs := make([]jen.Code, t.secrets())
	for i := range defs {
		defs[i] = jen.Id(fmt.Sprintf("%sK%d", prefix, i)).Op("=").Id(hex(t.tab.Hasher.K[i]))
	}
	f.Comment(fmt.Sprintf("// The secrets of the %s keys' hash, derived from seed %s.", prefix, hex(t.tab.Seed)))
	f.Const().Defs(defs...)
	g.declare(f, prefix+"Pilots", fmt.Sprintf("%sPilots holds the pilot of each bucket of %s keys.", prefix, prefix))
	g.declare(f, prefix+"Runs", fmt.Sprintf("%sRuns gives, for keys of each length, where their records start in %sRecs (high 32 bits) and how many slots they have (low 32 bits); 0 when no key has the length.", prefix, prefix))
	g.declare(f, prefix+"Bases", fmt.Sprintf("%sBases gives, for keys of each length, where their entries start in %sSlots.", prefix, prefix))
	if g.tables[prefix+"Offs"] != nil {
		g.declare(f, prefix+"Offs", fmt.Sprintf("%sOffs packs, for keys of each length, the offsets of the words their hash and compare read that depend on the length, one a byte.", prefix))
	}
	g.declare(f, prefix+"Slots", fmt.Sprintf("%sSlots holds, per slot, its key's value (above the low 8 bits) and the low 8 bits of its key's hash, 0 for a free slot.", prefix))
	g.rawDecl(f, docConst{
		doc:   doc(fmt.Sprintf("%sRecs holds, per slot, the bytes of its key; a free slot repeats another slot of the same length.", prefix)),
		name:  prefix + "Recs",
		value: t.recs,
	})
	g.declare(f, prefix+"KeyAt", fmt.Sprintf("%sKeyAt gives, for each canonical key in order, where its record starts in %sRecs (above the low %d bits) and its length.", prefix, prefix, t.lenBits))
	f.Comment(fmt.Sprintf("%sKey returns canonical key i, read from its record.", prefix))
	f.Func().Id(prefix+"Key").Params(jen.Id("i").Int()).String().Block(
		jen.Id("e").Op(":=").Add(g.atInt(prefix+"KeyAt", jen.Id("i"))),
		jen.Return(jen.Id(prefix+"Recs").Index(jen.Id("e").Op(">>").Lit(t.lenBits).Op(":").Id("e").Op(">>").Lit(t.lenBits).Op("+").Id("e").Op("&").Id(mask(t.lenBits)))),
	)
}

// docConst is a const string with its doc comment, quoted straight into
// the file: the records of a large catalog are megabytes.
type docConst struct{ doc, name, value string }

func (d docConst) size() int {
	return len(d.doc) + len(d.name) + len(d.value) + len(d.value)/8 + 16
}

func (d docConst) appendTo(b []byte) []byte {
	b = append(b, d.doc...)
	b = append(b, "\nconst "...)
	b = append(b, d.name...)
	b = append(b, " = "...)
	b = strconv.AppendQuote(b, d.value)
	return append(b, '\n')
}

func hex(v uint64) string { return "0x" + strconv.FormatUint(v, 16) }

// atText is element idx (an expression) of a table, as Go source.
func (g *gen) atText(name, idx string) string {
	t := g.tables[name]
	if !t.packed {
		return name + "[" + idx + "]"
	}
	return fmt.Sprintf("read%s(%s, int(%s))", strings.ToUpper(t.elem[:1])+t.elem[1:], name, idx)
}

// lookup is the body of the parse function of a key table, returning
// (typ, bool).
func (g *gen) lookup(prefix, typName string) []jen.Code {
	t := g.keyTables[prefix]
	if len(t.keys) == 0 {
		return []jen.Code{jen.Return(jen.Lit(0), jen.False())}
	}
	return []jen.Code{jen.Op(strings.ReplaceAll(t.body, typ, typName))}
}

// lookupBody writes the body of a parse function, and reports the offsets
// it reads from the table of offsets. Keys of a length no key has are
// rejected first. Then the key is hashed exactly as mph.Hasher.Hash does,
// with the word reads of its length class unrolled, and its slot found
// (see addKeys): the bucket's pilot turns the hash into a slot among those
// of the key's length. The slot's entry rejects most keys that are not in
// the table by its fingerprint; the others are compared with the slot's
// record word by word, over the words the hash read and as many more as
// cover the key, which costs a few loads instead of a call to the
// runtime's memequal.
func (g *gen) lookupBody(t *keyTable) (string, []offsetField) {
	var b strings.Builder
	line := func(format string, args ...any) {
		fmt.Fprintf(&b, format, args...)
		b.WriteByte('\n')
	}
	line("n := len(key)")
	if t.minLen > 0 {
		line("if n < %d || n > %d {", t.minLen, t.maxLen)
	} else {
		line("if n > %d {", t.maxLen)
	}
	line("return 0, false")
	line("}")
	classes := t.classes()
	var fields []offsetField
	if len(classes) == 1 {
		fields = g.lookupClass(line, t, classes[0])
	} else {
		line("switch {")
		for i, c := range classes {
			if i == len(classes)-1 {
				line("default:")
			} else {
				line("case %s:", c.cond)
			}
			fields = append(fields, g.lookupClass(line, t, c)...)
		}
		line("}")
	}
	return strings.TrimSuffix(b.String(), "\n"), fields
}

// lookupClass writes the lookup of keys of one length class, ending in a
// return, and reports the offsets it reads from the table of offsets.
func (g *gen) lookupClass(line func(string, ...any), t *keyTable, c lengthClass) []offsetField {
	k := func(i int) string { return fmt.Sprintf("%sK%d", t.prefix, i) }
	lo, hi := max(t.minLen, c.min), t.maxLen
	if c.max >= 0 {
		hi = min(hi, c.max)
	}
	nw := t.tab.Hasher.Words
	var cmp string
	var o *offsets
	// The compare's own offsets are computed after the entry is checked,
	// where misses no longer need them, and where they keep no register
	// busy while the hash and the slot are computed.
	var cmpLines []string
	later := func(format string, args ...any) { cmpLines = append(cmpLines, fmt.Sprintf(format, args...)) }
	switch {
	case c.min == 65 && nw == 8:
		line("acc := uint64(%s)", k(7))
		line("i := 0")
		line("for ; n-i > 32; i += 32 {")
		line("acc = mix(acc^word(key, i)^%s, word(key, i+8)^%s) ^ mix(word(key, i+16)^%s, word(key, i+24)^%s)", k(0), k(1), k(2), k(3))
		line("}")
		line("h := acc ^ mix(word(key, n-32)^%s, word(key, n-24)^%s) ^ mix(word(key, n-16)^%s, word(key, n-8)^%s) ^ uint64(n)*lenMul", k(4), k(5), k(6), k(7))
		cmp = "s != key"
	case c.min >= 8:
		// The offsets of mph.Hasher.Hash, simplified where the lengths
		// of the table decide a min or a max.
		o = &offsets{lo: lo, hi: hi, atText: g.atText(t.prefix+"Offs", "n")}
		var hashed []string
		switch nw {
		case 2:
			hashed = []string{"0", "n - 8"}
		case 4:
			hashed = []string{"0", o.min(8), o.max(16), "n - 8"}
		default:
			hashed = []string{"0", o.min(8), o.min(16), o.min(24), o.max(32), o.max(24), o.max(16), "n - 8"}
		}
		words := map[string]string{}
		for _, off := range hashed {
			if _, ok := words[off]; !ok {
				words[off] = fmt.Sprintf("w%d", len(words))
				line("%s := word(key, %s)", words[off], o.name(line, off))
			}
		}
		var lanes []string
		for i := 0; i < len(hashed); i += 2 {
			lanes = append(lanes, fmt.Sprintf("mix(%s^%s, %s^%s)", words[hashed[i]], k(i), words[hashed[i+1]], k(i+1)))
		}
		line("h := %s ^ uint64(n)*lenMul", strings.Join(lanes, " ^ "))
		if hi > 64 {
			cmp = "s != key"
			break
		}
		// The compare must cover every byte, which the hash's words do
		// only up to 4*words bytes.
		compared := hashed
		if hi > 16 && nw < 4 {
			compared = append(compared, o.min(8), o.max(16))
		}
		if hi > 32 && nw < 8 {
			compared = append(compared, o.min(16), o.min(24), o.max(32), o.max(24))
		}
		cmp = o.compare(later, compared, words)
	case c.min == 4:
		line("h := mix((word32(key, 0)<<32|word32(key, n-4))^%s, %s) ^ uint64(n)*lenMul", k(0), k(1))
		cmp = "word32(s, 0) != word32(key, 0) || word32(s, n-4) != word32(key, n-4)"
	case c.min == 1:
		line("h := mix((uint64(key[0])<<16|uint64(key[n>>1])<<8|uint64(key[n-1]))^%s, %s) ^ uint64(n)*lenMul", k(0), k(1))
		cmp = "s[0] != key[0] || s[n>>1] != key[n>>1] || s[n-1] != key[n-1]"
	default:
		line("h := mix(%s, %s)", k(0), k(1))
	}

	// reduce spreads the pilot-perturbed hash over the slots of the key's
	// length; the entry and the record are both found from the slot.
	line("run := %s", g.atText(t.prefix+"Runs", "n"))
	if t.gaps {
		line("if run == 0 {")
		line("return 0, false")
		line("}")
	}
	pilot := g.atText(t.prefix+"Pilots", fmt.Sprintf("h>>%d", 64-t.tab.BucketBits))
	line("slot := int(reduce(h*slotMul^uint64(%s)*pilotMul, run&0xffffffff))", pilot)
	line("e := %s", g.atText(t.prefix+"Slots", fmt.Sprintf("int(%s)+slot", g.atText(t.prefix+"Bases", "n"))))
	if cmp == "" {
		line("return %s(e >> 8), true", typ)
		return nil
	}
	line("if uint8(e) != uint8(h) {")
	line("return 0, false")
	line("}")
	line("r := int(run>>32) + slot*n")
	line("s := %sRecs[r : r+n]", t.prefix)
	for _, l := range cmpLines {
		line("%s", l)
	}
	line("if %s {", cmp)
	line("return 0, false")
	line("}")
	line("return %s(e >> 8), true", typ)
	if o == nil {
		return nil
	}
	return o.fields
}

// offsets writes the word offsets of keys of lengths lo to hi (at most 64)
// as simply as those lengths allow. An offset that depends on the length,
// through a min or a max, is read from a table holding every such offset
// for each length, a byte each in one word (at) read once: two
// instructions per offset instead of the six of a branch-free min or max
// (the compiler turns min and max themselves into branches, which keys of
// mixed lengths would mispredict).
type offsets struct {
	lo, hi int
	atText string // reads the word of the key's length
	// fields are the offsets in the word, in the order of their bytes.
	fields []offsetField
	vars   map[string]string // the variable holding each offset read
}

// offsetField is an offset that depends on the length: min(c, n-8), or
// max(n-c, 0).
type offsetField struct {
	min bool
	c   int
}

func (f offsetField) at(n int) int {
	if f.min {
		return min(f.c, n-8)
	}
	return max(n-f.c, 0)
}

func (f offsetField) String() string {
	if f.min {
		return fmt.Sprintf("min(%d, n-8)", f.c)
	}
	return fmt.Sprintf("max(n-%d, 0)", f.c)
}

// min is the offset min(c, n-8).
func (o *offsets) min(c int) string {
	switch {
	case c <= o.lo-8:
		return strconv.Itoa(c)
	case c >= o.hi-8:
		return "n - 8"
	}
	return o.field(offsetField{true, c})
}

// max is the offset max(n-c, 0).
func (o *offsets) max(c int) string {
	switch {
	case o.lo-c >= 0:
		return fmt.Sprintf("n - %d", c)
	case o.hi-c <= 0:
		return "0"
	}
	return o.field(offsetField{false, c})
}

// field is the expression of an offset read from the table, masked with
// 63: the mask tells the compiler the offset is small, so the bounds check
// of a word of key at it is one compare, and the word of the stored key,
// as long as key, at the same offset needs none.
func (o *offsets) field(f offsetField) string {
	i := slices.Index(o.fields, f)
	if i < 0 {
		i = len(o.fields)
		o.fields = append(o.fields, f)
	}
	if i == 0 {
		return "int(at) & 63"
	}
	return fmt.Sprintf("int(at>>%d) & 63", 8*i)
}

// name is how code refers to an offset: itself when it does not depend on
// the length, else a variable declared the first time it is needed (after
// the table's word, the first time any is).
func (o *offsets) name(line func(string, ...any), off string) string {
	i := slices.IndexFunc(o.fields, func(f offsetField) bool { return o.field(f) == off })
	if i < 0 {
		return off
	}
	if o.vars == nil {
		o.vars = map[string]string{}
		line("at := %s", o.atText)
	}
	v, ok := o.vars[off]
	if !ok {
		v = fmt.Sprintf("o%d", len(o.vars)+1)
		o.vars[off] = v
		line("%s := %s // %s", v, off, o.fields[i])
	}
	return v
}

// compare is the condition that the stored key s differs from key in a
// word at one of the offsets: the words of key the hash read, xored with
// s's and ored together, so the whole compare is one branch.
func (o *offsets) compare(line func(string, ...any), offs []string, words map[string]string) string {
	var diffs []string
	seen := map[string]bool{}
	for _, off := range offs {
		if seen[off] {
			continue
		}
		seen[off] = true
		at := o.name(line, off)
		w := words[off]
		if w == "" {
			w = fmt.Sprintf("word(key, %s)", at)
		}
		diffs = append(diffs, fmt.Sprintf("(word(s, %s)^%s)", at, w))
	}
	return strings.Join(diffs, "|") + " != 0"
}

// hashUse is which hash helpers the package's key tables need.
func (g *gen) hashUse() (any, word, word32 bool) {
	for _, t := range g.keyTables {
		if len(t.keys) == 0 {
			continue
		}
		any = true
		for _, c := range t.classes() {
			word = word || c.min >= 8
			word32 = word32 || c.min == 4
		}
	}
	return any, word, word32
}

// emitHash writes what every parse function's hash is built from. The
// lookups must compute exactly mph.Hasher.Hash and mph.Table.SlotOf; the
// end-to-end tests prove it by parsing every key of generated packages.
func (g *gen) emitHash(f *jen.File) {
	any, word, word32 := g.hashUse()
	if !any {
		return
	}
	f.Comment(doc("The perfect hash's constants, fixed by permcat's generator/mph: lenMul mixes a key's length into its hash; the key's slot among those of its length is taken from the hash remixed by slotMul, xored with the pilot of its bucket spread over 64 bits by pilotMul."))
	f.Const().Defs(
		jen.Id("lenMul").Op("=").Id(hex(mph.LenMul)),
		jen.Id("pilotMul").Op("=").Id(hex(mph.PilotMul)),
		jen.Id("slotMul").Op("=").Id(hex(mph.SlotMul)),
	)

	f.Comment(doc("mix folds the 128-bit product of a and b into 64 bits."))
	f.Func().Id("mix").Params(jen.List(jen.Id("a"), jen.Id("b")).Uint64()).Uint64().Block(
		jen.List(jen.Id("hi"), jen.Id("lo")).Op(":=").Qual("math/bits", "Mul64").Call(jen.Id("a"), jen.Id("b")),
		jen.Return(jen.Id("hi").Op("^").Id("lo")),
	)
	f.Comment(doc("reduce maps x to [0, n): the high word of the 128-bit product x*n."))
	f.Func().Id("reduce").Params(jen.List(jen.Id("x"), jen.Id("n")).Uint64()).Uint64().Block(
		jen.List(jen.Id("hi"), jen.Id("_")).Op(":=").Qual("math/bits", "Mul64").Call(jen.Id("x"), jen.Id("n")),
		jen.Return(jen.Id("hi")),
	)
	if word {
		f.Comment(doc("word reads the 8 bytes of s at i as a little-endian integer; the compiler makes it one load."))
		f.Func().Id("word").Params(jen.Id("s").String(), jen.Id("i").Int()).Uint64().Block(
			jen.Op("s = s[i : i+8]\nreturn uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |\nuint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56"),
		)
	}
	if word32 {
		f.Comment(doc("word32 reads the 4 bytes of s at i as a little-endian integer."))
		f.Func().Id("word32").Params(jen.Id("s").String(), jen.Id("i").Int()).Uint64().Block(
			jen.Op("s = s[i : i+4]\nreturn uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24"),
		)
	}
}

func mask(n int) string {
	return "0x" + strconv.FormatUint(1<<n-1, 16)
}

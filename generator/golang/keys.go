package golang

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/permcat/permcat/generator/mph"
)

// keyTable is a set of keys parsed with a generated perfect hash. keys
// holds the canonical keys first (their offsets are a table too, so String
// methods share the same const string), then any former keys.
type keyTable struct {
	prefix string   // of every declared name: "perm" gives permKeys, permSlots…
	keys   []string // canonical keys, then former keys
	canon  int      // how many of keys are canonical
	values []uint64 // what each key parses to
	all    string
	tab    *mph.Table

	minLen, maxLen   int
	offBits, lenBits int
}

// A length class is a range of key lengths the hash reads the same way
// (see mph.Hasher.Hash). Parse functions handle each class their keys fall
// in with straight-line code, switching on the length only when keys fall
// in more than one.
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
// between, longest first. A hash of 2 or 4 words reads keys of 8 bytes and
// more alike, so they are one class.
func (t *keyTable) classes() []lengthClass {
	var out []lengthClass
	for _, c := range lengthClasses {
		if c.min == 65 && t.tab.Hasher.Words < 8 {
			continue
		}
		if c.min == 8 && t.tab.Hasher.Words < 8 {
			c.max = -1
		}
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

// addKeys builds the perfect hash over the keys and plans its tables. Each
// slot packs its key's offset, length and value into one integer, so a
// lookup reads one entry and compares one key; the value is known before
// the compare, so code waiting on it need not wait for the key's bytes. A
// free slot holds a length no key has, so it never matches.
func (g *gen) addKeys(t *keyTable) error {
	all, off := stringTable(t.keys)
	t.all = all
	g.addOffsets(t.prefix+"KeyOff", off[:t.canon+1])
	g.texts[t.prefix+"Keys"] = &text{name: t.prefix + "Keys", off: t.prefix + "KeyOff", all: all}
	g.keyTables[t.prefix] = t
	if len(t.keys) == 0 {
		return nil
	}
	tab, err := mph.Build(t.keys)
	if err != nil {
		return fmt.Errorf("golang: %s keys: %w", t.prefix, err)
	}
	t.tab = tab
	t.minLen = len(t.keys[0])
	valBits := 0
	for i, k := range t.keys {
		t.minLen = min(t.minLen, len(k))
		t.maxLen = max(t.maxLen, len(k))
		valBits = max(valBits, bits.Len64(t.values[i]))
	}
	t.offBits, t.lenBits = bits.Len(uint(len(all))), bits.Len(uint(t.maxLen+1))
	width := t.offBits + t.lenBits + valBits
	if width > 64 {
		return fmt.Errorf("golang: %s keys are too long to pack into a table", t.prefix)
	}
	slots := make([]uint64, len(tab.Slots))
	free := uint64(t.maxLen+1) << t.offBits
	for s, k := range tab.Slots {
		if k < 0 {
			slots[s] = free
			continue
		}
		slots[s] = off[k] | uint64(len(t.keys[k]))<<t.offBits | t.values[k]<<(t.offBits+t.lenBits)
	}
	if !tab.Direct() {
		pilots := make([]uint64, len(tab.Pilots))
		for i, p := range tab.Pilots {
			pilots[i] = uint64(p)
		}
		g.addOffsets(t.prefix+"Pilots", pilots)
	}
	elem := "uint64"
	if width <= 32 {
		elem = "uint32"
	}
	g.addTable(t.prefix+"Slots", elem, slots).hex = true
	return nil
}

// declareKeys writes a key table's declarations.
func (g *gen) declareKeys(f *jen.File, prefix string) {
	t := g.keyTables[prefix]
	g.raw(f, fmt.Sprintf("// %sKeys holds every key: the canonical ones (%sKeyOff gives their\n// bounds) and then former keys, which parse but never print.\nconst %sKeys = %s\n", prefix, prefix, prefix, strconv.Quote(t.all)))
	g.declare(f, prefix+"KeyOff", "")
	if len(t.keys) == 0 {
		return
	}
	defs := make([]jen.Code, t.secrets())
	for i := range defs {
		defs[i] = jen.Id(fmt.Sprintf("%sK%d", prefix, i)).Op("=").Id(hex(t.tab.Hasher.K[i]))
	}
	f.Comment(fmt.Sprintf("// The secrets of the %s keys' hash, derived from seed %s.", prefix, hex(t.tab.Seed)))
	f.Const().Defs(defs...)
	if !t.tab.Direct() {
		g.declare(f, prefix+"Pilots", "")
	}
	g.declare(f, prefix+"Slots", fmt.Sprintf("%sSlots packs, per slot, a key's offset in %sKeys (%d bits), its length (%d bits) and its value.", prefix, prefix, t.offBits, t.lenBits))
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

// lookup is the body of a parse function returning (typ, bool). Keys of a
// length no key has are rejected first. Then the key is hashed exactly as
// mph.Hasher.Hash does, with the word reads of its length class unrolled,
// the slot found (straight from the hash, or through its bucket's pilot)
// and the entry's length checked. Last the key is compared with the one
// stored, word by word over the words the hash read, which costs a few
// loads instead of a call to the runtime's memequal.
func (g *gen) lookup(prefix, typ string) []jen.Code {
	t := g.keyTables[prefix]
	if len(t.keys) == 0 {
		return []jen.Code{jen.Return(jen.Lit(0), jen.False())}
	}
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
	if len(classes) == 1 {
		g.lookupClass(line, t, typ, classes[0])
	} else {
		line("switch {")
		for i, c := range classes {
			if i == len(classes)-1 {
				line("default:")
			} else {
				line("case %s:", c.cond)
			}
			g.lookupClass(line, t, typ, c)
		}
		line("}")
	}
	return []jen.Code{jen.Op(strings.TrimSuffix(b.String(), "\n"))}
}

// lookupClass writes the lookup of keys of one length class, ending in a
// return.
func (g *gen) lookupClass(line func(string, ...any), t *keyTable, typ string, c lengthClass) {
	k := func(i int) string { return fmt.Sprintf("%sK%d", t.prefix, i) }
	lo, hi := max(t.minLen, c.min), t.maxLen
	if c.max >= 0 {
		hi = min(hi, c.max)
	}
	var cmp string
	switch c.min {
	case 65:
		line("acc := uint64(%s)", k(7))
		line("i := 0")
		line("for ; n-i > 32; i += 32 {")
		line("acc = mix(acc^word(key, i)^%s, word(key, i+8)^%s) ^ mix(word(key, i+16)^%s, word(key, i+24)^%s)", k(0), k(1), k(2), k(3))
		line("}")
		line("h := acc ^ mix(word(key, n-32)^%s, word(key, n-24)^%s) ^ mix(word(key, n-16)^%s, word(key, n-8)^%s) ^ uint64(n)*lenMul", k(4), k(5), k(6), k(7))
		cmp = "s != key"
	case 8:
		// The offsets of mph.Hasher.Hash, simplified where the lengths
		// of the table decide a min or a max.
		o := offsets{lo: lo, hi: hi}
		var hashed []string
		nw := t.tab.Hasher.Words
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
		// The compare must cover every byte, which the hash's words do
		// only up to 4*words bytes.
		compared := hashed
		if hi > 16 && nw < 4 {
			compared = append(compared, o.min(8), o.max(16))
		}
		if hi > 32 && nw < 8 {
			compared = append(compared, o.min(16), o.min(24), o.max(32), o.max(24))
		}
		if hi > 64 {
			cmp = "s != key"
		}
		if cmp == "" {
			cmp = o.compare(line, compared, words)
		}
	case 4:
		line("h := mix((word32(key, 0)<<32|word32(key, n-4))^%s, %s) ^ uint64(n)*lenMul", k(0), k(1))
		cmp = "word32(s, 0) != word32(key, 0) || word32(s, n-4) != word32(key, n-4)"
	case 1:
		line("h := mix((uint64(key[0])<<16|uint64(key[n>>1])<<8|uint64(key[n-1]))^%s, %s) ^ uint64(n)*lenMul", k(0), k(1))
		cmp = "s[0] != key[0] || s[n>>1] != key[n>>1] || s[n-1] != key[n-1]"
	case 0:
		line("h := mix(%s, %s)", k(0), k(1))
	}

	slotShift := 64 - t.tab.SlotBits
	if t.tab.Direct() {
		line("e := %s", g.atText(t.prefix+"Slots", fmt.Sprintf("h>>%d", slotShift)))
	} else {
		pilot := g.atText(t.prefix+"Pilots", fmt.Sprintf("h>>%d", 64-t.tab.BucketBits))
		line("e := %s", g.atText(t.prefix+"Slots", fmt.Sprintf("h*(slotMul^uint64(%s))>>%d", pilot, slotShift)))
	}
	line("if int(e>>%d&%s) != n {", t.offBits, mask(t.lenBits))
	line("return 0, false")
	line("}")
	if cmp == "" {
		// The empty key: the length check was the compare.
		line("return %s(e>>%d), true", typ, t.offBits+t.lenBits)
		return
	}
	line("s := %sKeys[e&%s:][:n]", t.prefix, mask(t.offBits))
	line("if %s {", cmp)
	line("return 0, false")
	line("}")
	line("return %s(e>>%d), true", typ, t.offBits+t.lenBits)
}

// offsets writes the word offsets of keys of lengths lo to hi as simply as
// those lengths allow. Where an offset depends on the length through a min
// or a max it is computed once, into a variable, with a sign mask: the
// compiler turns min and max into branches, which keys of mixed lengths
// would mispredict.
type offsets struct {
	lo, hi  int
	vars    map[string]string
	meaning map[string]string // what a computed offset is, for a comment
}

// min is the offset min(c, n-8).
func (o *offsets) min(c int) string {
	switch {
	case c <= o.lo-8:
		return strconv.Itoa(c)
	case c >= o.hi-8:
		return "n - 8"
	}
	return o.bound(fmt.Sprintf("n - 8 + (%d-(n-8))&((%d-(n-8))>>63)", c, c), fmt.Sprintf("min(%d, n-8)", c))
}

// max is the offset max(n-c, 0).
func (o *offsets) max(c int) string {
	switch {
	case o.lo-c >= 0:
		return fmt.Sprintf("n - %d", c)
	case o.hi-c <= 0:
		return "0"
	}
	return o.bound(fmt.Sprintf("(n - %d) &^ ((n - %d) >> 63)", c, c), fmt.Sprintf("max(n-%d, 0)", c))
}

// bound masks a computed offset with 63 when offsets stay below 64 anyway.
// The mask tells the compiler the offset is small, so the bounds check of
// a word of key at it is one compare, and the word of the stored key, as
// long as key, at the same offset needs none.
func (o *offsets) bound(off, meaning string) string {
	if o.hi <= 64 {
		off = "(" + off + ") & 63"
	}
	if o.meaning == nil {
		o.meaning = map[string]string{}
	}
	o.meaning[off] = meaning
	return off
}

// name is how code refers to an offset: itself when it is simple, else a
// variable declared the first time it is needed.
func (o *offsets) name(line func(string, ...any), off string) string {
	if !strings.Contains(off, ">>") {
		return off
	}
	if o.vars == nil {
		o.vars = map[string]string{}
	}
	v, ok := o.vars[off]
	if !ok {
		v = fmt.Sprintf("o%d", len(o.vars)+1)
		o.vars[off] = v
		line("%s := %s // %s", v, off, o.meaning[off])
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
func (g *gen) hashUse() (any, word, word32, pilots bool) {
	for _, t := range g.keyTables {
		if len(t.keys) == 0 {
			continue
		}
		any = true
		pilots = pilots || !t.tab.Direct()
		for _, c := range t.classes() {
			word = word || c.min >= 8
			word32 = word32 || c.min == 4
		}
	}
	return any, word, word32, pilots
}

// emitHash writes what every parse function's hash is built from. The
// lookups must compute exactly mph.Hasher.Hash and mph.Table.SlotOf; the
// end-to-end tests prove it by parsing every key of generated packages.
func (g *gen) emitHash(f *jen.File) {
	any, word, word32, pilots := g.hashUse()
	if !any {
		return
	}
	comment := "The perfect hash's constants, fixed by permcat's generator/mph: lenMul mixes a key's length into its hash"
	if pilots {
		comment += ", and a bucket's pilot perturbs slotMul to move the bucket's keys to free slots"
	}
	f.Comment(doc(comment + "."))
	defs := []jen.Code{jen.Id("lenMul").Op("=").Id(hex(mph.LenMul))}
	if pilots {
		defs = append(defs, jen.Id("slotMul").Op("=").Id(hex(mph.SlotMul)))
	}
	f.Const().Defs(defs...)

	f.Comment(doc("mix folds the 128-bit product of a and b into 64 bits."))
	f.Func().Id("mix").Params(jen.List(jen.Id("a"), jen.Id("b")).Uint64()).Uint64().Block(
		jen.List(jen.Id("hi"), jen.Id("lo")).Op(":=").Qual("math/bits", "Mul64").Call(jen.Id("a"), jen.Id("b")),
		jen.Return(jen.Id("hi").Op("^").Id("lo")),
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

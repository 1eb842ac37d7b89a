package golang

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/permcat/permcat/generator/mph"
)

// Generated lookup data is only ever const strings and integer tables: they
// compile to static data (no init work), where maps or composite literals
// of structs would need code or reflection-heavy type checking.
//
// An integer table is an array literal while it is small, so the tables of
// an ordinary catalog read like stringer's. Past packThreshold elements it
// becomes a const string of fixed-width little-endian integers instead: the
// compiler type-checks every element of an array literal (about half a
// second per 100k elements) but reads a string constant in one go, which is
// what keeps a 100k-permission package fast to build.
const packThreshold = 1024

// table is one integer table of the generated code.
type table struct {
	name   string
	elem   string // Go type of an element as read: "uint16", "Permission", …
	vals   []uint64
	width  int  // bytes per element
	packed bool // a const string rather than an array
	hex    bool // bit words: written in hex while an array
}

// addTable plans an integer table; elem is a uintN type or one of the
// generated integer types.
func (g *gen) addTable(name, elem string, vals []uint64) *table {
	t := &table{name: name, elem: elem, vals: vals, width: g.widthOf(elem)}
	t.packed = g.packAll || len(vals) > packThreshold
	g.tables[name] = t
	return t
}

// addOffsets plans a table of offsets, as narrow as its largest value allows.
func (g *gen) addOffsets(name string, vals []uint64) *table {
	top := uint64(0)
	for _, v := range vals {
		top = max(top, v)
	}
	return g.addTable(name, sizedType(top, 8), vals)
}

func (g *gen) widthOf(elem string) int {
	switch elem {
	case "Permission":
		elem = g.permType
	case "Group":
		elem = g.groupType
	case "Role":
		elem = g.roleType
	case "Profile":
		elem = g.profileType
	case "Scope":
		elem = g.scopeType
	}
	n, err := strconv.Atoi(strings.TrimPrefix(elem, "uint"))
	if err != nil {
		panic("golang: table element type " + elem + " is not a sized unsigned integer")
	}
	return n / 8
}

// at reads element i (an int expression) of a table.
func (g *gen) at(name string, i jen.Code) *jen.Statement {
	t := g.tables[name]
	if t == nil {
		panic("golang: no table " + name)
	}
	if !t.packed {
		return jen.Id(name).Index(i)
	}
	reader := fmt.Sprintf("uint%d", t.width*8)
	call := jen.Id("read"+strings.ToUpper(reader[:1])+reader[1:]).Call(jen.Id(name), i)
	if t.elem == reader {
		return call
	}
	return jen.Id(t.elem).Call(call)
}

// atInt reads element i of a table as an int.
func (g *gen) atInt(name string, i jen.Code) *jen.Statement {
	return jen.Int().Call(g.at(name, i))
}

// declare writes a planned table's declaration, under comment (which may
// be empty).
func (g *gen) declare(f *jen.File, name, comment string) {
	t := g.tables[name]
	if t.packed {
		note := fmt.Sprintf("%s holds %d %s values as %d-byte little-endian integers.", name, len(t.vals), t.elem, t.width)
		if comment != "" {
			comment += "\n\n"
		}
		comment += note
	}
	if comment != "" {
		f.Comment(doc(comment))
	}
	if t.packed {
		var b strings.Builder
		b.Grow(2 + 4*t.width*len(t.vals))
		b.WriteByte('"')
		const hexDigits = "0123456789abcdef"
		for _, v := range t.vals {
			for k := 0; k < t.width; k++ {
				c := byte(v >> (8 * k))
				b.WriteString(`\x`)
				b.WriteByte(hexDigits[c>>4])
				b.WriteByte(hexDigits[c&15])
			}
		}
		b.WriteByte('"')
		f.Const().Id(name).Op("=").Id(b.String())
		return
	}
	items := make([]jen.Code, len(t.vals))
	for i, v := range t.vals {
		if t.hex {
			items[i] = jen.Id("0x" + strconv.FormatUint(v, 16))
		} else {
			items[i] = jen.Id(strconv.FormatUint(v, 10))
		}
	}
	f.Var().Id(name).Op("=").Index(jen.Lit(len(t.vals))).Id(t.elem).Values(items...)
}

// emitReaders writes the functions that read packed tables, for the widths
// some table of this package uses.
func (g *gen) emitReaders(f *jen.File) {
	used := map[int]bool{}
	for _, t := range g.tables {
		if t.packed {
			used[t.width] = true
		}
	}
	for _, w := range []int{1, 2, 4, 8} {
		if !used[w] {
			continue
		}
		typ := fmt.Sprintf("uint%d", w*8)
		name := "read" + strings.ToUpper(typ[:1]) + typ[1:]
		var expr *jen.Statement
		for k := 0; k < w; k++ {
			b := jen.Id(typ).Call(jen.Id("s").Index(jen.Id("i").Op("+").Lit(k)))
			if k == 0 {
				b = jen.Id(typ).Call(jen.Id("s").Index(jen.Id("i")))
			}
			if k > 0 {
				b = b.Op("<<").Lit(8 * k)
			}
			if expr == nil {
				expr = b
			} else {
				expr = expr.Op("|").Add(b)
			}
		}
		f.Commentf("// %s returns element i of a table packed as %d-byte little-endian integers.", name, w)
		body := []jen.Code{}
		if w > 1 {
			body = append(body, jen.Id("i").Op("*=").Lit(w))
		}
		body = append(body, jen.Return(expr))
		f.Func().Id(name).Params(jen.Id("s").String(), jen.Id("i").Int()).Id(typ).Block(body...)
	}
}

// stringTable concatenates strs and returns the offsets at which each one
// starts, plus a final offset at the end: string i is all[off[i]:off[i+1]].
func stringTable(strs []string) (all string, off []uint64) {
	var b strings.Builder
	off = make([]uint64, 0, len(strs)+1)
	for _, s := range strs {
		off = append(off, uint64(b.Len()))
		b.WriteString(s)
	}
	off = append(off, uint64(b.Len()))
	return b.String(), off
}

// text is a const string of concatenated texts and its offset table, the
// stringer way.
type text struct {
	name, off string
	all       string
}

func (g *gen) addText(name, offName string, strs []string) *text {
	all, off := stringTable(strs)
	g.addOffsets(offName, off)
	t := &text{name: name, off: offName, all: all}
	g.texts[name] = t
	return t
}

func (g *gen) declareText(f *jen.File, name string) {
	t := g.texts[name]
	f.Const().Id(name).Op("=").Lit(t.all)
	g.declare(f, t.off, "")
}

// textAt is text i (an int expression) of a text table: name[off[i]:off[i+1]].
func (g *gen) textAt(name string, i jen.Code) *jen.Statement {
	return g.textBetween(name, i, jen.Add(i).Op("+").Lit(1))
}

// textBetween is name[off[i]:off[next]], where next is i+1 written as the
// caller finds clearest.
func (g *gen) textBetween(name string, i, next jen.Code) *jen.Statement {
	t := g.texts[name]
	return jen.Id(name).Index(g.at(t.off, i).Op(":").Add(g.at(t.off, next)))
}

// addList plans, for one list per element, an offset table and the
// flattened list: element i's list is list[off[i]:off[i+1]].
func (g *gen) addList(offName, listName, elem string, lists [][]uint64) {
	var flat []uint64
	off := make([]uint64, 0, len(lists)+1)
	for _, l := range lists {
		off = append(off, uint64(len(flat)))
		flat = append(flat, l...)
	}
	off = append(off, uint64(len(flat)))
	g.addOffsets(offName, off)
	g.addTable(listName, elem, flat)
}

// keyTable is a set of keys parsed with a generated perfect hash. keys
// holds the canonical keys first (their offsets are a table too, so String
// methods share the same const string), then any former keys.
type keyTable struct {
	prefix  string   // of every declared name: "perm" gives permKeys, permSeed…
	keys    []string // canonical keys, then former keys
	canon   int      // how many of keys are canonical
	values  []uint64 // what each key parses to
	all     string
	seed    uint64
	offBits int
	lenBits int
}

// addKeys builds the perfect hash over the keys and plans its tables. Each
// slot packs its key's offset, length and value into one uint64, so a
// lookup reads one word and compares one string.
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
	maxLen, valBits := 0, 0
	for i, k := range t.keys {
		maxLen = max(maxLen, len(k))
		valBits = max(valBits, bits.Len64(t.values[i]))
	}
	t.offBits, t.lenBits = bits.Len(uint(len(all))), bits.Len(uint(maxLen))
	if t.offBits+t.lenBits+valBits > 64 {
		return fmt.Errorf("golang: %s keys are too long to pack into a table", t.prefix)
	}
	slots := make([]uint64, len(tab.Slots))
	for s, k := range tab.Slots {
		slots[s] = off[k] | uint64(len(t.keys[k]))<<t.offBits | t.values[k]<<(t.offBits+t.lenBits)
	}
	pilots := make([]uint64, len(tab.Pilots))
	for i, p := range tab.Pilots {
		pilots[i] = uint64(p)
	}
	t.seed = tab.Seed
	g.addOffsets(t.prefix+"Pilots", pilots)
	g.addTable(t.prefix+"Slots", "uint64", slots).hex = true
	return nil
}

// declareKeys writes a key table's declarations.
func (g *gen) declareKeys(f *jen.File, prefix string) {
	t := g.keyTables[prefix]
	f.Commentf("// %sKeys holds every key: the canonical ones (%sKeyOff gives their\n// bounds) and then former keys, which parse but never print.", prefix, prefix)
	f.Const().Id(prefix + "Keys").Op("=").Lit(t.all)
	g.declare(f, prefix+"KeyOff", "")
	if len(t.keys) == 0 {
		return
	}
	f.Const().Id(prefix + "Seed").Op("=").Id("0x" + strconv.FormatUint(t.seed, 16))
	g.declare(f, prefix+"Pilots", "")
	g.declare(f, prefix+"Slots", "")
}

// lookup is the body of a parse function returning (typ, bool): hash, find
// the slot, check the length, compare once. Zero keys parse nothing.
func (g *gen) lookup(prefix, typ string) []jen.Code {
	t := g.keyTables[prefix]
	if len(t.keys) == 0 {
		return []jen.Code{jen.Return(jen.Lit(0), jen.False())}
	}
	pilots, slots := g.tables[prefix+"Pilots"], g.tables[prefix+"Slots"]
	bucket := jen.Id("mphBucket").Call(jen.Id("h"), jen.Lit(len(pilots.vals)))
	slot := jen.Id("mphSlot").Call(jen.Id("h"), jen.Uint64().Call(g.at(prefix+"Pilots", jen.Int().Call(bucket))), jen.Lit(len(slots.vals)))
	return []jen.Code{
		jen.Id("h").Op(":=").Id("hashKey").Call(jen.Id(prefix+"Seed"), jen.Id("key")),
		jen.Id("e").Op(":=").Add(g.at(prefix+"Slots", jen.Int().Call(slot))),
		jen.List(jen.Id("off"), jen.Id("n")).Op(":=").List(
			jen.Id("e").Op("&").Id(mask(t.offBits)),
			jen.Id("e").Op(">>").Lit(t.offBits).Op("&").Id(mask(t.lenBits)),
		),
		jen.If(jen.Id("uint64").Call(jen.Len(jen.Id("key"))).Op("!=").Id("n").Op("||").
			Id(prefix + "Keys").Index(jen.Id("off").Op(":").Id("off").Op("+").Id("n")).Op("!=").Id("key")).Block(
			jen.Return(jen.Lit(0), jen.False()),
		),
		jen.Return(jen.Id(typ).Call(jen.Id("e").Op(">>").Lit(t.offBits+t.lenBits)), jen.True()),
	}
}

func mask(n int) string {
	return "0x" + strconv.FormatUint(1<<n-1, 16)
}

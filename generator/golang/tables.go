package golang

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"
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
	var b strings.Builder
	if comment != "" {
		b.WriteString(doc(comment))
		b.WriteByte('\n')
	}
	if t.packed {
		b.Grow(b.Len() + 16 + len(name) + 4*t.width*len(t.vals))
		b.WriteString("const " + name + " = \"")
		const hexDigits = "0123456789abcdef"
		for _, v := range t.vals {
			for k := 0; k < t.width; k++ {
				c := byte(v >> (8 * k))
				b.WriteString(`\x`)
				b.WriteByte(hexDigits[c>>4])
				b.WriteByte(hexDigits[c&15])
			}
		}
		b.WriteString("\"\n")
		g.raw(f, b.String())
		return
	}
	fmt.Fprintf(&b, "var %s = [%d]%s{", name, len(t.vals), t.elem)
	for i, v := range t.vals {
		if i > 0 {
			b.WriteString(", ")
		}
		if t.hex {
			b.WriteString("0x" + strconv.FormatUint(v, 16))
		} else {
			b.WriteString(strconv.FormatUint(v, 10))
		}
	}
	b.WriteString("}\n")
	g.raw(f, b.String())
}

// emitReaders writes the functions that read packed tables, for the widths
// some table of this package uses. Each slices out its element first, so
// one bounds check covers the bytes and the compiler merges them into a
// single load.
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
		f.Commentf("// %s returns element i of a table packed as %d-byte little-endian integers.", name, w)
		var body string
		if w == 1 {
			body = "return s[i]"
		} else {
			parts := make([]string, w)
			for k := range parts {
				parts[k] = fmt.Sprintf("%s(s[%d])", typ, k)
				if k > 0 {
					parts[k] += fmt.Sprintf("<<%d", 8*k)
				}
			}
			body = fmt.Sprintf("s = s[i*%d : i*%d+%d]\nreturn %s", w, w, w, strings.Join(parts, " | "))
		}
		f.Func().Id(name).Params(jen.Id("s").String(), jen.Id("i").Int()).Id(typ).Block(jen.Op(body))
	}
}

// stringTable concatenates strs and returns the offsets at which each one
// starts, plus a final offset at the end: string i is all[off[i]:off[i+1]].
func stringTable(strs []string) (all string, off []uint64) {
	var b strings.Builder
	n := 0
	for _, s := range strs {
		n += len(s)
	}
	b.Grow(n)
	off = make([]uint64, 0, len(strs)+1)
	for _, s := range strs {
		off = append(off, uint64(b.Len()))
		b.WriteString(s)
	}
	off = append(off, uint64(b.Len()))
	return b.String(), off
}

// text is a const string of concatenated texts and its offset table, the
// stringer way; or, for the canonical keys of a key table, the function
// that reads them out of the table's records (see keyTable).
type text struct {
	name, off string
	all       string
	key       string // the function returning text i, if any
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
	g.rawDecl(f, quotedConst{name, t.all})
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
	if t.key != "" {
		return jen.Id(t.key).Call(i)
	}
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

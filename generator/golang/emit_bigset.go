package golang

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/dave/jennifer/jen"
)

// smallSetWords is the largest Set, in 64-bit words, kept as an array.
//
// The API gives Set value receivers and value results, so every call
// copies the set: nothing for a few words, but 12.5KB for each Has of a
// 100,000-permission catalog (the compiler copies the array even into an
// inlined call). Up to 4 words (IDs below 256, most catalogs) an array
// costs under a nanosecond per Has and its algebra never allocates. Past
// that a Set holds its bitset in an immutable string without trailing zero
// bytes: passing one costs two words at any size, == still compares
// contents, Has stays under a nanosecond, and a new set allocates once.
const smallSetWords = 4

// stringSet reports whether Set is the string form.
func (g *gen) stringSet() bool { return g.words > smallSetWords }

// code turns Go source into jennifer code, resolving bits.X to math/bits
// so the import is declared. Bodies of the string-form Set read better as
// source than as jennifer calls; go/format lays them out.
func code(src string) *jen.Statement {
	s := jen.Null()
	last := 0
	for _, m := range bitsRef.FindAllStringSubmatchIndex(src, -1) {
		s.Op(src[last:m[0]]).Qual("math/bits", src[m[2]:m[3]])
		last = m[1]
	}
	return s.Op(src[last:])
}

var bitsRef = regexp.MustCompile(`\bbits\.([A-Za-z0-9]+)`)

// body turns a function body given as source, one statement or block per
// entry, into jennifer code.
func body(src ...string) []jen.Code {
	out := make([]jen.Code, len(src))
	for i, s := range src {
		out[i] = code(strings.TrimSpace(s))
	}
	return out
}

// emitStringSet writes set.go for the string form.
func (g *gen) emitStringSet(f *jen.File) error {
	s := func() *jen.Statement { return jen.Id("s").Id("Set") }
	o := func() *jen.Statement { return jen.Id("o").Id("Set") }
	method := func(recv *jen.Statement, name string, params []jen.Code, result jen.Code, stmts ...string) {
		f.Func().Params(recv).Id(name).Params(params...).Add(result).Block(body(stmts...)...)
	}
	// forEach is a loop over the set bits of the string b, binding p.
	forEach := func(b, inner string) string {
		return fmt.Sprintf(`for i := 0; i < len(%[1]s); i++ {
	for w := %[1]s[i]; w != 0; w &= w - 1 {
		p := Permission(i*8 + bits.TrailingZeros8(w))
		%[2]s
	}
}`, b, inner)
	}
	// eachOf loops over list j of a list table, binding q (and t, its
	// index, which must not shadow the n of the bodies around it).
	eachOf := func(off, list, inner string) string {
		return fmt.Sprintf("for t := %s; t < %s; t++ {\nq := %s\n%s\n}",
			g.atIntText(off, "j"), g.atIntText(off, "j+1"), source(g.at(list, jen.Id("t"))), inner)
	}
	position := "j := " + g.positionText("p")

	f.Comment(doc(fmt.Sprintf("setBytes is how many bytes a Set's bitset takes at most: IDs go up to %d, the largest ever assigned.", g.maxID)))
	f.Const().Id("setBytes").Op("=").Lit(g.words * 8)

	f.Comment(doc("Set is a set of permissions: a bitset indexed by ID, held in an immutable string without trailing zero bytes, so that a Set costs two words to pass or store however large the catalog. It is a value: == compares two sets, and the zero value is the empty set. Only permissions of the catalog are ever members. Has never allocates; an operation whose result differs from both operands allocates that result once. In JSON a Set is a list of keys."))
	f.Type().Id("Set").Struct(jen.Id("b").String())

	f.Comment(doc("setOf returns the set whose bitset is buf[:n], n being one past its last non-zero byte."))
	f.Func().Id("setOf").Params(jen.Id("buf").Op("*").Index(jen.Id("setBytes")).Byte(), jen.Id("n").Int()).Id("Set").Block(
		body(`return Set{string(buf[:n])}`)...,
	)

	f.Comment(doc("result returns s or o when one of them holds exactly the bitset buf[:n], without allocating, and a new set otherwise."))
	f.Func().Id("result").Params(jen.Id("buf").Op("*").Index(jen.Id("setBytes")).Byte(), jen.Id("n").Int(), jen.List(jen.Id("s"), jen.Id("o")).Id("Set")).Id("Set").Block(
		body(`if string(buf[:n]) == s.b {
	return s
}`, `if string(buf[:n]) == o.b {
	return o
}`, `return setOf(buf, n)`)...,
	)

	f.Comment(doc("NewSet returns the set of the given permissions; values that are not permissions of the catalog are left out."))
	f.Func().Id("NewSet").Params(jen.Id("ps").Op("...").Id("Permission")).Id("Set").Block(
		body(`return Set{}.With(ps...)`)...,
	)

	f.Comment(doc("Has reports whether p is in the set. It never allocates."))
	method(s(), "Has", []jen.Code{jen.Id("p").Id("Permission")}, jen.Bool(),
		`i := uint(p) >> 3`,
		`return i < uint(len(s.b)) && s.b[i]>>(p&7)&1 != 0`)

	f.Comment(doc("With returns the set plus the given permissions; values that are not permissions of the catalog are left out. It allocates only when that adds a permission."))
	method(s(), "With", []jen.Code{jen.Id("ps").Op("...").Id("Permission")}, jen.Id("Set"),
		`var buf [setBytes]byte`,
		`n := copy(buf[:], s.b)`,
		`added := false`,
		`for _, p := range ps {
	if i := int(p >> 3); p.Valid() && buf[i]>>(p&7)&1 == 0 {
		buf[i] |= 1 << (p & 7)
		n = max(n, i+1)
		added = true
	}
}`,
		`if !added {
	return s
}`,
		`return setOf(&buf, n)`)

	f.Comment(doc("Union returns the permissions in s or o."))
	method(s(), "Union", []jen.Code{o()}, jen.Id("Set"),
		`if len(s.b) < len(o.b) {
	s, o = o, s
}`,
		`var buf [setBytes]byte`,
		`n := copy(buf[:], s.b)`,
		`for i := 0; i < len(o.b); i++ {
	buf[i] |= o.b[i]
}`,
		`return result(&buf, n, s, o)`)

	f.Comment(doc("Intersect returns the permissions in both s and o."))
	method(s(), "Intersect", []jen.Code{o()}, jen.Id("Set"),
		`var buf [setBytes]byte`,
		`n := 0`,
		`for i := 0; i < min(len(s.b), len(o.b)); i++ {
	if buf[i] = s.b[i] & o.b[i]; buf[i] != 0 {
		n = i + 1
	}
}`,
		`return result(&buf, n, s, o)`)

	f.Comment(doc("Without returns the permissions in s but not in o."))
	method(s(), "Without", []jen.Code{o()}, jen.Id("Set"),
		`var buf [setBytes]byte`,
		`n := 0`,
		`for i := 0; i < len(s.b); i++ {
	buf[i] = s.b[i]
	if i < len(o.b) {
		buf[i] &^= o.b[i]
	}
	if buf[i] != 0 {
		n = i + 1
	}
}`,
		`return result(&buf, n, s, s)`)

	f.Comment(doc("IsSubsetOf reports whether every permission of s is in o, as an API key's permissions must be within its owner's."))
	method(s(), "IsSubsetOf", []jen.Code{o()}, jen.Bool(),
		`if len(s.b) > len(o.b) {
	return false // s's last byte is not zero
}`,
		`for i := 0; i < len(s.b); i++ {
	if s.b[i]&^o.b[i] != 0 {
		return false
	}
}`,
		`return true`)

	f.Comment(doc("Len returns the number of permissions in the set."))
	method(s(), "Len", nil, jen.Int(),
		`n := 0`,
		`for i := 0; i < len(s.b); i++ {
	n += bits.OnesCount8(s.b[i])
}`,
		`return n`)

	perms := body(`n := s.Len()`, `if n == 0 {
	return nil
}`, `out := make([]Permission, 0, n)`, forEach("s.b", "out = append(out, p)"))
	if !g.inIDOrder {
		perms = append(perms, g.sortByPosition("Permission", func(v string) jen.Code { return jen.Id(v) }))
	}
	perms = append(perms, jen.Return(jen.Id("out")))
	f.Comment(doc("Permissions returns the set's permissions in authored order (the order of All), or nil for the empty set."))
	f.Func().Params(s()).Id("Permissions").Params().Index().Id("Permission").Block(perms...)

	emitSetString(f)

	f.Comment(doc("Closure returns the set plus everything its permissions imply, directly or through other permissions. A set already closed is returned as it is, without allocating."))
	method(s(), "Closure", nil, jen.Id("Set"),
		`var buf [setBytes]byte`,
		`n := copy(buf[:], s.b)`,
		`added := false`,
		forEach("s.b", position+"\n"+eachOf("permClosureOff", "permClosure", `if i := int(q >> 3); buf[i]>>(q&7)&1 == 0 {
	buf[i] |= 1 << (q & 7)
	n = max(n, i+1)
	added = true
}`)),
		`if !added {
	return s
}`,
		`return setOf(&buf, n)`)

	emitUnmetType(f)
	unmet := body(
		`c := s.Closure()`,
		`var out []Unmet`,
		forEach("c.b", position+"\nvar missing []Permission\n"+eachOf("permRequiresOff", "permRequires", `if !c.Has(q) {
	missing = append(missing, q)
}`)+`
if missing != nil {
	out = append(out, Unmet{Permission: p, Missing: missing})
}`),
	)
	if !g.inIDOrder {
		unmet = append(unmet, g.sortByPosition("Unmet", func(v string) jen.Code { return jen.Id(v).Dot("Permission") }))
	}
	unmet = append(unmet, jen.Return(jen.Id("out")))
	f.Comment(doc("Unmet returns, in authored order, each permission of the set whose requirements (requires in the catalog) the set lacks; nil when every requirement is met. It judges the set as held: closed under implies, so an implied permission meets a requirement and must have its own requirements met."))
	f.Func().Params(s()).Id("Unmet").Params().Index().Id("Unmet").Block(unmet...)

	emitSetMarshalJSON(f)

	f.Comment(doc("UnmarshalJSON reads a list of keys, current or former; a key that is not a permission of the catalog is an error and leaves the set unchanged."))
	f.Func().Params(jen.Id("s").Op("*").Id("Set")).Id("UnmarshalJSON").Params(jen.Id("data").Index().Byte()).Error().Block(
		jen.Var().Id("keys").Index().String(),
		jen.If(jen.Id("err").Op(":=").Qual("encoding/json", "Unmarshal").Call(jen.Id("data"), jen.Op("&").Id("keys")), jen.Id("err").Op("!=").Nil()).Block(
			jen.Return(jen.Id("err")),
		),
		jen.Id("ps").Op(":=").Make(jen.Index().Id("Permission"), jen.Lit(0), jen.Len(jen.Id("keys"))),
		jen.For(jen.List(jen.Id("_"), jen.Id("k")).Op(":=").Range().Id("keys")).Block(
			jen.List(jen.Id("p"), jen.Id("ok")).Op(":=").Id("Parse").Call(jen.Id("k")),
			jen.If(jen.Op("!").Id("ok")).Block(
				jen.Return(jen.Qual("errors", "New").Call(jen.Lit(g.pkg+": unknown permission key ").Op("+").Qual("strconv", "Quote").Call(jen.Id("k")))),
			),
			jen.Id("ps").Op("=").Append(jen.Id("ps"), jen.Id("p")),
		),
		jen.Op("*").Id("s").Op("=").Id("NewSet").Call(jen.Id("ps").Op("...")),
		jen.Return(jen.Nil()),
	)
	return nil
}

// sortByPosition is the statement sorting out (of elem) into authored
// order, pos giving an element's permission.
func (g *gen) sortByPosition(elem string, pos func(string) jen.Code) jen.Code {
	return jen.Qual("slices", "SortFunc").Call(jen.Id("out"), jen.Func().Params(jen.List(jen.Id("a"), jen.Id("b")).Id(elem)).Int().Block(
		jen.Return(g.positionOf(pos("a")).Op("-").Parens(g.positionOf(pos("b")))),
	))
}

// source renders jennifer code as Go source, for code that reads tables
// inside a body given as source (table reads name no package).
func source(c jen.Code) string { return fmt.Sprintf("%#v", c) }

// positionText is g.positionOf as source.
func (g *gen) positionText(p string) string { return source(g.positionOf(jen.Id(p))) }

// atIntText is g.atInt as source.
func (g *gen) atIntText(name, idx string) string { return source(g.atInt(name, jen.Op(idx))) }

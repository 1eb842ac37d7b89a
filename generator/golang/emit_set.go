package golang

import (
	"fmt"

	"github.com/dave/jennifer/jen"
)

// holds is whether set (a Set variable) has q, a permission of the catalog,
// read straight from its words: calling Has would copy the set.
func (g *gen) holds(set string, q jen.Code) *jen.Statement {
	if g.stringSet() {
		return jen.Id(set).Dot("Has").Call(q)
	}
	return jen.Id(set).Dot("w").Index(jen.Add(q).Op(">>").Lit(6)).Op("&").Parens(jen.Lit(1).Op("<<").Parens(jen.Add(q).Op("&").Lit(63))).Op("!=").Lit(0)
}

// emitSet writes set.go: the fixed-size bitset of permissions, its algebra,
// closure under implies, requirement checks and JSON form.
func (g *gen) emitSet(f *jen.File) error {
	if g.stringSet() {
		return g.emitStringSet(f)
	}
	s := func() *jen.Statement { return jen.Id("s").Id("Set") }
	o := func() *jen.Statement { return jen.Id("o").Id("Set") }
	bit := func(p jen.Code) *jen.Statement {
		return jen.Lit(1).Op("<<").Parens(jen.Add(p).Op("&").Lit(63))
	}
	// each iterates the set bits of words in ascending ID order, binding p.
	// Ranging over a pointer to the array spares a copy of the set.
	each := func(words jen.Code, body ...jen.Code) *jen.Statement {
		inner := append([]jen.Code{
			jen.Id("p").Op(":=").Id("Permission").Call(jen.Id("i").Op("*").Lit(64).Op("+").Qual("math/bits", "TrailingZeros64").Call(jen.Id("w"))),
			jen.Id("w").Op("&=").Id("w").Op("-").Lit(1),
		}, body...)
		return jen.For(jen.List(jen.Id("i"), jen.Id("w")).Op(":=").Range().Op("&").Add(words)).Block(
			jen.For(jen.Id("w").Op("!=").Lit(0)).Block(inner...),
		)
	}
	// eachOf loops over list j of a list table, binding q.
	eachOf := func(off, list string, body ...jen.Code) *jen.Statement {
		return jen.For(
			jen.Id("n").Op(":=").Add(g.atInt(off, jen.Id("j"))),
			jen.Id("n").Op("<").Add(g.atInt(off, jen.Id("j").Op("+").Lit(1))),
			jen.Id("n").Op("++"),
		).Block(append([]jen.Code{jen.Id("q").Op(":=").Add(g.at(list, jen.Id("n")))}, body...)...)
	}
	position := jen.Id("j").Op(":=").Add(g.positionOf(jen.Id("p")))

	f.Comment(doc(fmt.Sprintf("setWords is how many 64-bit words a Set needs for IDs up to %d, the largest ever assigned.", g.maxID)))
	f.Const().Id("setWords").Op("=").Lit(g.words)

	f.Comment(doc("Set is a set of permissions: a fixed-size bitset indexed by ID. It is a value: == compares two sets, assignment copies one, and the zero value is the empty set. Only permissions of the catalog are ever members. In JSON a Set is a list of keys."))
	f.Type().Id("Set").Struct(jen.Id("w").Index(jen.Id("setWords")).Uint64())

	f.Comment(doc("NewSet returns the set of the given permissions; values that are not permissions of the catalog are left out."))
	f.Func().Id("NewSet").Params(jen.Id("ps").Op("...").Id("Permission")).Id("Set").Block(
		jen.Var().Id("s").Id("Set"),
		jen.Id("s").Dot("add").Call(jen.Id("ps")),
		jen.Return(jen.Id("s")),
	)

	f.Comment(doc("add puts the permissions of the catalog among ps into the set."))
	f.Func().Params(jen.Id("s").Op("*").Id("Set")).Id("add").Params(jen.Id("ps").Index().Id("Permission")).Block(
		jen.For(jen.List(jen.Id("_"), jen.Id("p")).Op(":=").Range().Id("ps")).Block(
			jen.If(jen.Id("p").Dot("Valid").Call()).Block(
				jen.Id("s").Dot("w").Index(jen.Id("p").Op(">>").Lit(6)).Op("|=").Add(bit(jen.Id("p"))),
			),
		),
	)

	f.Comment(doc("Has reports whether p is in the set. It never allocates."))
	f.Func().Params(s()).Id("Has").Params(jen.Id("p").Id("Permission")).Bool().Block(
		jen.Id("i").Op(":=").Uint().Call(jen.Id("p")).Op(">>").Lit(6),
		jen.Return(jen.Id("i").Op("<").Id("setWords").Op("&&").Id("s").Dot("w").Index(jen.Id("i")).Op("&").Parens(bit(jen.Uint().Call(jen.Id("p")))).Op("!=").Lit(0)),
	)

	f.Comment(doc("With returns the set plus the given permissions; values that are not permissions of the catalog are left out."))
	f.Func().Params(s()).Id("With").Params(jen.Id("ps").Op("...").Id("Permission")).Id("Set").Block(
		jen.Id("s").Dot("add").Call(jen.Id("ps")),
		jen.Return(jen.Id("s")),
	)

	for _, m := range []struct{ name, doc, op string }{
		{"Union", "Union returns the permissions in s or o.", "|="},
		{"Intersect", "Intersect returns the permissions in both s and o.", "&="},
		{"Without", "Without returns the permissions in s but not in o.", "&^="},
	} {
		f.Comment(doc(m.doc))
		f.Func().Params(s()).Id(m.name).Params(o()).Id("Set").Block(
			jen.For(jen.Id("i").Op(":=").Range().Id("s").Dot("w")).Block(
				jen.Id("s").Dot("w").Index(jen.Id("i")).Op(m.op).Id("o").Dot("w").Index(jen.Id("i")),
			),
			jen.Return(jen.Id("s")),
		)
	}

	f.Comment(doc("IsSubsetOf reports whether every permission of s is in o, as an API key's permissions must be within its owner's."))
	f.Func().Params(s()).Id("IsSubsetOf").Params(o()).Bool().Block(
		jen.For(jen.Id("i").Op(":=").Range().Id("s").Dot("w")).Block(
			jen.If(jen.Id("s").Dot("w").Index(jen.Id("i")).Op("&^").Id("o").Dot("w").Index(jen.Id("i")).Op("!=").Lit(0)).Block(jen.Return(jen.False())),
		),
		jen.Return(jen.True()),
	)

	f.Comment(doc("Len returns the number of permissions in the set."))
	f.Func().Params(s()).Id("Len").Params().Int().Block(
		jen.Id("n").Op(":=").Lit(0),
		jen.For(jen.List(jen.Id("_"), jen.Id("w")).Op(":=").Range().Op("&").Id("s").Dot("w")).Block(
			jen.Id("n").Op("+=").Qual("math/bits", "OnesCount64").Call(jen.Id("w")),
		),
		jen.Return(jen.Id("n")),
	)

	permsBody := []jen.Code{
		jen.Id("n").Op(":=").Id("s").Dot("Len").Call(),
		jen.If(jen.Id("n").Op("==").Lit(0)).Block(jen.Return(jen.Nil())),
		jen.Id("out").Op(":=").Make(jen.Index().Id("Permission"), jen.Lit(0), jen.Id("n")),
		each(jen.Id("s").Dot("w"), jen.Id("out").Op("=").Append(jen.Id("out"), jen.Id("p"))),
	}
	if !g.inIDOrder {
		// IDs follow authored order until the catalog is reordered or
		// permissions are added in the middle; only then is a sort needed.
		permsBody = append(permsBody, g.sortByPosition("Permission", func(v string) jen.Code { return jen.Id(v) }))
	}
	permsBody = append(permsBody, jen.Return(jen.Id("out")))
	f.Comment(doc("Permissions returns the set's permissions in authored order (the order of All), or nil for the empty set."))
	f.Func().Params(s()).Id("Permissions").Params().Index().Id("Permission").Block(permsBody...)

	emitSetString(f)

	f.Comment(doc("Closure returns the set plus everything its permissions imply, directly or through other permissions."))
	f.Func().Params(s()).Id("Closure").Params().Id("Set").Block(
		jen.Id("out").Op(":=").Id("s"),
		each(jen.Id("s").Dot("w"),
			position,
			eachOf("permClosureOff", "permClosure",
				jen.Id("out").Dot("w").Index(jen.Id("q").Op(">>").Lit(6)).Op("|=").Add(bit(jen.Id("q"))),
			),
		),
		jen.Return(jen.Id("out")),
	)

	emitUnmetType(f)

	unmetBody := []jen.Code{
		jen.Id("c").Op(":=").Id("s").Dot("Closure").Call(),
		jen.Var().Id("out").Index().Id("Unmet"),
		each(jen.Id("c").Dot("w"),
			position,
			jen.Var().Id("missing").Index().Id("Permission"),
			eachOf("permRequiresOff", "permRequires",
				jen.If(jen.Op("!").Parens(g.holds("c", jen.Id("q")))).Block(
					jen.Id("missing").Op("=").Append(jen.Id("missing"), jen.Id("q")),
				),
			),
			jen.If(jen.Id("missing").Op("!=").Nil()).Block(
				jen.Id("out").Op("=").Append(jen.Id("out"), jen.Id("Unmet").Values(
					jen.Id("Permission").Op(":").Id("p"),
					jen.Id("Missing").Op(":").Id("missing"),
				)),
			),
		),
	}
	if !g.inIDOrder {
		unmetBody = append(unmetBody, g.sortByPosition("Unmet", func(v string) jen.Code { return jen.Id(v).Dot("Permission") }))
	}
	unmetBody = append(unmetBody, jen.Return(jen.Id("out")))
	f.Comment(doc("Unmet returns, in authored order, each permission of the set whose requirements (requires in the catalog) the set lacks; nil when every requirement is met, without allocating. It judges the set as held: closed under implies, so an implied permission meets a requirement and must have its own requirements met."))
	f.Func().Params(s()).Id("Unmet").Params().Index().Id("Unmet").Block(unmetBody...)

	emitSetMarshalJSON(f)

	f.Comment(doc("UnmarshalJSON reads a list of keys, current or former; a key that is not a permission of the catalog is an error and leaves the set unchanged."))
	f.Func().Params(jen.Id("s").Op("*").Id("Set")).Id("UnmarshalJSON").Params(jen.Id("data").Index().Byte()).Error().Block(
		jen.Var().Id("keys").Index().String(),
		jen.If(jen.Id("err").Op(":=").Qual("encoding/json", "Unmarshal").Call(jen.Id("data"), jen.Op("&").Id("keys")), jen.Id("err").Op("!=").Nil()).Block(
			jen.Return(jen.Id("err")),
		),
		jen.Var().Id("out").Id("Set"),
		jen.For(jen.List(jen.Id("_"), jen.Id("k")).Op(":=").Range().Id("keys")).Block(
			jen.List(jen.Id("p"), jen.Id("ok")).Op(":=").Id("Parse").Call(jen.Id("k")),
			jen.If(jen.Op("!").Id("ok")).Block(
				jen.Return(jen.Qual("errors", "New").Call(jen.Lit(g.pkg+": unknown permission key ").Op("+").Qual("strconv", "Quote").Call(jen.Id("k")))),
			),
			jen.Id("out").Dot("w").Index(jen.Id("p").Op(">>").Lit(6)).Op("|=").Add(bit(jen.Id("p"))),
		),
		jen.Op("*").Id("s").Op("=").Id("out"),
		jen.Return(jen.Nil()),
	)
	return nil
}

// The parts of set.go both forms of Set share.

func emitSetMarshalJSON(f *jen.File) {
	s := jen.Id("s").Id("Set")
	f.Comment(doc("MarshalJSON writes the set as a list of keys sorted as strings, so stored sets read well and diff cleanly."))
	f.Func().Params(s).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Id("keys").Op(":=").Make(jen.Index().String(), jen.Lit(0), jen.Id("s").Dot("Len").Call()),
		jen.For(jen.List(jen.Id("_"), jen.Id("p")).Op(":=").Range().Id("s").Dot("Permissions").Call()).Block(
			jen.Id("keys").Op("=").Append(jen.Id("keys"), jen.Id("p").Dot("String").Call()),
		),
		jen.Qual("slices", "Sort").Call(jen.Id("keys")),
		jen.Return(jen.Qual("encoding/json", "Marshal").Call(jen.Id("keys"))),
	)
}

func emitSetString(f *jen.File) {
	s := jen.Id("s").Id("Set")
	f.Comment(doc("String lists the set's keys in authored order, like [a.view a.edit]."))
	f.Func().Params(s).Id("String").Params().String().Block(
		jen.Var().Id("b").Qual("strings", "Builder"),
		jen.Id("b").Dot("WriteByte").Call(jen.LitRune('[')),
		jen.For(jen.List(jen.Id("i"), jen.Id("p")).Op(":=").Range().Id("s").Dot("Permissions").Call()).Block(
			jen.If(jen.Id("i").Op(">").Lit(0)).Block(jen.Id("b").Dot("WriteByte").Call(jen.LitRune(' '))),
			jen.Id("b").Dot("WriteString").Call(jen.Id("p").Dot("String").Call()),
		),
		jen.Id("b").Dot("WriteByte").Call(jen.LitRune(']')),
		jen.Return(jen.Id("b").Dot("String").Call()),
	)
}

func emitUnmetType(f *jen.File) {
	f.Comment(doc("Unmet is a permission whose requirements a set lacks."))
	f.Type().Id("Unmet").Struct(
		jen.Comment("// Permission is held, directly or through implies."),
		jen.Id("Permission").Id("Permission"),
		jen.Comment("// Missing is what Permission requires and the set lacks, in authored order."),
		jen.Id("Missing").Index().Id("Permission"),
	)
}

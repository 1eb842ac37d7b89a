package golang

import (
	"strconv"

	"github.com/dave/jennifer/jen"

	"github.com/permcat/permcat/generator/mph"
)

// emitParse writes parse.go: the perfect hash shared by every Parse
// function, the permission key table, Parse, MustParse, text marshalling,
// and the readers of packed tables.
func (g *gen) emitParse(f *jen.File) error {
	g.declareKeys(f, "perm")

	f.Comment(doc("Parse returns the permission with the given key, and whether there is one. Former keys (listed under formerly in the catalog) parse to the permission that has them now. It never allocates: a perfect hash finds the only key the input can be, and one string compare confirms it."))
	f.Func().Id("Parse").Params(jen.Id("key").String()).Params(jen.Id("Permission"), jen.Bool()).Block(g.lookup("perm", "Permission")...)

	f.Comment(doc("MustParse is like Parse but panics when the key is not a permission of the catalog. It suits keys written in code; parse input with Parse."))
	f.Func().Id("MustParse").Params(jen.Id("key").String()).Id("Permission").Block(
		jen.List(jen.Id("p"), jen.Id("ok")).Op(":=").Id("Parse").Call(jen.Id("key")),
		jen.If(jen.Op("!").Id("ok")).Block(
			jen.Panic(jen.Lit(g.pkg+": unknown permission key ").Op("+").Qual("strconv", "Quote").Call(jen.Id("key"))),
		),
		jen.Return(jen.Id("p")),
	)

	f.Comment(doc("MarshalText returns the permission's canonical key, so permissions are stored and sent by key (in JSON too), never by ID. A value that is not a permission of the catalog is an error."))
	f.Func().Params(jen.Id("p").Id("Permission")).Id("MarshalText").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.If(jen.Op("!").Id("p").Dot("Valid").Call()).Block(
			jen.Return(jen.Nil(), jen.Qual("errors", "New").Call(jen.Lit(g.pkg+": cannot marshal ").Op("+").Id("p").Dot("String").Call())),
		),
		jen.Return(jen.Index().Byte().Call(jen.Id("p").Dot("String").Call()), jen.Nil()),
	)

	f.Comment(doc("UnmarshalText parses a key with Parse; a key that is not a permission of the catalog is an error."))
	f.Func().Params(jen.Id("p").Op("*").Id("Permission")).Id("UnmarshalText").Params(jen.Id("text").Index().Byte()).Error().Block(
		jen.List(jen.Id("v"), jen.Id("ok")).Op(":=").Id("Parse").Call(jen.String().Call(jen.Id("text"))),
		jen.If(jen.Op("!").Id("ok")).Block(
			jen.Return(jen.Qual("errors", "New").Call(jen.Lit(g.pkg+": unknown permission key ").Op("+").Qual("strconv", "Quote").Call(jen.String().Call(jen.Id("text"))))),
		),
		jen.Op("*").Id("p").Op("=").Id("v"),
		jen.Return(jen.Nil()),
	)

	emitHash(f)
	g.emitReaders(f)
	return nil
}

// emitHash writes the hash every key table is built on. It must compute
// exactly mph.Hash, mph.FastRange and mph.SlotHash; the end-to-end tests
// prove it by parsing every key of generated packages.
func emitHash(f *jen.File) {
	hex := func(v uint64) jen.Code { return jen.Id("0x" + strconv.FormatUint(v, 16)) }
	f.Comment(doc("The perfect hash's constants, fixed by permcat's generator/mph."))
	f.Const().Defs(
		jen.Id("hashLenMul").Op("=").Add(hex(mph.HashLenMul)),
		jen.Id("hashWordMul").Op("=").Add(hex(mph.HashWordMul)),
		jen.Id("hashFinalMul1").Op("=").Add(hex(mph.HashFinalMul1)),
		jen.Id("hashFinalMul2").Op("=").Add(hex(mph.HashFinalMul2)),
		jen.Id("pilotMul").Op("=").Add(hex(mph.PilotMul)),
		jen.Id("slotMul").Op("=").Add(hex(mph.SlotMul)),
	)

	mix := func() []jen.Code {
		return []jen.Code{
			jen.Id("h").Op("*=").Id("hashWordMul"),
			jen.Id("h").Op("^=").Id("h").Op(">>").Lit(32),
		}
	}
	var word jen.Code = jen.Uint64().Call(jen.Id("s").Index(jen.Lit(0)))
	for i := 1; i < 8; i++ {
		word = jen.Add(word).Op("|").Uint64().Call(jen.Id("s").Index(jen.Lit(i))).Op("<<").Lit(8 * i)
	}
	f.Comment(doc("hashKey hashes a key with a seed: a multiply-xorshift over its 8-byte little-endian words, then a finaliser that makes every output bit depend on every input bit."))
	f.Func().Id("hashKey").Params(jen.Id("seed").Uint64(), jen.Id("s").String()).Uint64().Block(
		jen.Id("h").Op(":=").Id("seed").Op("^").Uint64().Call(jen.Len(jen.Id("s"))).Op("*").Id("hashLenMul"),
		jen.For(jen.Empty(), jen.Len(jen.Id("s")).Op(">=").Lit(8), jen.Id("s").Op("=").Id("s").Index(jen.Lit(8).Op(":"))).Block(
			append([]jen.Code{jen.Id("h").Op("^=").Add(word)}, mix()...)...,
		),
		jen.If(jen.Len(jen.Id("s")).Op(">").Lit(0)).Block(
			append([]jen.Code{
				jen.Var().Id("w").Uint64(),
				jen.For(jen.Id("i").Op(":=").Len(jen.Id("s")).Op("-").Lit(1), jen.Id("i").Op(">=").Lit(0), jen.Id("i").Op("--")).Block(
					jen.Id("w").Op("=").Id("w").Op("<<").Lit(8).Op("|").Uint64().Call(jen.Id("s").Index(jen.Id("i"))),
				),
				jen.Id("h").Op("^=").Id("w"),
			}, mix()...)...,
		),
		jen.Id("h").Op("^=").Id("h").Op(">>").Lit(33),
		jen.Id("h").Op("*=").Id("hashFinalMul1"),
		jen.Id("h").Op("^=").Id("h").Op(">>").Lit(29),
		jen.Id("h").Op("*=").Id("hashFinalMul2"),
		jen.Id("h").Op("^=").Id("h").Op(">>").Lit(32),
		jen.Return(jen.Id("h")),
	)

	mul := func(a, b jen.Code) *jen.Statement { return jen.Qual("math/bits", "Mul64").Call(a, b) }
	f.Comment(doc("mphBucket maps a key's hash to its bucket among n, with a multiply instead of a division."))
	f.Func().Id("mphBucket").Params(jen.List(jen.Id("h"), jen.Id("n")).Uint64()).Uint64().Block(
		jen.List(jen.Id("hi"), jen.Id("_")).Op(":=").Add(mul(jen.Id("h"), jen.Id("n"))),
		jen.Return(jen.Id("hi")),
	)
	f.Comment(doc("mphSlot maps a key's hash and its bucket's pilot to its slot among n. The folded multiply makes each pilot move the keys of a bucket independently of each other."))
	f.Func().Id("mphSlot").Params(jen.List(jen.Id("h"), jen.Id("pilot"), jen.Id("n")).Uint64()).Uint64().Block(
		jen.List(jen.Id("hi"), jen.Id("lo")).Op(":=").Add(mul(jen.Id("h").Op("^").Id("pilot").Op("*").Id("pilotMul"), jen.Id("slotMul"))),
		jen.List(jen.Id("hi"), jen.Id("_")).Op("=").Add(mul(jen.Id("hi").Op("^").Id("lo"), jen.Id("n"))),
		jen.Return(jen.Id("hi")),
	)
}

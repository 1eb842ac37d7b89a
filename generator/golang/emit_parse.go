package golang

import (
	"github.com/dave/jennifer/jen"
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

	g.emitHash(f)
	g.emitReaders(f)
	return nil
}

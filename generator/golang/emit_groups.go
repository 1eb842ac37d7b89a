package golang

import (
	"fmt"

	"github.com/dave/jennifer/jen"
)

// emitGroups writes groups.go: the Group type, its constants and metadata.
func (g *gen) emitGroups(f *jen.File) error {
	groups := g.cat.Groups
	f.Comment(doc("Group is a section of the catalog; groups nest. Its value is the group's authored position plus one, which changes when the catalog does: store a group's key (MarshalText does), not its value. The zero value is no group."))
	f.Type().Id("Group").Id(g.groupType)

	consts := make([]enumConst, len(groups))
	for i, x := range groups {
		paras := []string{fmt.Sprintf("%s is %q (%s).", x.GoName, clean(x.Name), x.Key), x.Description}
		if x.Location != "" {
			paras = append(paras, "Location: "+x.Location+".")
		}
		consts[i] = enumConst{doc: doc(paras...), name: x.GoName, value: uint64(i + 1)}
	}
	if len(groups) > 0 {
		g.rawDecl(f, constBlock{"Group", consts})
		f.Add(staleGuard("groups", consts))
	}

	g.declareKeys(f, "group")
	g.declareText(f, "groupNames")
	g.declareText(f, "groupDescs")
	g.declareText(f, "groupLocations")
	g.declare(f, "groupParent", "")

	e := enumKind{g: g, typ: "Group", recv: "g", count: len(groups), table: "group"}
	e.emitAll(f, "AllGroups", "AllGroups returns every group in authored order: a parent before its children.")
	f.Comment(doc("ParseGroup returns the group with the given key, current or former, and whether there is one. It never allocates."))
	f.Func().Id("ParseGroup").Params(jen.Id("key").String()).Params(jen.Id("Group"), jen.Bool()).Block(g.lookup("group", "Group")...)
	e.emitValidity(f)
	e.emitString(f, "String returns the group's key, or \"Group(N)\" for a value that is not a group of the catalog.")
	e.emitText(f, "Name", "Name returns the group's display name.", "groupNames")
	e.emitText(f, "Description", "Description returns the group's description.", "groupDescs")
	e.emitText(f, "Location", "Location returns where the group lives in the product, or \"\".", "groupLocations")

	f.Comment(doc("Parent returns the group this one is nested in, and false for a top-level group."))
	f.Func().Params(jen.Id("g").Id("Group")).Id("Parent").Params().Params(jen.Id("Group"), jen.Bool()).Block(
		jen.If(jen.Op("!").Id("g").Dot("valid").Call()).Block(jen.Return(jen.Lit(0), jen.False())),
		jen.Id("p").Op(":=").Add(g.at("groupParent", e.pos())),
		jen.Return(jen.Id("p"), jen.Id("p").Op("!=").Lit(0)),
	)
	e.emitMarshal(f, "ParseGroup", "a key, current or former,")
	return nil
}

// planGroups plans the group tables, indexed by value-1.
func (g *gen) planGroups() error {
	groups := g.cat.Groups
	t := &keyTable{prefix: "group", canon: len(groups)}
	var names, descs, locations []string
	parents := make([]uint64, len(groups))
	for i, x := range groups {
		t.keys = append(t.keys, x.Key)
		t.values = append(t.values, uint64(i+1))
		names = append(names, x.Name)
		descs = append(descs, x.Description)
		locations = append(locations, x.Location)
		if x.Parent != nil {
			parents[i] = uint64(g.groupPos[x.Parent] + 1)
		}
	}
	for i, x := range groups {
		for _, k := range x.Formerly {
			t.keys = append(t.keys, k)
			t.values = append(t.values, uint64(i+1))
		}
	}
	g.addText("groupNames", "groupNameOff", names)
	g.addText("groupDescs", "groupDescOff", descs)
	g.addText("groupLocations", "groupLocationOff", locations)
	g.addTable("groupParent", "Group", parents)
	return g.addKeys(t)
}

// enumKind is one of the small positional enumerations (Group, Role,
// Profile, Scope): values 1..count, tables indexed by value-1.
type enumKind struct {
	g     *gen
	typ   string // "Role"
	recv  string // "r"
	count int
	table string // table prefix: "role" for roleKeys, roleNames…
}

func (e enumKind) recvParam() *jen.Statement { return jen.Id(e.recv).Id(e.typ) }

// pos is the receiver's table position: int(r) - 1.
func (e enumKind) pos() *jen.Statement {
	return jen.Int().Call(jen.Id(e.recv)).Op("-").Lit(1)
}

// text is the receiver's text in a text table.
func (e enumKind) text(table string) *jen.Statement {
	return e.g.textBetween(table, e.pos(), jen.Int().Call(jen.Id(e.recv)))
}

func (e enumKind) emitAll(f *jen.File, name, comment string) {
	f.Comment(doc(comment + " The slice is the caller's."))
	if e.count == 0 {
		f.Func().Id(name).Params().Index().Id(e.typ).Block(jen.Return(jen.Nil()))
		return
	}
	f.Func().Id(name).Params().Index().Id(e.typ).Block(
		jen.Id("out").Op(":=").Make(jen.Index().Id(e.typ), jen.Lit(e.count)),
		jen.For(jen.Id("i").Op(":=").Range().Id("out")).Block(
			jen.Id("out").Index(jen.Id("i")).Op("=").Id(e.typ).Call(jen.Id("i").Op("+").Lit(1)),
		),
		jen.Return(jen.Id("out")),
	)
}

func (e enumKind) emitValidity(f *jen.File) {
	f.Comment(doc(fmt.Sprintf("valid reports whether the value is a %s of the catalog.", lower(e.typ))))
	f.Func().Params(e.recvParam()).Id("valid").Params().Bool().Block(
		jen.Return(jen.Id(e.recv).Op("!=").Lit(0).Op("&&").Int().Call(jen.Id(e.recv)).Op("<=").Lit(e.count)),
	)
}

func (e enumKind) emitString(f *jen.File, comment string) {
	f.Comment(doc(comment))
	f.Func().Params(e.recvParam()).Id("String").Params().String().Block(
		jen.If(jen.Op("!").Id(e.recv).Dot("valid").Call()).Block(
			jen.Return(jen.Lit(e.typ+"(").Op("+").Qual("strconv", "FormatUint").Call(jen.Uint64().Call(jen.Id(e.recv)), jen.Lit(10)).Op("+").Lit(")")),
		),
		jen.Return(e.text(e.table+"Keys")),
	)
}

func (e enumKind) emitText(f *jen.File, name, comment, table string) {
	f.Comment(doc(comment))
	f.Func().Params(e.recvParam()).Id(name).Params().String().Block(
		jen.If(jen.Op("!").Id(e.recv).Dot("valid").Call()).Block(jen.Return(jen.Lit(""))),
		jen.Return(e.text(table)),
	)
}

// emitMarshal writes MarshalText and UnmarshalText. A value is a
// position, which changes when the catalog does, so what is stored or sent
// must be the key; keys names, for the doc comment, the keys parse accepts.
func (e enumKind) emitMarshal(f *jen.File, parse, keys string) {
	kind := lower(e.typ)
	pkg := e.g.pkg
	f.Comment(doc(fmt.Sprintf("MarshalText returns the %s's key, so %ss are stored and sent by key (in JSON too). A value that is not a %s of the catalog is an error.", kind, kind, kind)))
	f.Func().Params(e.recvParam()).Id("MarshalText").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.If(jen.Op("!").Id(e.recv).Dot("valid").Call()).Block(
			jen.Return(jen.Nil(), jen.Qual("errors", "New").Call(jen.Lit(pkg+": cannot marshal ").Op("+").Id(e.recv).Dot("String").Call())),
		),
		jen.Return(jen.Index().Byte().Call(jen.Id(e.recv).Dot("String").Call()), jen.Nil()),
	)
	f.Comment(doc(fmt.Sprintf("UnmarshalText parses %s with %s; a key that is not a %s of the catalog is an error.", keys, parse, kind)))
	f.Func().Params(jen.Id(e.recv).Op("*").Id(e.typ)).Id("UnmarshalText").Params(jen.Id("text").Index().Byte()).Error().Block(
		jen.List(jen.Id("v"), jen.Id("ok")).Op(":=").Id(parse).Call(jen.String().Call(jen.Id("text"))),
		jen.If(jen.Op("!").Id("ok")).Block(
			jen.Return(jen.Qual("errors", "New").Call(jen.Lit(pkg+": unknown "+kind+" key ").Op("+").Qual("strconv", "Quote").Call(jen.String().Call(jen.Id("text"))))),
		),
		jen.Op("*").Id(e.recv).Op("=").Id("v"),
		jen.Return(jen.Nil()),
	)
}

func lower(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}

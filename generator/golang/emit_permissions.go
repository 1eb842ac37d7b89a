package golang

import (
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/permcat/permcat/schema"
)

// emitPermissions writes permissions.go: the Permission type, one constant
// per permission, and its metadata methods over ID-indexed tables.
func (g *gen) emitPermissions(f *jen.File) error {
	perms := g.cat.Permissions
	f.Comment(doc("Permission is one permission of the catalog. Its value is the permission's ID in permcat.lock, which never changes and is never reused, so it may be stored. The zero value is no permission."))
	f.Type().Id("Permission").Id(g.permType)

	f.Comment(doc("Count is the number of permissions in the catalog."))
	f.Const().Id("Count").Op("=").Lit(len(perms))
	f.Line()

	if len(perms) > 0 {
		consts := make([]enumConst, len(perms))
		for i, p := range perms {
			consts[i] = enumConst{name: p.GoName, value: uint64(p.ID), docSize: permissionDocSize(p),
				docArgs: func() (string, []string) { return g.permissionDocArgs(p) }}
		}
		g.rawDecl(f, constBlock{"Permission", consts})
		f.Add(staleGuard("permission IDs", consts))
	}

	if !g.dense {
		g.declare(f, "permIDs", "permIDs lists the permissions in authored order; the other perm tables are indexed by that position.")
		g.declare(f, "permIndex", "permIndex maps an ID to its permission's authored position plus one; zero marks an ID that is not a current permission (never assigned, or retired).")
	}
	g.declareText(f, "permNames")
	g.declareText(f, "permDescs")
	g.declareText(f, "permDeprecations")
	for _, name := range []string{"permGroup", "permScope", "permImpliesOff", "permImplies", "permRequiresOff", "permRequires"} {
		g.declare(f, name, "")
	}
	g.declare(f, "permClosureOff", "")
	g.declare(f, "permClosure", "permClosure lists, per permission, everything it implies directly or through other permissions.")

	p := func() *jen.Statement { return jen.Id("p").Id("Permission") }
	i := jen.Id("i")
	indexOr := func(zero ...jen.Code) *jen.Statement {
		return jen.List(jen.Id("i"), jen.Id("ok")).Op(":=").Id("p").Dot("index").Call().Line().
			If(jen.Op("!").Id("ok")).Block(jen.Return(zero...))
	}

	f.Comment(doc("All returns every permission in authored order. The slice is the caller's to keep or change."))
	if len(perms) == 0 {
		f.Func().Id("All").Params().Index().Id("Permission").Block(jen.Return(jen.Nil()))
	} else {
		f.Func().Id("All").Params().Index().Id("Permission").Block(
			jen.Id("out").Op(":=").Make(jen.Index().Id("Permission"), jen.Id("Count")),
			jen.For(jen.Id("i").Op(":=").Range().Id("out")).Block(
				jen.Id("out").Index(jen.Id("i")).Op("=").Add(g.permAt(jen.Id("i"))),
			),
			jen.Return(jen.Id("out")),
		)
	}

	f.Comment(doc("index returns the permission's authored position, and whether it is a permission of the catalog at all."))
	if g.dense {
		// IDs 1 to Count in authored order: the position is the ID less one.
		f.Func().Params(p()).Id("index").Params().Params(jen.Int(), jen.Bool()).Block(
			jen.Return(jen.Int().Call(jen.Id("p")).Op("-").Lit(1), jen.Id("p").Op("!=").Lit(0).Op("&&").Int().Call(jen.Id("p")).Op("<=").Id("Count")),
		)
	} else {
		f.Func().Params(p()).Id("index").Params().Params(jen.Int(), jen.Bool()).Block(
			jen.If(jen.Int().Call(jen.Id("p")).Op(">").Lit(int(g.maxID))).Block(jen.Return(jen.Lit(0), jen.False())),
			jen.Id("i").Op(":=").Add(g.atInt("permIndex", jen.Int().Call(jen.Id("p")))),
			jen.Return(jen.Id("i").Op("-").Lit(1), jen.Id("i").Op("!=").Lit(0)),
		)
	}

	f.Comment(doc("Valid reports whether p is a permission of the catalog: false for zero, for IDs never assigned and for IDs of retired permissions."))
	f.Func().Params(p()).Id("Valid").Params().Bool().Block(
		jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Id("p").Dot("index").Call(),
		jen.Return(jen.Id("ok")),
	)

	f.Comment(doc(`String returns the permission's canonical key, or "Permission(ID)" for a value that is not a permission of the catalog.`))
	f.Func().Params(p()).Id("String").Params().String().Block(
		indexOr(jen.Lit("Permission(").Op("+").Qual("strconv", "FormatUint").Call(jen.Uint64().Call(jen.Id("p")), jen.Lit(10)).Op("+").Lit(")")),
		jen.Return(g.textAt("permKeys", i)),
	)

	for _, m := range []struct{ name, doc, table string }{
		{"Name", "Name returns the permission's display name.", "permNames"},
		{"Description", "Description returns the permission's description.", "permDescs"},
		{"DeprecationReason", "DeprecationReason returns why the permission is deprecated, or \"\" when it is not.", "permDeprecations"},
	} {
		f.Comment(doc(m.doc))
		f.Func().Params(p()).Id(m.name).Params().String().Block(
			indexOr(jen.Lit("")),
			jen.Return(g.textAt(m.table, i)),
		)
	}

	f.Comment(doc("Deprecated reports whether the permission is deprecated. It still parses and can be granted; see DeprecationReason for what to use instead."))
	f.Func().Params(p()).Id("Deprecated").Params().Bool().Block(
		indexOr(jen.False()),
		jen.Return(g.at("permDeprecationOff", i).Op("!=").Add(g.at("permDeprecationOff", jen.Id("i").Op("+").Lit(1)))),
	)

	f.Comment(doc("Group returns the group the permission belongs to; zero for a value that is not a permission."))
	f.Func().Params(p()).Id("Group").Params().Id("Group").Block(
		indexOr(jen.Lit(0)),
		jen.Return(g.at("permGroup", i)),
	)

	f.Comment(doc("Scope returns what a grant of the permission is bound to (its own scope, else its nearest group's), and false when it has none."))
	f.Func().Params(p()).Id("Scope").Params().Params(jen.Id("Scope"), jen.Bool()).Block(
		indexOr(jen.Lit(0), jen.False()),
		jen.Id("s").Op(":=").Add(g.at("permScope", i)),
		jen.Return(jen.Id("s"), jen.Id("s").Op("!=").Lit(0)),
	)

	for _, m := range []struct{ name, doc, list, off string }{
		{"Implies", "Implies returns what holding the permission also grants, as written in the catalog (see ImpliesAll for the transitive closure), in authored order. The slice is the caller's.", "permImplies", "permImpliesOff"},
		{"ImpliesAll", "ImpliesAll returns everything holding the permission grants besides itself, directly or through other permissions, in authored order. The slice is the caller's.", "permClosure", "permClosureOff"},
		{"Requires", "Requires returns the permissions this one is only valid together with, as written in the catalog, in authored order. The slice is the caller's.", "permRequires", "permRequiresOff"},
	} {
		f.Comment(doc(m.doc))
		f.Func().Params(p()).Id(m.name).Params().Index().Id("Permission").Block(
			append([]jen.Code{indexOr(jen.Nil())}, g.copyList(m.off, m.list, i)...)...,
		)
	}
	return nil
}

// copyList is code returning, as a new []Permission (nil when empty), list
// k of a list table: list[off[k]:off[k+1]].
func (g *gen) copyList(off, list string, k jen.Code) []jen.Code {
	return []jen.Code{
		jen.Var().Id("out").Index().Id("Permission"),
		jen.For(
			jen.Id("n").Op(":=").Add(g.atInt(off, k)),
			jen.Id("n").Op("<").Add(g.atInt(off, jen.Add(k).Op("+").Lit(1))),
			jen.Id("n").Op("++"),
		).Block(
			jen.Id("out").Op("=").Append(jen.Id("out"), g.at(list, jen.Id("n"))),
		),
		jen.Return(jen.Id("out")),
	}
}

// planPermissions plans the permission tables: metadata indexed by authored
// position, and permIndex from ID to position.
func (g *gen) planPermissions() error {
	perms := g.cat.Permissions
	ids := make([]uint64, len(perms))
	index := make([]uint64, g.maxID+1)
	names := make([]string, 0, len(perms))
	descs := make([]string, 0, len(perms))
	deprecations := make([]string, 0, len(perms))
	groups := make([]uint64, len(perms))
	scopes := make([]uint64, len(perms))
	implies := make([][]uint64, 0, len(perms))
	requires := make([][]uint64, 0, len(perms))
	closure := make([][]uint64, 0, len(perms))
	// Every ID list is cut from one array: a list per permission and kind
	// would be 300,000 allocations at 100k permissions.
	total := 0
	for _, p := range perms {
		total += len(p.Implies) + len(p.Requires) + len(p.ImpliesClosure)
	}
	backing := make([]uint64, 0, total)
	idList := func(ps []*schema.Permission) []uint64 {
		start := len(backing)
		for _, q := range ps {
			backing = append(backing, uint64(q.ID))
		}
		return backing[start:len(backing):len(backing)]
	}
	for i, p := range perms {
		ids[i] = uint64(p.ID)
		index[p.ID] = uint64(i + 1)
		names = append(names, p.Name)
		descs = append(descs, p.Description)
		deprecations = append(deprecations, p.Deprecated)
		groups[i] = uint64(g.groupPos[p.Group] + 1)
		if p.Scope != nil {
			scopes[i] = uint64(g.scopePos[p.Scope] + 1)
		}
		implies = append(implies, idList(p.Implies))
		requires = append(requires, idList(p.Requires))
		closure = append(closure, idList(p.ImpliesClosure))
	}
	if !g.dense {
		g.addTable("permIDs", "Permission", ids)
		g.addOffsets("permIndex", index)
	}
	g.addText("permNames", "permNameOff", names)
	g.addText("permDescs", "permDescOff", descs)
	g.addText("permDeprecations", "permDeprecationOff", deprecations)
	g.addTable("permGroup", "Group", groups)
	g.addTable("permScope", "Scope", scopes)
	g.addList("permImpliesOff", "permImplies", "Permission", implies)
	g.addList("permRequiresOff", "permRequires", "Permission", requires)
	g.addList("permClosureOff", "permClosure", "Permission", closure)

	t := &keyTable{prefix: "perm", canon: len(perms)}
	t.keys = make([]string, 0, len(perms))
	t.values = make([]uint64, 0, len(perms))
	for _, p := range perms {
		t.keys = append(t.keys, p.Key)
		t.values = append(t.values, uint64(p.ID))
	}
	for _, p := range perms {
		for _, k := range p.Formerly {
			t.keys = append(t.keys, k)
			t.values = append(t.values, uint64(p.ID))
		}
	}
	return g.addKeys(t)
}

// permAt is the permission at authored position i (an int expression).
func (g *gen) permAt(i jen.Code) *jen.Statement {
	if g.dense {
		return jen.Id("Permission").Call(jen.Add(i).Op("+").Lit(1))
	}
	return g.at("permIDs", i)
}

// positionOf is the authored position of p (a valid Permission
// expression), as an int.
func (g *gen) positionOf(p jen.Code) *jen.Statement {
	if g.dense {
		return jen.Int().Call(p).Op("-").Lit(1)
	}
	return g.atInt("permIndex", jen.Int().Call(p)).Op("-").Lit(1)
}

// idList returns the IDs of ps.
func (g *gen) idList(ps []*schema.Permission) []uint64 {
	if len(ps) == 0 {
		return nil
	}
	out := make([]uint64, len(ps))
	for i, p := range ps {
		out[i] = uint64(p.ID)
	}
	return out
}

// permissionDocSize estimates the length of a permission's doc comment.
func permissionDocSize(p *schema.Permission) int {
	n := 96 + 2*len(p.GoName) + len(p.Name) + 2*len(p.Key) + len(p.Description) + len(p.Deprecated)
	for _, q := range p.Requires {
		n += len(q.GoName) + 4
	}
	for _, q := range p.Implies {
		n += len(q.GoName) + 4
	}
	for _, k := range p.Formerly {
		n += len(k) + 2
	}
	return n + n/8
}

// permissionDocArgs is deprecatedDoc's arguments for a permission
// constant's doc comment: what it is, what it requires and implies, where
// it came from, and whether to stop using it.
func (g *gen) permissionDocArgs(p *schema.Permission) (string, []string) {
	var facts []string
	if len(p.Requires) > 0 {
		facts = append(facts, "Requires: "+docLinks(p.Requires)+".")
	}
	if len(p.Implies) > 0 {
		facts = append(facts, "Implies: "+docLinks(p.Implies)+".")
	}
	if p.Scope != nil {
		facts = append(facts, "Scope: "+p.Scope.Key+".")
	}
	if len(p.Formerly) > 0 {
		facts = append(facts, "Formerly: "+strings.Join(p.Formerly, ", ")+".")
	}
	return p.Deprecated, []string{
		p.GoName + " is " + strconv.Quote(clean(p.Name)) + " (" + p.Key + ").", // what fmt's %q would give
		p.Description,
		strings.Join(facts, "\n"),
	}
}

// docLinks renders permissions as godoc links to their constants.
func docLinks(ps []*schema.Permission) string {
	links := make([]string, len(ps))
	for i, p := range ps {
		links[i] = "[" + p.GoName + "]"
	}
	return strings.Join(links, ", ")
}

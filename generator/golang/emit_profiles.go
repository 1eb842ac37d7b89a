package golang

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/permcat/permcat/schema"
)

// emitProfiles writes profiles.go: named requirement sets checked against
// someone's permissions.
func (g *gen) emitProfiles(f *jen.File) error {
	profiles := g.cat.Profiles
	f.Comment(doc("Profile is a named requirement set, checked against someone's permissions. Its value is the profile's authored position plus one, which changes when the catalog does: store a profile's key (MarshalText does), not its value. The zero value is no profile."))
	f.Type().Id("Profile").Id(g.profileType)

	if len(profiles) > 0 {
		consts := make([]enumConst, len(profiles))
		for i, p := range profiles {
			comment := doc(fmt.Sprintf("%s is %q (%s).", p.GoName, clean(p.Name), p.Key), p.Description, "Requires: "+docLinksOrNone(p.Requires)+".")
			consts[i] = enumConst{doc: comment, name: p.GoName, value: uint64(i + 1)}
		}
		g.rawDecl(f, constBlock{"Profile", consts})
		f.Add(staleGuard("profiles", consts))
	}

	g.declareKeys(f, "profile")
	g.declareText(f, "profileNames")
	g.declareText(f, "profileDescs")
	g.declare(f, "profileRequiresOff", "")
	g.declare(f, "profileRequires", "")

	e := enumKind{g: g, typ: "Profile", recv: "p", count: len(profiles), table: "profile"}
	e.emitAll(f, "AllProfiles", "AllProfiles returns every profile in authored order.")
	f.Comment(doc("ParseProfile returns the profile with the given key, and whether there is one. It never allocates."))
	f.Func().Id("ParseProfile").Params(jen.Id("key").String()).Params(jen.Id("Profile"), jen.Bool()).Block(g.lookup("profile", "Profile")...)
	e.emitValidity(f)
	e.emitString(f, "String returns the profile's key, or \"Profile(N)\" for a value that is not a profile of the catalog.")
	e.emitText(f, "Name", "Name returns the profile's display name.", "profileNames")
	e.emitText(f, "Description", "Description returns the profile's description.", "profileDescs")

	f.Comment(doc("Requires returns the permissions the profile requires, in authored order. The slice is the caller's."))
	f.Func().Params(jen.Id("p").Id("Profile")).Id("Requires").Params().Index().Id("Permission").Block(
		append([]jen.Code{jen.If(jen.Op("!").Id("p").Dot("valid").Call()).Block(jen.Return(jen.Nil()))},
			g.copyList("profileRequiresOff", "profileRequires", e.pos())...)...,
	)

	f.Comment(doc("Missing returns, in authored order, the permissions the profile requires that s lacks once closed under implies (holding Manage satisfies a required View), or nil when s meets the profile."))
	f.Func().Params(jen.Id("p").Id("Profile")).Id("Missing").Params(jen.Id("s").Id("Set")).Index().Id("Permission").Block(
		jen.If(jen.Op("!").Id("p").Dot("valid").Call()).Block(jen.Return(jen.Nil())),
		jen.Id("c").Op(":=").Id("s").Dot("Closure").Call(),
		jen.Var().Id("out").Index().Id("Permission"),
		jen.Id("j").Op(":=").Add(e.pos()),
		jen.For(
			jen.Id("n").Op(":=").Add(g.atInt("profileRequiresOff", jen.Id("j"))),
			jen.Id("n").Op("<").Add(g.atInt("profileRequiresOff", jen.Id("j").Op("+").Lit(1))),
			jen.Id("n").Op("++"),
		).Block(
			jen.If(jen.Id("q").Op(":=").Add(g.at("profileRequires", jen.Id("n"))), jen.Op("!").Parens(g.holds("c", jen.Id("q")))).Block(
				jen.Id("out").Op("=").Append(jen.Id("out"), jen.Id("q")),
			),
		),
		jen.Return(jen.Id("out")),
	)
	e.emitMarshal(f, "ParseProfile", "a key")
	return nil
}

// emitScopes writes scopes.go: what grants can be bound to. The type exists
// even in a catalog without scopes, since Permission.Scope returns it.
func (g *gen) emitScopes(f *jen.File) error {
	scopes := g.cat.Scopes
	f.Comment(doc("Scope is what a permission's grants are bound to, such as a facility or a store. Its value is the scope's authored position plus one, which changes when the catalog does: store a scope's key (MarshalText does), not its value. The zero value is no scope."))
	f.Type().Id("Scope").Id(g.scopeType)
	if len(scopes) > 0 {
		consts := make([]enumConst, len(scopes))
		for i, s := range scopes {
			comment := doc(fmt.Sprintf("%s is the scope %s.", s.GoName, s.Key), s.Description)
			consts[i] = enumConst{doc: comment, name: s.GoName, value: uint64(i + 1)}
		}
		g.rawDecl(f, constBlock{"Scope", consts})
		f.Add(staleGuard("scopes", consts))
	}
	g.declareKeys(f, "scope")
	g.declareText(f, "scopeDescs")

	e := enumKind{g: g, typ: "Scope", recv: "s", count: len(scopes), table: "scope"}
	e.emitAll(f, "AllScopes", "AllScopes returns every scope in authored order.")
	f.Comment(doc("ParseScope returns the scope with the given key, and whether there is one. It never allocates."))
	f.Func().Id("ParseScope").Params(jen.Id("key").String()).Params(jen.Id("Scope"), jen.Bool()).Block(g.lookup("scope", "Scope")...)
	e.emitValidity(f)
	e.emitString(f, "String returns the scope's key, or \"Scope(N)\" for a value that is not a scope of the catalog.")
	e.emitText(f, "Description", "Description returns the scope's description.", "scopeDescs")
	e.emitMarshal(f, "ParseScope", "a key")
	return nil
}

// planProfiles plans the profile tables, indexed by value-1.
func (g *gen) planProfiles() error {
	t := &keyTable{prefix: "profile", canon: len(g.cat.Profiles)}
	var names, descs []string
	var requires [][]uint64
	for i, p := range g.cat.Profiles {
		t.keys = append(t.keys, p.Key)
		t.values = append(t.values, uint64(i+1))
		names = append(names, p.Name)
		descs = append(descs, p.Description)
		requires = append(requires, g.idList(p.Requires))
	}
	g.addText("profileNames", "profileNameOff", names)
	g.addText("profileDescs", "profileDescOff", descs)
	g.addList("profileRequiresOff", "profileRequires", "Permission", requires)
	return g.addKeys(t)
}

// planScopes plans the scope tables, indexed by value-1. Scope keys are
// a key table, as role keys are, so that ParseScope is a perfect hash
// lookup like every other Parse.
func (g *gen) planScopes() error {
	t := &keyTable{prefix: "scope", canon: len(g.cat.Scopes)}
	var descs []string
	for i, s := range g.cat.Scopes {
		t.keys = append(t.keys, s.Key)
		t.values = append(t.values, uint64(i+1))
		descs = append(descs, s.Description)
	}
	g.addText("scopeDescs", "scopeDescOff", descs)
	return g.addKeys(t)
}

// docLinksOrNone is docLinks, or "nothing" for an empty list.
func docLinksOrNone(ps []*schema.Permission) string {
	if len(ps) == 0 {
		return "nothing"
	}
	return docLinks(ps)
}

package golang

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/permcat/permcat/schema"
)

// emitRoles writes roles.go: the Role type, its constants, Conditions and
// the effective permission tables.
//
// A role's permissions are stored as segments: one for what it holds
// always, then one per condition for what that condition adds. Each segment
// lists only its non-zero Set words as (word index, bits) pairs, so a role
// of a 100k-permission catalog costs what it holds, and Role.Permissions
// ORs a few words into a Set without allocating.
func (g *gen) emitRoles(f *jen.File) error {
	roles := g.cat.Roles
	conds := g.cat.Conditions
	f.Comment(doc("Role is a named bundle of grants. Its value is the role's authored position plus one, which changes when the catalog does: store a role's key (MarshalText does), not its value. The zero value is no role."))
	f.Type().Id("Role").Id(g.roleType)

	if len(roles) > 0 {
		consts := make([]enumConst, len(roles))
		for i, r := range roles {
			consts[i] = enumConst{doc: g.roleDoc(r), name: r.GoName, value: uint64(i + 1)}
		}
		g.rawDecl(f, constBlock{"Role", consts})
		f.Add(staleGuard("roles", consts))
	}

	fields := make([]jen.Code, 0, 2*len(conds))
	for _, c := range conds {
		fields = append(fields, jen.Comment(doc(fmt.Sprintf("%s is the condition %s.", c.GoName, c.Key), c.Description)).Line().Id(c.GoName).Bool())
	}
	f.Comment(doc("Conditions are the runtime switches that gate conditional grants: such a grant holds only while its condition is true. The zero value has every condition false, which leaves a role its unconditional permissions."))
	f.Type().Id("Conditions").Struct(fields...)

	g.declareKeys(f, "role")
	g.declareText(f, "roleNames")
	g.declareText(f, "roleDescs")
	g.declare(f, "roleLanding", "")
	views := g.roleViews()
	f.Comment(doc(fmt.Sprintf("roleSegments is how many segments each view of a role has: what it holds always, then what each of the %d conditions adds.", len(conds))))
	f.Const().Id("roleSegments").Op("=").Lit(len(conds) + 1)
	if views > 1 {
		f.Comment(doc("roleViews is how many views each role has: everything it holds (view 0), what it holds everywhere, bound to no scope (view 1), and for each scope s what it holds within s (view 1+s): everywhere or bound to s."))
	} else {
		f.Comment(doc("roleViews is how many views each role has. No grant of the catalog is bound to a scope, so a role holds everything everywhere: one view."))
	}
	f.Const().Id("roleViews").Op("=").Lit(views)
	f.Comment(doc("roleCount is how many roles there are; the tables hold view 0 of every role, then view 1 of every role, and so on."))
	f.Const().Id("roleCount").Op("=").Lit(len(roles))
	g.declare(f, "roleSegOff", "Condition segment j of view v of role r is segment i = ((v*roleCount)+r-1)*roleSegments+j of the tables: the pairs roleSegOff[i] to roleSegOff[i+1] of roleWordIdx and roleWordBits, a Set word's index, ascending, and its bits.")
	g.declare(f, "roleWordIdx", "")
	g.declare(f, "roleWordBits", "")

	e := enumKind{g: g, typ: "Role", recv: "r", count: len(roles), table: "role"}
	e.emitAll(f, "AllRoles", "AllRoles returns every role in authored order.")
	f.Comment(doc("ParseRole returns the role with the given key, and whether there is one. It never allocates."))
	f.Func().Id("ParseRole").Params(jen.Id("key").String()).Params(jen.Id("Role"), jen.Bool()).Block(g.lookup("role", "Role")...)
	e.emitValidity(f)
	e.emitString(f, "String returns the role's key, or \"Role(N)\" for a value that is not a role of the catalog.")
	e.emitText(f, "Name", "Name returns the role's display name.", "roleNames")
	e.emitText(f, "Description", "Description returns the role's description.", "roleDescs")

	f.Comment(doc("Landing returns the group whose section the role is shown after login (its own, else inherited through extends), and false when it has none."))
	f.Func().Params(jen.Id("r").Id("Role")).Id("Landing").Params().Params(jen.Id("Group"), jen.Bool()).Block(
		jen.If(jen.Op("!").Id("r").Dot("valid").Call()).Block(jen.Return(jen.Lit(0), jen.False())),
		jen.Id("l").Op(":=").Add(g.at("roleLanding", e.pos())),
		jen.Return(jen.Id("l"), jen.Id("l").Op("!=").Lit(0)),
	)

	if g.stringSet() {
		g.emitStringRoleSet(f)
	}
	// set returns the statements that return view v of the role (see
	// roleViews) under the conditions c: a call of roleSet for the string
	// form, else the segments ORed in place, so that the array form's
	// methods need no call beyond addRoleSegment.
	cachedViews := g.roleCachedViews()
	set := func(v jen.Code, cached bool) []jen.Code {
		vk := jen.Parens(v)
		if id, ok := v.(*jen.Statement); ok && id.GoString() == "v" {
			vk = jen.Id("v")
		}
		if g.stringSet() && cached {
			// The cache lookup in place; roleSet builds on a miss.
			return append(g.roleSlot(vk), g.roleCacheHit(), jen.Return(jen.Id("roleSet").Call(v, jen.Id("c"))))
		}
		if g.stringSet() {
			return []jen.Code{jen.Return(jen.Id("roleSet").Call(v, jen.Id("c")))}
		}
		body := []jen.Code{
			jen.Var().Id("set").Id("Set"),
			jen.Id("k").Op(":=").Add(vk).Op("*").Id("roleSegments"),
			jen.Id("set").Dot("addRoleSegment").Call(jen.Id("k")),
		}
		for i, c := range conds {
			body = append(body, jen.If(jen.Id("c").Dot(c.GoName)).Block(
				jen.Id("set").Dot("addRoleSegment").Call(jen.Id("k").Op("+").Lit(i+1)),
			))
		}
		return append(body, jen.Return(jen.Id("set")))
	}
	// view is the index of view v (nil: 0) of the receiver role.
	view := func(v jen.Code) *jen.Statement {
		if v == nil {
			return e.pos()
		}
		return jen.Add(v).Op("*").Id("roleCount").Op("+").Add(e.pos())
	}
	invalid := jen.If(jen.Op("!").Id("r").Dot("valid").Call())
	allocDoc := func(cached bool) string {
		switch {
		case !g.stringSet():
			return "It never allocates."
		case cached:
			return "The first call for a role, view and combination of conditions builds the set; later ones return it without allocating."
		}
		return fmt.Sprintf("The first call for a role, view and combination of conditions builds the set and keeps it in a map (the catalog has too many roles, scopes and conditions for a table of every combination); later ones return it without allocating. Past %dMB of kept sets, a set not yet kept is built on every call.", g.setBudget>>20)
	}
	alloc, allocViews := allocDoc(cachedViews >= 1), allocDoc(cachedViews == views)
	f.Comment(doc("Permissions returns the role's effective permissions when the given conditions hold: extends applied, closed under implies, except removed, wherever they hold (see Within for grants bound to a scope). " + alloc))
	f.Func().Params(jen.Id("r").Id("Role")).Id("Permissions").Params(jen.Id("c").Id("Conditions")).Id("Set").Block(
		append([]jen.Code{invalid.Clone().Block(jen.Return(jen.Id("Set").Values()))}, set(view(nil), cachedViews >= 1)...)...,
	)
	var everywhere jen.Code
	within := func() jen.Code { return nil }
	if views > 1 {
		everywhere, within = jen.Lit(1), func() jen.Code { return jen.Parens(jen.Lit(1).Op("+").Int().Call(jen.Id("s"))) }
	}
	f.Comment(doc("Everywhere returns the permissions the role holds bound to no scope, when the given conditions hold: what someone holding the role may do anywhere. A grant bound to a scope, or of a permission set per scope, is left out (see Within). " + allocViews))
	f.Func().Params(jen.Id("r").Id("Role")).Id("Everywhere").Params(jen.Id("c").Id("Conditions")).Id("Set").Block(
		append([]jen.Code{invalid.Clone().Block(jen.Return(jen.Id("Set").Values()))}, set(view(everywhere), cachedViews == views)...)...,
	)
	f.Comment(doc("Within returns the permissions the role holds within one instance of scope s (a facility, a store… where someone holds the role) when the given conditions hold: those it holds everywhere and those bound to s. With s not a scope of the catalog (the zero Scope) it is Everywhere. " + allocViews))
	withinBody := []jen.Code{invalid.Clone().Block(jen.Return(jen.Id("Set").Values()))}
	if views > 1 {
		withinBody = append(withinBody,
			jen.Id("v").Op(":=").Id("roleCount").Op("+").Add(e.pos()),
			jen.If(jen.Id("s").Dot("valid").Call()).Block(jen.Id("v").Op("+=").Int().Call(jen.Id("s")).Op("*").Id("roleCount")),
		)
		withinBody = append(withinBody, set(jen.Id("v"), cachedViews == views)...)
	} else {
		withinBody = append(withinBody, set(view(nil), cachedViews >= 1)...)
	}
	f.Func().Params(jen.Id("r").Id("Role")).Id("Within").Params(jen.Id("s").Id("Scope"), jen.Id("c").Id("Conditions")).Id("Set").Block(withinBody...)

	has := []jen.Code{jen.Id("k").Op(":=").Id("v").Op("*").Id("roleSegments")}
	if len(conds) == 0 {
		has = append(has, jen.Return(jen.Id("roleSegmentHas").Call(jen.Id("k"), jen.Id("p"))))
	} else {
		has = append(has, jen.If(jen.Id("roleSegmentHas").Call(jen.Id("k"), jen.Id("p"))).Block(jen.Return(jen.True())))
		for i, c := range conds {
			test := jen.Id("c").Dot(c.GoName).Op("&&").Id("roleSegmentHas").Call(jen.Id("k").Op("+").Lit(i+1), jen.Id("p"))
			if i == len(conds)-1 {
				has = append(has, jen.Return(test))
			} else {
				has = append(has, jen.If(test).Block(jen.Return(jen.True())))
			}
		}
	}
	f.Comment(doc("roleHas reports whether view v of the role tables holds p when the given conditions hold."))
	f.Func().Id("roleHas").Params(jen.Id("v").Int(), jen.Id("p").Id("Permission"), jen.Id("c").Id("Conditions")).Bool().Block(has...)
	f.Comment(doc("Has reports whether the role holds p when the given conditions hold, wherever it holds it; the same as r.Permissions(c).Has(p), without building the set."))
	f.Func().Params(jen.Id("r").Id("Role")).Id("Has").Params(jen.Id("p").Id("Permission"), jen.Id("c").Id("Conditions")).Bool().Block(
		invalid.Clone().Block(jen.Return(jen.False())),
		jen.Return(jen.Id("roleHas").Call(view(nil), jen.Id("p"), jen.Id("c"))),
	)
	f.Comment(doc("HasWithin reports whether the role holds p within one instance of scope s when the given conditions hold, and with s the zero Scope whether it holds p everywhere; the same as r.Within(s, c).Has(p), without building the set."))
	hasBody := []jen.Code{invalid.Clone().Block(jen.Return(jen.False()))}
	if views > 1 {
		hasBody = append(hasBody, jen.If(jen.Op("!").Id("s").Dot("valid").Call()).Block(jen.Return(jen.Id("roleHas").Call(view(everywhere), jen.Id("p"), jen.Id("c")))))
	}
	hasBody = append(hasBody, jen.Return(jen.Id("roleHas").Call(view(within()), jen.Id("p"), jen.Id("c"))))
	f.Func().Params(jen.Id("r").Id("Role")).Id("HasWithin").Params(jen.Id("p").Id("Permission"), jen.Id("s").Id("Scope"), jen.Id("c").Id("Conditions")).Bool().Block(hasBody...)

	segment := func() *jen.Statement {
		return jen.For(
			jen.Id("n").Op(":=").Add(g.atInt("roleSegOff", jen.Id("k"))),
			jen.Id("n").Op("<").Add(g.atInt("roleSegOff", jen.Id("k").Op("+").Lit(1))),
			jen.Id("n").Op("++"),
		)
	}
	if !g.stringSet() {
		f.Comment(doc("addRoleSegment adds segment k of the role tables to the set."))
		f.Func().Params(jen.Id("s").Op("*").Id("Set")).Id("addRoleSegment").Params(jen.Id("k").Int()).Block(
			segment().Block(
				jen.Id("s").Dot("w").Index(g.at("roleWordIdx", jen.Id("n"))).Op("|=").Add(g.at("roleWordBits", jen.Id("n"))),
			),
		)
	}
	f.Comment(doc("roleSegmentHas reports whether segment k of the role tables holds p."))
	f.Func().Id("roleSegmentHas").Params(jen.Id("k").Int(), jen.Id("p").Id("Permission")).Bool().Block(
		jen.Id("i").Op(":=").Uint().Call(jen.Id("p")).Op(">>").Lit(6),
		segment().Block(
			jen.If(jen.Id("w").Op(":=").Uint().Call(g.at("roleWordIdx", jen.Id("n"))), jen.Id("w").Op(">=").Id("i")).Block(
				jen.Return(jen.Id("w").Op("==").Id("i").Op("&&").Add(g.at("roleWordBits", jen.Id("n"))).Op("&").Parens(jen.Lit(1).Op("<<").Parens(jen.Uint().Call(jen.Id("p")).Op("&").Lit(63))).Op("!=").Lit(0)),
			),
		),
		jen.Return(jen.False()),
	)

	e.emitMarshal(f, "ParseRole", "a key")
	return nil
}

// roleCacheLimit bounds the cache of string-form role sets: one slot per
// role and combination of conditions.
const roleCacheLimit = 1 << 16

// roleViews is how many views of each role the tables hold: one when no
// grant is bound to a scope, else everything, everywhere, and one per scope.
func (g *gen) roleViews() int {
	for _, r := range g.cat.Roles {
		for _, e := range r.Effective {
			for _, w := range e.Ways {
				if w.Scope != nil {
					return len(g.cat.Scopes) + 2
				}
			}
		}
	}
	return 1
}

// roleCachedViews is how many views of string-form role sets are cached,
// one slot per role, view and combination of conditions: every view when
// they fit in roleCacheLimit slots, else view 0 (Permissions) alone when
// it fits, else none.
func (g *gen) roleCachedViews() int {
	conds := len(g.cat.Conditions)
	if conds > 16 { // 2^conds alone is past roleCacheLimit
		return 0
	}
	perView := len(g.cat.Roles) << conds
	for _, v := range []int{g.roleViews(), 1} {
		if perView*v <= g.cacheLimit {
			return v
		}
	}
	return 0
}

// roleSlot declares slot, the role cache's slot for view index v under the
// conditions c: v << conditions, one bit per true condition.
func (g *gen) roleSlot(v jen.Code) []jen.Code {
	out := []jen.Code{jen.Id("slot").Op(":=").Add(v).Op("<<").Lit(len(g.cat.Conditions))}
	for i, c := range g.cat.Conditions {
		out = append(out, jen.If(jen.Id("c").Dot(c.GoName)).Block(jen.Id("slot").Op("|=").Lit(1<<i)))
	}
	return out
}

// roleCacheHit returns the cached set of slot when there is one.
func (g *gen) roleCacheHit() jen.Code {
	return jen.If(jen.Id("b").Op(":=").Id("roleSetCache").Index(jen.Id("slot")).Dot("Load").Call(), jen.Id("b").Op("!=").Nil()).Block(
		jen.Return(jen.Id("Set").Values(jen.Op("*").Id("b"))),
	)
}

// roleSetMoreBudget bounds the memory of the role sets the map behind the
// array cache keeps, in bytes, counting each set's bitset and an estimate
// of what an entry of the map costs beside it (roleSetEntryCost): past
// it a set is built on every call, so that callers asking for ever new
// combinations of many conditions cannot grow it without end.
const (
	roleSetMoreBudget = 64 << 20
	roleSetEntryCost  = 64
)

// emitRoleSetMore writes the map that keeps the role sets the array cache
// has no slot for (all of them when there is no array), and its two
// accessors. Map keys are comparable structs, so a lookup allocates
// nothing; a read lock is a few nanoseconds more than the array's load.
func (g *gen) emitRoleSetMore(f *jen.File, cached bool) {
	what := "every view"
	if cached {
		what = "the views roleSetCache has no slot for"
	}
	f.Comment(doc("roleSetKey names view v of the role tables under conditions c."))
	f.Type().Id("roleSetKey").Struct(jen.Id("v").Int(), jen.Id("c").Id("Conditions"))
	f.Comment(doc(fmt.Sprintf("roleSetMore keeps %s of each role, built on first use, while they take up to %dMB (size counts each set's bytes and %d for its entry); past that, a set is built on every call. It starts empty: the package does no work at init.", what, g.setBudget>>20, roleSetEntryCost)))
	f.Var().Id("roleSetMore").Struct(
		jen.Qual("sync", "RWMutex"),
		jen.Id("m").Map(jen.Id("roleSetKey")).String(),
		jen.Id("size").Int(),
		jen.Id("full").Qual("sync/atomic", "Bool"),
	)
	f.Comment(doc("roleSetLookup returns the kept set of view v under conditions c, if there is one."))
	f.Func().Id("roleSetLookup").Params(jen.Id("v").Int(), jen.Id("c").Id("Conditions")).Params(jen.Id("Set"), jen.Bool()).Block(
		jen.Id("roleSetMore").Dot("RLock").Call(),
		jen.List(jen.Id("b"), jen.Id("ok")).Op(":=").Id("roleSetMore").Dot("m").Index(jen.Id("roleSetKey").Values(jen.Id("v"), jen.Id("c"))),
		jen.Id("roleSetMore").Dot("RUnlock").Call(),
		jen.Return(jen.Id("Set").Values(jen.Id("b")), jen.Id("ok")),
	)
	f.Comment(doc("roleSetKeep keeps s as view v under conditions c, while there is room; once a set did not fit, it no longer takes the lock."))
	f.Func().Id("roleSetKeep").Params(jen.Id("v").Int(), jen.Id("c").Id("Conditions"), jen.Id("s").Id("Set")).Block(
		jen.If(jen.Id("roleSetMore").Dot("full").Dot("Load").Call()).Block(jen.Return()),
		jen.Id("k").Op(":=").Id("roleSetKey").Values(jen.Id("v"), jen.Id("c")),
		jen.Id("roleSetMore").Dot("Lock").Call(),
		jen.Defer().Id("roleSetMore").Dot("Unlock").Call(),
		jen.If(jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Id("roleSetMore").Dot("m").Index(jen.Id("k")), jen.Id("ok")).Block(
			jen.Return(), // another caller kept it first
		),
		jen.If(jen.Id("roleSetMore").Dot("m").Op("==").Nil()).Block(
			jen.Id("roleSetMore").Dot("m").Op("=").Make(jen.Map(jen.Id("roleSetKey")).String()),
		),
		jen.Id("n").Op(":=").Len(jen.Id("s").Dot("b")).Op("+").Lit(roleSetEntryCost),
		jen.If(jen.Id("roleSetMore").Dot("size").Op("+").Id("n").Op(">").Lit(g.setBudget)).Block(
			jen.Id("roleSetMore").Dot("full").Dot("Store").Call(jen.True()),
			jen.Return(),
		),
		jen.Id("roleSetMore").Dot("m").Index(jen.Id("k")).Op("=").Id("s").Dot("b"),
		jen.Id("roleSetMore").Dot("size").Op("+=").Id("n"),
	)
}

// emitStringRoleSet writes roleSet for the string form of Set. Building a
// set allocates its string, so each role's view per combination of
// conditions is built once, on first use, and kept: after that roleSet
// never allocates.
func (g *gen) emitStringRoleSet(f *jen.File) {
	conds := g.cat.Conditions
	cachedViews := g.roleCachedViews()
	slots := (len(g.cat.Roles) * cachedViews) << len(conds)
	cached := cachedViews > 0
	partial := cached && cachedViews < g.roleViews() // only the first views are cached
	// Views the array has no slot for are kept in a map, up to a bound.
	more := !cached || partial
	moreHit := jen.If(jen.List(jen.Id("s"), jen.Id("ok")).Op(":=").Id("roleSetLookup").Call(jen.Id("v"), jen.Id("c")), jen.Id("ok")).Block(jen.Return(jen.Id("s")))
	stmts := []jen.Code{jen.Id("k").Op(":=").Id("v").Op("*").Id("roleSegments")}
	if cached {
		stmts = append(stmts, g.roleSlot(jen.Id("v"))...)
		if partial {
			stmts = append(stmts, jen.Id("cached").Op(":=").Id("v").Op("<").Lit(cachedViews).Op("*").Id("roleCount"))
			stmts = append(stmts, jen.If(jen.Id("cached")).Block(g.roleCacheHit()).Else().Add(moreHit))
		} else {
			stmts = append(stmts, g.roleCacheHit())
		}
	} else {
		stmts = append(stmts, moreHit)
	}
	stmts = append(stmts,
		jen.Var().Id("buf").Index(jen.Id("setBytes")).Byte(),
		jen.Id("n").Op(":=").Id("addRoleSegment").Call(jen.Op("&").Id("buf"), jen.Id("k"), jen.Lit(0)),
	)
	for i, c := range conds {
		stmts = append(stmts, jen.If(jen.Id("c").Dot(c.GoName)).Block(
			jen.Id("n").Op("=").Id("addRoleSegment").Call(jen.Op("&").Id("buf"), jen.Id("k").Op("+").Lit(i+1), jen.Id("n")),
		))
	}
	stmts = append(stmts, jen.Id("s").Op(":=").Id("setOf").Call(jen.Op("&").Id("buf"), jen.Id("n")))
	keep := jen.Id("roleSetKeep").Call(jen.Id("v"), jen.Id("c"), jen.Id("s"))
	if partial {
		stmts = append(stmts, jen.If(jen.Id("cached")).Block(jen.Id("roleSetCache").Index(jen.Id("slot")).Dot("Store").Call(jen.Op("&").Id("s").Dot("b"))).Else().Block(keep))
	} else if cached {
		stmts = append(stmts, jen.Id("roleSetCache").Index(jen.Id("slot")).Dot("Store").Call(jen.Op("&").Id("s").Dot("b")))
	} else {
		stmts = append(stmts, keep)
	}
	stmts = append(stmts, jen.Return(jen.Id("s")))

	if cached {
		f.Comment(doc(fmt.Sprintf("roleSetCache keeps each view of each role (see roleViews) per combination of the %d conditions (slot: view << %d | one bit per true condition), built on first use. It starts empty: the package does no work at init.", len(conds), len(conds))))
		f.Var().Id("roleSetCache").Index(jen.Lit(slots)).Qual("sync/atomic", "Pointer").Index(jen.String())
	}
	if more {
		g.emitRoleSetMore(f, cached)
	}
	f.Comment(doc("roleSet returns view v of the role tables (see roleViews) when the given conditions hold, built on first use and kept."))
	f.Func().Id("roleSet").Params(jen.Id("v").Int(), jen.Id("c").Id("Conditions")).Id("Set").Block(stmts...)

	f.Comment(doc("addRoleSegment ORs segment k of the role tables into buf and returns one past its last non-zero byte, or n if that is more."))
	f.Func().Id("addRoleSegment").Params(jen.Id("buf").Op("*").Index(jen.Id("setBytes")).Byte(), jen.List(jen.Id("k"), jen.Id("n")).Int()).Int().Block(
		jen.For(
			jen.Id("j").Op(":=").Add(g.atInt("roleSegOff", jen.Id("k"))),
			jen.Id("j").Op("<").Add(g.atInt("roleSegOff", jen.Id("k").Op("+").Lit(1))),
			jen.Id("j").Op("++"),
		).Block(
			jen.List(jen.Id("i"), jen.Id("w")).Op(":=").Int().Call(g.at("roleWordIdx", jen.Id("j"))).Op("*").Lit(8).Op(",").Add(g.at("roleWordBits", jen.Id("j"))),
			code(`for b := 0; w != 0; b, w = b+1, w>>8 {
	if byte(w) != 0 {
		buf[i+b] |= byte(w)
		n = max(n, i+b+1)
	}
}`),
		),
		jen.Return(jen.Id("n")),
	)
}

// planRoles plans the role tables. A role's permissions are segments: what
// it holds always, then what each condition adds; each segment lists only
// its non-zero Set words as (word index, bits) pairs.
func (g *gen) planRoles() error {
	roles := g.cat.Roles
	segs := len(g.cat.Conditions) + 1
	views := g.roleViews()
	t := &keyTable{prefix: "role", canon: len(roles)}
	var names, descs []string
	landing := make([]uint64, len(roles))
	// perRole[i][v*segs+k] is segment k of view v of role i; the tables
	// hold them view by view (see roleCount).
	perRole := make([][]map[int]uint64, len(roles))
	for i, r := range roles {
		t.keys = append(t.keys, r.Key)
		t.values = append(t.values, uint64(i+1))
		names = append(names, r.Name)
		descs = append(descs, r.Description)
		if r.Landing != nil {
			landing[i] = uint64(g.groupPos[r.Landing] + 1)
		}
		sets := make([]map[int]uint64, segs*views)
		for k := range sets {
			sets[k] = map[int]uint64{}
		}
		for _, e := range r.Effective {
			id := e.Permission.ID
			bit := uint64(1) << (id % 64)
			for v := 0; v < views; v++ {
				var always bool
				var when []*schema.Condition
				for _, w := range e.Ways {
					if v == 0 || w.Scope == nil || v >= 2 && g.scopePos[w.Scope] == v-2 {
						if w.When == nil {
							always = true
						} else {
							when = append(when, w.When)
						}
					}
				}
				base := v * segs
				if always {
					sets[base][int(id/64)] |= bit
					continue
				}
				for _, c := range when {
					sets[base+1+g.condPos[c]][int(id/64)] |= bit
				}
			}
		}
		perRole[i] = sets
	}
	segOff := []uint64{0}
	var wordIdx, wordBits []uint64
	for v := 0; v < views; v++ {
		for i := range roles {
			for _, words := range perRole[i][v*segs : (v+1)*segs] {
				idx := make([]int, 0, len(words))
				for wi := range words {
					idx = append(idx, wi)
				}
				slices.Sort(idx)
				for _, wi := range idx {
					wordIdx = append(wordIdx, uint64(wi))
					wordBits = append(wordBits, words[wi])
				}
				segOff = append(segOff, uint64(len(wordIdx)))
			}
		}
	}
	g.addText("roleNames", "roleNameOff", names)
	g.addText("roleDescs", "roleDescOff", descs)
	g.addTable("roleLanding", "Group", landing)
	g.addOffsets("roleSegOff", segOff)
	g.addTable("roleWordIdx", sizedType(uint64(g.words), 8), wordIdx)
	g.addTable("roleWordBits", "uint64", wordBits).hex = true
	return g.addKeys(t)
}

// roleDoc is a role constant's doc comment.
func (g *gen) roleDoc(r *schema.Role) string {
	var facts []string
	if len(r.Extends) > 0 {
		links := make([]string, len(r.Extends))
		for i, x := range r.Extends {
			links[i] = "[" + x.GoName + "]"
		}
		facts = append(facts, "Extends: "+strings.Join(links, ", ")+".")
	}
	if r.Landing != nil {
		facts = append(facts, "Landing: ["+r.Landing.GoName+"].")
	}
	return doc(fmt.Sprintf("%s is %q (%s).", r.GoName, clean(r.Name), r.Key), r.Description, strings.Join(facts, "\n"))
}

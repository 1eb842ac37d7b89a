package schema

import (
	"fmt"
	"strings"
	"testing"
)

const scopedShop = `permcat: 1
catalog: scoped
scopes:
  store: {description: A store.}
  region: {description: A region.}
conditions:
  night: {description: Night shift.}
groups:
  till:
    name: Till
    permissions:
      view: {name: View}
      edit: {name: Edit, requires: [view]}
      manage: {name: Manage, implies: [edit, view]}
  stock:
    name: Stock
    scope: store
    permissions:
      view: {name: View}
      count: {name: Count, implies: [view]}
`

// waysOf renders a role's ways of holding each permission, e.g.
// "till.view=always@store,night@-".
func waysOf(r *Role) string {
	var parts []string
	for _, g := range r.Effective {
		var ws []string
		for _, w := range g.Ways {
			s := "always"
			if w.When != nil {
				s = w.When.Key
			}
			if w.Scope != nil {
				s += "@" + w.Scope.Key
			} else {
				s += "@-"
			}
			ws = append(ws, s)
		}
		parts = append(parts, g.Permission.Key+"="+strings.Join(ws, ","))
	}
	return strings.Join(parts, " ")
}

// A grant binds the scope it names, else the permission's own; what a
// permission implies is bound like it unless it has a scope of its own;
// extends unions the ways, and a way another implies is dropped.
func TestWaysCarryConditionAndScope(t *testing.T) {
	cat := mustCompile(t, map[string]string{"permcat.yaml": scopedShop + `roles:
  clerk:
    name: Clerk
    grants:
      - till.manage: {scope: store}
      - till.view: {when: night}
      - stock.count
  regional:
    name: Regional
    grants:
      - till.manage: {scope: region}
  lead:
    name: Lead
    extends: [clerk, regional]
    grants:
      - till.view
`})
	for role, want := range map[string]string{
		"clerk":    "till.view=always@store,night@- till.edit=always@store till.manage=always@store stock.view=always@store stock.count=always@store",
		"regional": "till.view=always@region till.edit=always@region till.manage=always@region",
		// till.view everywhere always makes every other way of it redundant.
		"lead": "till.view=always@- till.edit=always@store,always@region till.manage=always@store,always@region stock.view=always@store stock.count=always@store",
	} {
		if got := waysOf(cat.RoleByKey(role)); got != want {
			t.Errorf("%s:\n got %s\nwant %s", role, got, want)
		}
	}
	clerk := cat.RoleByKey("clerk")
	view := clerk.EffectiveOf(cat.PermissionByKey("till.view"))
	off := func(*Condition) bool { return false }
	on := func(*Condition) bool { return true }
	store, region := cat.Scopes[0], cat.Scopes[1]
	for _, c := range []struct {
		on    func(*Condition) bool
		scope *Scope
		want  bool
	}{
		{off, nil, false}, {off, store, true}, {off, region, false},
		{on, nil, true}, {on, store, true}, {on, region, true},
	} {
		if got := view.Within(c.on, c.scope); got != c.want {
			t.Errorf("clerk till.view Within(night=%v, %v) = %v, want %v", c.on(nil), c.scope, got, c.want)
		}
	}
	if view.Scope != nil || cat.RoleByKey("regional").EffectiveOf(cat.PermissionByKey("till.edit")).Scope != region {
		t.Errorf("EffectiveGrant.Scope should be the scope every way binds, else nil")
	}
	if got := view.WaysText(); got != "always per store; when night everywhere" {
		t.Errorf("WaysText = %q", got)
	}
}

// A permission held within a scope needs what it requires there too:
// under the same or a weaker condition, bound to the same scope or none.
func TestRequiresIsCheckedPerScope(t *testing.T) {
	_, errs, _ := compileText(t, map[string]string{"permcat.yaml": scopedShop + `roles:
  split:
    name: Split
    grants:
      - till.edit: {scope: store}
      - till.view: {scope: region}
  fine:
    name: Fine
    grants:
      - till.edit: {scope: store}
      - till.view
`})
	wantFindings(t, fmt.Sprint(errs),
		"role split holds till.edit always per store but till.view only always per region; till.edit requires till.view, so grant it everywhere or per store [requires-unmet]",
	)
	if strings.Contains(fmt.Sprint(errs), "role fine") {
		t.Errorf("a requirement held everywhere covers every scope:\n%s", errs)
	}
}

// Scope is carried step by step along implies: a permission with a scope
// of its own binds what it implies in turn.
func TestScopeFollowsImpliesStepByStep(t *testing.T) {
	cat := mustCompile(t, map[string]string{"permcat.yaml": `permcat: 1
catalog: chain
scopes:
  facility: {description: A facility.}
  store: {description: A store.}
groups:
  a:
    name: A
    permissions:
      p: {name: P, implies: [b.q]}
      r: {name: R}
  b:
    name: B
    scope: facility
    permissions:
      q: {name: Q, implies: [a.r]}
roles:
  plain: {name: Plain, grants: [a.p]}
  stored: {name: Stored, grants: [{a.p: {scope: store}}]}
`})
	for role, want := range map[string]string{
		"plain":  "a.p=always@- a.r=always@facility b.q=always@facility",
		"stored": "a.p=always@store a.r=always@facility b.q=always@facility",
	} {
		if got := waysOf(cat.RoleByKey(role)); got != want {
			t.Errorf("%s:\n got %s\nwant %s", role, got, want)
		}
	}
}

// A requirement set per a scope of its own can only be met by binding the
// grant to that scope, and the error says so once, at the role that
// grants it, not again in the roles that extend it.
func TestARequirementSetPerScopeAsksToBindTheGrant(t *testing.T) {
	_, errs, _ := compileText(t, map[string]string{"permcat.yaml": `permcat: 1
catalog: cross
scopes:
  facility: {description: A facility.}
groups:
  reports:
    name: Reports
    permissions:
      export: {name: Export, requires: [metrc.sync]}
  metrc:
    name: Metrc
    scope: facility
    permissions:
      sync: {name: Sync}
roles:
  exporter: {name: Exporter, grants: [reports.export, metrc.sync]}
  child: {name: Child, extends: [exporter]}
  bound: {name: Bound, grants: [{reports.export: {scope: facility}}, metrc.sync]}
`})
	text := fmt.Sprint(errs)
	wantFindings(t, text, "role exporter holds reports.export always but metrc.sync only always per facility; reports.export requires metrc.sync, and metrc.sync is set per facility, so bind the grant \"reports.export\" to facility, or set `scope: facility` on reports.export [requires-unmet]")
	if strings.Contains(text, "role child") || strings.Contains(text, "role bound") {
		t.Errorf("only exporter is at fault:\n%s", text)
	}
}

// A permission set per another scope than its group's contradicts the
// group's "every permission is per …": a warning at the permission's scope.
func TestAPermissionScopeOtherThanItsGroupsIsAWarning(t *testing.T) {
	_, errs, _ := compileText(t, map[string]string{"permcat.yaml": `permcat: 1
catalog: override
scopes:
  store: {description: A store.}
  region: {description: A region.}
groups:
  g:
    name: G
    scope: store
    permissions:
      a: {name: A}
      b: {name: B, scope: region}
      c: {name: C, scope: store}
roles:
  r: {name: R, grants: ["g.*"]}
`})
	text := fmt.Sprint(errs)
	wantFindings(t, text, "permcat.yaml:12:27: warning: permission g.b is set per region, but its group g says every permission under it is per store; move it to a group of its own, or drop one of the scopes [scope-override]")
	if strings.Count(text, "scope-override") != 1 {
		t.Errorf("only g.b overrides its group's scope:\n%s", text)
	}
}

// The advice names the grant behind an implied permission, says when no
// grant can meet a requirement between two permissions set per different
// scopes, and a subgroup set per another scope than its parent is warned.
func TestScopeAdviceNamesTheGrantAndTheImpossible(t *testing.T) {
	_, errs, _ := compileText(t, map[string]string{"permcat.yaml": `permcat: 1
catalog: advice
scopes:
  facility: {description: A facility.}
  store: {description: A store.}
groups:
  reports:
    name: Reports
    permissions:
      export: {name: Export, requires: [metrc.sync]}
      big: {name: Big, implies: [export]}
  metrc:
    name: Metrc
    scope: facility
    permissions:
      sync: {name: Sync}
  reg:
    name: Reg
    scope: store
    permissions:
      open: {name: Open, requires: [metrc.sync]}
    groups:
      sub:
        name: Sub
        scope: facility
        permissions:
          x: {name: X}
roles:
  c: {name: C, grants: [metrc.sync, reports.big]}
  d: {name: D, grants: [metrc.sync, reg.open]}
`})
	wantFindings(t, fmt.Sprint(errs),
		`role c holds reports.export always (implied by reports.big) but metrc.sync only always per facility`,
		`so bind the grant "reports.big" to facility, or set `+"`scope: facility`"+` on reports.export [requires-unmet]`,
		"but reg.open is set per store and metrc.sync per facility, so no grant can meet the requirement; set both per the same scope, or drop the requirement [requires-unmet]",
		"warning: group reg.sub is set per facility, but its parent reg says every permission under it is per store; move it out of reg, or drop one of the scopes [scope-override]",
	)
}

// A grant bound to one scope that implies a permission set per another
// holds that permission per its own scope, not the grant's: a warning at
// the grant's scope, once per grant, naming the way it is implied. A
// grant whose scope agrees, or one without a scope, is not warned.
func TestAGrantScopeRebindingAnImpliedPermissionIsAWarning(t *testing.T) {
	_, errs, _ := compileText(t, map[string]string{"permcat.yaml": `permcat: 1
catalog: rebind
scopes:
  store: {description: A store.}
  facility: {description: A facility.}
groups:
  reports:
    name: Reports
    permissions:
      view: {name: View}
      edit: {name: Edit, implies: [view, metrc.mid]}
  metrc:
    name: Metrc
    permissions:
      mid: {name: Mid, implies: [sync]}
      sync: {name: Sync, scope: facility}
      local: {name: Local, scope: store, implies: [sync]}
roles:
  a: {name: A, grants: [{reports.edit: {scope: store}}]}
  b: {name: B, grants: [{reports.edit: {scope: facility}}]}
  c: {name: C, grants: [reports.edit]}
  d: {name: D, grants: [{reports.view: {scope: store}}, {metrc.local: {scope: store}}]}
  e: {name: E, grants: [{"reports.*": {scope: store}}]}
`})
	text := fmt.Sprint(errs)
	wantFindings(t, text,
		"permcat.yaml:19:48: warning: role a binds reports.edit to scope store, but reports.edit implies metrc.sync, which is set per facility: the role holds metrc.sync per facility, not per store [implied-scope]",
		"permcat.yaml:23:47: warning: role e binds reports.* to scope store, but reports.edit implies metrc.sync, which is set per facility: the role holds metrc.sync per facility, not per store [implied-scope]",
	)
	if n := strings.Count(text, "implied-scope"); n != 2 {
		t.Errorf("want 2 implied-scope warnings (roles a and e), got %d:\n%s", n, text)
	}
}

// A wildcard grant is not advised to be bound to a scope (that would bind
// everything it matches): the requiring permission is.
func TestAWildcardGrantIsNotAdvisedToTakeAScope(t *testing.T) {
	_, errs, _ := compileText(t, map[string]string{"permcat.yaml": `permcat: 1
catalog: wild
scopes:
  store: {description: A store.}
  region: {description: A region.}
groups:
  orders:
    name: Orders
    permissions:
      restock: {name: Restock, requires: [inventory.adjust]}
  inventory:
    name: Inventory
    scope: store
    permissions:
      adjust: {name: Adjust}
roles:
  owner: {name: Owner, grants: ["**"]}
  clerk: {name: Clerk, grants: [{orders.restock: {scope: region}}, inventory.adjust]}
`})
	text := fmt.Sprint(errs)
	wantFindings(t, text, "so set `scope: store` on orders.restock (or its group) [requires-unmet]")
	// A grant bound to a scope already is not advised a scope on the
	// permission too, which would contradict the grant's.
	wantFindings(t, text, `so bind the grant "orders.restock" to store [requires-unmet]`)
	if strings.Contains(text, `bind the grant "**"`) {
		t.Errorf("advised to bind ** to a scope:\n%s", text)
	}
}

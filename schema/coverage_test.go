package schema

import (
	"slices"
	"strings"
	"testing"
)

// covOrders is a catalog body with three sibling permissions, so that an
// except can take away some of what a wildcard grant gives.
const covOrders = `permcat: 1
catalog: shop
groups:
  orders:
    name: Orders
    permissions:
      view: {name: View}
      export: {name: Export}
      refund: {name: Refund}
  billing:
    name: Billing
    permissions:
      view: {name: View}
`

// Grants that match nothing are covered elsewhere; an except goes through
// its own call, so a typo there must be caught too, not silently ignored.
func TestAnExceptThatMatchesNothingIsAnError(t *testing.T) {
	_, errs, dir := compileText(t, map[string]string{"permcat.yaml": covOrders + `roles:
  clerk:
    name: Clerk
    grants: ["orders.*"]
    except: [orders.exprot, "refunds.*", orders]
`})
	want := `permcat.yaml:18:14: except "orders.exprot" matches no permission (did you mean "orders.export"?) [pattern-no-match]
permcat.yaml:18:29: except "refunds.*" matches no permission [pattern-no-match]
permcat.yaml:18:42: except "orders" matches no permission (orders is a group: use orders.* for its own permissions or orders.** for everything under it) [pattern-no-match]
`
	if got := relErrors(dir, errs); got != want {
		t.Errorf("findings:\n%s\nwant:\n%s", got, want)
	}
}

// A parent's except is part of its effective set, which is what a child
// inherits; the child is still free to grant the permission itself.
func TestAParentsExceptIsAppliedBeforeAChildInheritsIt(t *testing.T) {
	cat := mustCompile(t, map[string]string{"permcat.yaml": covOrders + `roles:
  clerk:
    name: Clerk
    grants: ["orders.*"]
    except: [orders.export, orders.refund]
  lead:
    name: Lead
    extends: [clerk]
    grants: [billing.view]
  manager:
    name: Manager
    extends: [clerk]
    grants: [orders.export]
  director:
    name: Director
    extends: [lead]
`})
	for _, tc := range []struct{ role, want string }{
		{"clerk", "orders.view"},
		{"lead", "orders.view billing.view"},
		{"manager", "orders.view orders.export"},
		{"director", "orders.view billing.view"},
	} {
		if got := effectiveText(cat.RoleByKey(tc.role)); got != tc.want {
			t.Errorf("%s holds %s, want %s", tc.role, got, tc.want)
		}
	}
	eg := cat.RoleByKey("manager").EffectiveOf(cat.PermissionByKey("orders.export"))
	if eg == nil || len(eg.Sources) != 1 || eg.Sources[0].Role.Key != "manager" {
		t.Errorf("manager's orders.export should come from its own grant only, got %+v", eg)
	}
}

// Inheriting a landing is tested elsewhere; a role's own landing must win
// over it, and silently: the ambiguity warning is for roles that did not
// choose.
func TestARolesOwnLandingWinsOverAnInheritedOne(t *testing.T) {
	cat, errs, _ := compileText(t, map[string]string{"permcat.yaml": covOrders + `roles:
  clerk:
    name: Clerk
    landing: orders
    grants: [orders.view]
  accountant:
    name: Accountant
    landing: billing
    grants: [billing.view]
  lead:
    name: Lead
    extends: [clerk]
    landing: billing
    grants: [billing.view]
  both:
    name: Both
    extends: [clerk, accountant]
    landing: billing
`})
	if len(errs) != 0 {
		t.Fatalf("want no findings, got:\n%s", errs)
	}
	for _, role := range []string{"lead", "both"} {
		got := "nothing"
		if l := cat.RoleByKey(role).Landing; l != nil {
			got = l.Key
		}
		if got != "billing" {
			t.Errorf("%s lands on %s, want its own landing billing", role, got)
		}
	}
}

// covTree has permissions at depths two to four, and one at depth two
// under another top-level group, so each `**` position has something to
// match and something to miss.
const covTree = `permcat: 1
catalog: shop
groups:
  top:
    name: Top
    permissions:
      view: {name: View}
  a:
    name: A
    permissions:
      view: {name: View}
    groups:
      b:
        name: B
        permissions:
          view: {name: View}
          edit: {name: Edit}
        groups:
          c:
            name: C
            permissions:
              view: {name: View}
`

func permKeys(ps []*Permission) string {
	var ks []string
	for _, p := range ps {
		ks = append(ks, p.Key)
	}
	return strings.Join(ks, " ")
}

func TestDoubleStarBeforeTheEndMatchesOneOrMoreSegments(t *testing.T) {
	cat := mustCompile(t, map[string]string{"permcat.yaml": covTree + `roles:
  leading: {name: Leading, grants: ["**.view"]}
  middle: {name: Middle, grants: ["a.**.view"]}
  deep: {name: Deep, grants: ["a.**.c.view"]}
profiles:
  leading: {name: Leading, requires: ["**.view"]}
  middle: {name: Middle, requires: ["a.**.view"]}
`})
	for _, tc := range []struct{ role, want string }{
		{"leading", "top.view a.view a.b.view a.b.c.view"},
		// a.view is not matched: `**` never stands for zero segments.
		{"middle", "a.b.view a.b.c.view"},
		{"deep", "a.b.c.view"},
	} {
		if got := effectiveText(cat.RoleByKey(tc.role)); got != tc.want {
			t.Errorf("role %s holds %s, want %s", tc.role, got, tc.want)
		}
	}
	for _, tc := range []struct{ profile, want string }{
		{"leading", "top.view a.view a.b.view a.b.c.view"},
		{"middle", "a.b.view a.b.c.view"},
	} {
		if got := permKeys(cat.ProfileByKey(tc.profile).Requires); got != tc.want {
			t.Errorf("profile %s requires %s, want %s", tc.profile, got, tc.want)
		}
	}
}

func TestDoubleStarDoesNotMatchZeroSegments(t *testing.T) {
	_, errs, dir := compileText(t, map[string]string{"permcat.yaml": covTree + `roles:
  r: {name: R, grants: ["a.**.b.view"]}
profiles:
  p: {name: P, requires: ["**.top.view"]}
`})
	want := `permcat.yaml:24:25: grant "a.**.b.view" matches no permission [pattern-no-match]
permcat.yaml:26:27: profile requirement "**.top.view" matches no permission [pattern-no-match]
`
	if got := relErrors(dir, errs); got != want {
		t.Errorf("findings:\n%s\nwant:\n%s", got, want)
	}
}

// Fragments are read in lexical path order whatever order the globs that
// name them are listed in, so reordering include never reorders docs,
// listings or the IDs a new catalog hands out.
func TestFragmentsOfSeveralGlobsAreReadInLexicalPathOrder(t *testing.T) {
	reopen := func(perm string) string {
		return "groups:\n  orders:\n    permissions:\n      " + perm + ": {name: " + perm + "}\n"
	}
	cat, errs, dir := compileText(t, map[string]string{
		"permcat.yaml": "permcat: 1\ncatalog: shop\ninclude: [\"b/*.yaml\", \"a/*.yaml\"]\n" +
			"groups:\n  orders:\n    name: Orders\n    permissions:\n      view: {name: View}\n",
		"b/x.yaml": reopen("from_bx"),
		"b/a.yaml": reopen("from_ba") + group("beta")[len("groups:\n"):],
		"a/z.yaml": reopen("from_az") + group("alpha")[len("groups:\n"):],
	})
	if errs.HasErrors() {
		t.Fatalf("unexpected errors:\n%s", errs)
	}
	if got, want := fragmentsOf(t, dir, cat), []string{"a/z.yaml", "b/a.yaml", "b/x.yaml"}; !slices.Equal(got, want) {
		t.Errorf("fragments = %v, want %v", got, want)
	}
	want := "orders.view orders.from_az orders.from_ba orders.from_bx alpha.view beta.view"
	if got := permKeys(cat.Permissions); got != want {
		t.Errorf("permissions in authored order = %s, want %s", got, want)
	}
	var ids []string
	for _, e := range cat.Lock.Entries {
		ids = append(ids, e.Key)
	}
	if got := strings.Join(ids, " "); got != want {
		t.Errorf("a fresh lock numbers %s, want %s", got, want)
	}
}

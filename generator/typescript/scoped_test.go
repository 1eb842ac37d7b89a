package typescript

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/permcat/permcat/conformance"
	"github.com/permcat/permcat/schema"
)

// The tests of the scope-aware functions (rolePermissionsEverywhere,
// rolePermissionsWithin, roleHasWithin). Their answers are checked in
// TestGeneratedModulesBehaveLikeTheCatalog against withinTableOf, computed
// from the resolved model's EffectiveGrant.Within.

// scopedCatalog compiles testdata/scoped, a catalog that binds grants to
// scopes in every way the model knows, and checks that the resolver gave
// the ways its comments describe, so that the tests built on it cannot
// pass by testing something simpler.
func scopedCatalog(t *testing.T) *schema.Catalog {
	t.Helper()
	cat, errs := schema.Compile(filepath.Join("testdata", "scoped"), schema.Options{NoLock: true})
	if errs.HasErrors() || cat == nil {
		t.Fatalf("testdata/scoped does not compile:\n%v", errs)
	}
	implied := 0
	for _, w := range cat.Warnings {
		// supervisor and night_admin hold audit.log per facility through
		// grants bound to other scopes, on purpose: that is one of the
		// ways tested, and validate warns of it.
		if strings.HasSuffix(w.Error(), "[implied-scope]") && strings.Contains(w.Error(), "implies audit.log, which is set per facility") {
			implied++
			continue
		}
		t.Errorf("testdata/scoped: %v", w)
	}
	if implied != 2 {
		t.Errorf("testdata/scoped: %d implied-scope warnings, want 2 (supervisor, night_admin)", implied)
	}
	for _, c := range []struct{ role, perm, ways string }{
		{"clerk", "catalog.view", "always per store"},                                       // a grant {scope: store}
		{"clerk", "inventory.count", "always per store"},                                    // a permission with its own scope
		{"clerk", "inventory.view", "always per store"},                                     // implied
		{"manager", "catalog.view", "always per store; always per region"},                  // two scopes, through extends
		{"manager", "reports.view", "when night_shift everywhere; when weekend per region"}, // conditions and scopes mixed
		{"supervisor", "reports.export", "always per store; when night_shift everywhere"},   // per store always, everywhere under a condition
		{"supervisor", "reports.view", "always per store; when night_shift everywhere"},     // the same, implied
		{"supervisor", "catalog.view", "always per store; when weekend everywhere"},         // implied per store, granted everywhere at weekends
		{"supervisor", "audit.log", "always per facility"},                                  // implied, bound to its own scope
		{"auditor", "reports.view", "always everywhere"},                                    // not bound at all
		{"auditor", "reports.export", "when weekend per facility"},                          // a condition and a scope
		{"night_admin", "catalog.manage", "always per region; when night_shift everywhere"}, // per region always, everywhere at night
		{"night_admin", "inventory.view", "when night_shift per store"},                     // its own scope, under a condition
	} {
		if got := waysString(cat, c.role, c.perm); got != c.ways {
			t.Errorf("testdata/scoped: role %s holds %s %s, want %s", c.role, c.perm, got, c.ways)
		}
	}
	return cat
}

// waysString spells the ways role holds perm as "always per store; when
// weekend everywhere".
func waysString(cat *schema.Catalog, role, perm string) string {
	r, p := cat.RoleByKey(role), cat.PermissionByKey(perm)
	if r == nil || p == nil {
		return "(no such role or permission)"
	}
	g := r.EffectiveOf(p)
	if g == nil {
		return "(not held)"
	}
	var parts []string
	for _, w := range g.Ways {
		s := "always"
		if w.When != nil {
			s = "when " + w.When.Key
		}
		if w.Scope != nil {
			s += " per " + w.Scope.Key
		} else {
			s += " everywhere"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

// bindRandomly replaces the ways of a catalog built by conformance.Random
// (which binds only through permissions' own scopes) with random ways that
// agree with Always and When, so that mixed ways are exercised: each condition (or always) is held everywhere or
// within a random set of scopes (always within its own scope for a
// permission that has one), and often held somewhere else too, under a
// condition (any, for a grant held always; one of When otherwise). The
// ways are minimal and sorted, as the resolver makes them.
func bindRandomly(cat *schema.Catalog, seed int64) {
	rng := rand.New(rand.NewSource(seed))
	where := func(p *schema.Permission) []*schema.Scope {
		if p.Scope != nil {
			return []*schema.Scope{p.Scope}
		}
		if len(cat.Scopes) == 0 || rng.Intn(3) == 0 {
			return []*schema.Scope{nil}
		}
		var out []*schema.Scope
		for _, s := range cat.Scopes {
			if rng.Intn(2) == 0 {
				out = append(out, s)
			}
		}
		if len(out) == 0 {
			out = append(out, cat.Scopes[rng.Intn(len(cat.Scopes))])
		}
		return out
	}
	for _, r := range cat.Roles {
		for _, g := range r.Effective {
			ways := map[schema.Way]bool{}
			conds, more := g.When, g.When
			if g.Always {
				conds, more = []*schema.Condition{nil}, cat.Conditions
			}
			for _, c := range conds {
				for _, s := range where(g.Permission) {
					ways[schema.Way{When: c, Scope: s}] = true
				}
			}
			if len(more) > 0 && rng.Intn(3) != 0 {
				c := more[rng.Intn(len(more))]
				for _, s := range where(g.Permission) {
					ways[schema.Way{When: c, Scope: s}] = true
				}
			}
			g.Ways = minimalWays(ways)
			g.Scope = g.Ways[0].Scope
			for _, w := range g.Ways {
				if w.Scope != g.Scope {
					g.Scope = nil
				}
			}
		}
	}
}

// minimalWays drops the ways another implies and sorts the rest as
// EffectiveGrant.Ways is sorted.
func minimalWays(set map[schema.Way]bool) []schema.Way {
	var out []schema.Way
	for w := range set {
		if w.When != nil && set[schema.Way{Scope: w.Scope}] || w.Scope != nil && set[schema.Way{When: w.When}] || w != (schema.Way{}) && set[schema.Way{}] {
			continue
		}
		out = append(out, w)
	}
	idx := func(w schema.Way) (int, int) {
		c, s := -1, -1
		if w.When != nil {
			c = w.When.Index
		}
		if w.Scope != nil {
			s = w.Scope.Index
		}
		return c, s
	}
	sort.Slice(out, func(i, j int) bool {
		ci, si := idx(out[i])
		cj, sj := idx(out[j])
		return ci < cj || ci == cj && si < sj
	})
	return out
}

// withinTable is what the scope-aware functions of one module must answer.
type withinTable struct {
	Catalog     string       `json:"catalog"`
	Conditions  []string     `json:"conditions"` // TypeScript names
	Permissions []string     `json:"permissions"`
	Cases       []withinCase `json:"cases"`
}

// withinCase says that Role holds exactly Granted within Scope (everywhere
// when Scope is "") when exactly the conditions On (TypeScript names) are
// on.
type withinCase struct {
	Name    string   `json:"name"`
	Role    string   `json:"role"`
	On      []string `json:"on"`
	Scope   string   `json:"scope"`
	Granted []string `json:"granted"`
}

// modelWithin is whether g holds within s (everywhere when s is nil) under
// on, as the resolved model says: EffectiveGrant.Within. A grant without
// ways (a catalog built by hand) holds as Always and When say, bound to
// g.Scope, which is what the generator makes of it.
func modelWithin(g *schema.EffectiveGrant, on func(*schema.Condition) bool, s *schema.Scope) bool {
	if len(g.Ways) == 0 {
		return (g.Scope == nil || g.Scope == s) && g.HoldsUnder(on)
	}
	return g.Within(on, s)
}

// withinTableOf tries every role of cat within every scope and everywhere,
// under every combination of the conditions its ways depend on (or, past
// six of them, all off, all on, each alone and each missing) and under all
// of the catalog's conditions.
func withinTableOf(cat *schema.Catalog) *withinTable {
	t := &withinTable{Catalog: cat.Name, Conditions: []string{}, Permissions: []string{}, Cases: []withinCase{}}
	for _, c := range cat.Conditions {
		t.Conditions = append(t.Conditions, c.TSName)
	}
	for _, p := range cat.Permissions {
		t.Permissions = append(t.Permissions, p.Key)
	}
	scopes := append([]*schema.Scope{nil}, cat.Scopes...)
	for _, r := range cat.Roles {
		for _, on := range conditionSets(wayConditions(r), cat.Conditions) {
			isOn := func(c *schema.Condition) bool { return slices.Contains(on, c) }
			names := []string{}
			for _, c := range on {
				names = append(names, c.TSName)
			}
			for _, s := range scopes {
				wc := withinCase{Role: r.Key, On: names, Granted: []string{}}
				where := "everywhere"
				if s != nil {
					wc.Scope = s.Key
					where = "within " + s.Key
				}
				wc.Name = fmt.Sprintf("role %s %s, on: [%s]", r.Key, where, strings.Join(names, ", "))
				for _, g := range r.Effective {
					if modelWithin(g, isOn, s) {
						wc.Granted = append(wc.Granted, g.Permission.Key)
					}
				}
				t.Cases = append(t.Cases, wc)
			}
		}
	}
	return t
}

// wayConditions are the conditions any way of r's grants depends on, in
// catalog order. They may be more than r.RelevantConditions: a grant held
// always within a scope may be held elsewhere only under a condition.
func wayConditions(r *schema.Role) []*schema.Condition {
	var out []*schema.Condition
	add := func(c *schema.Condition) {
		if c != nil && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	for _, g := range r.Effective {
		for _, c := range g.When {
			add(c)
		}
		for _, w := range g.Ways {
			add(w.When)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Index < out[j].Index })
	return out
}

// conditionSets lists the sets of conditions to try, as conformance.TableOf
// does for rolePermissions.
func conditionSets(relevant, all []*schema.Condition) [][]*schema.Condition {
	var out [][]*schema.Condition
	add := func(on []*schema.Condition) {
		for _, o := range out {
			if slices.Equal(o, on) {
				return
			}
		}
		out = append(out, on)
	}
	if n := len(relevant); n <= 6 {
		for mask := 0; mask < 1<<n; mask++ {
			var on []*schema.Condition
			for i, c := range relevant {
				if mask&(1<<i) != 0 {
					on = append(on, c)
				}
			}
			add(on)
		}
	} else {
		add(nil)
		add(relevant)
		for i := range relevant {
			add([]*schema.Condition{relevant[i]})
			add(append(slices.Clone(relevant[:i]), relevant[i+1:]...))
		}
	}
	add(all)
	return out
}

// withinRunner checks a generated module against a withinTable: for every
// case, in the ways a caller may pass conditions, the list
// rolePermissionsEverywhere or rolePermissionsWithin returns and
// roleHasWithin of every permission. It returns one line per failure.
const withinRunner = `export interface WithinTable {
  catalog: string;
  conditions: string[];
  permissions: string[];
  cases: { name: string; role: string; on: string[]; scope: string; granted: string[] }[];
}

export interface WithinModule<P extends string, R extends string, S extends string, C extends object> {
  rolePermissionsEverywhere(role: R, c?: C): P[];
  rolePermissionsWithin(role: R, scope: S, c?: C): P[];
  roleHasWithin(role: R, p: P, scope: S | undefined, c?: C): boolean;
}

export function runWithin<P extends string, R extends string, S extends string, C extends object>(
  m: WithinModule<P, R, S, C>,
  t: WithinTable,
): string[] {
  const fail: string[] = [];
  const check = (ok: boolean, name: string, msg: string): void => {
    if (!ok) {
      fail.push(t.catalog + ": " + name + ": " + msg);
    }
  };
  for (const w of t.cases) {
    const role = w.role as R;
    const sparse: Record<string, boolean> = {};
    const dense: Record<string, boolean> = {};
    for (const c of t.conditions) {
      const on = w.on.indexOf(c) >= 0;
      dense[c] = on;
      if (on) {
        sparse[c] = true;
      }
    }
    const variants: [string, C | undefined][] = [
      ["sparse conditions", sparse as unknown as C],
      ["explicit conditions", dense as unknown as C],
    ];
    if (w.on.length === 0) {
      variants.push(["no conditions argument", undefined]);
    }
    const granted = new Set<string>(w.granted);
    const scope = w.scope === "" ? undefined : (w.scope as S);
    for (const [how, c] of variants) {
      const got = scope === undefined ? m.rolePermissionsEverywhere(role, c) : m.rolePermissionsWithin(role, scope, c);
      const fn = scope === undefined ? "rolePermissionsEverywhere" : "rolePermissionsWithin";
      check(got.length === w.granted.length && got.every((p, i) => p === w.granted[i]), w.name + " (" + how + ")",
        fn + " = " + JSON.stringify(got) + ", want " + JSON.stringify(w.granted));
      for (const p of t.permissions) {
        const want = granted.has(p);
        const has = m.roleHasWithin(role, p as P, scope, c);
        check(has === want, w.name + " (" + how + "), permission " + p, "roleHasWithin = " + has + ", want " + want);
      }
    }
  }
  return fail;
}
`

// The scoped catalog's module is kept as golden files too, so that a
// reviewer sees how grants bound to scopes are encoded.
func TestScopedCatalogMatchesGoldenFiles(t *testing.T) {
	cat := scopedCatalog(t)
	for _, style := range []string{StyleEnum, StyleConst} {
		got := generate(t, cat, style)
		path := filepath.Join("testdata", "scoped."+style+".ts.golden")
		if *update {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if got != string(want) {
			t.Errorf("%s style differs from %s (run go test -update and review the diff)", style, path)
		}
	}
}

// A catalog with no grant bound to a scope costs two empty tables, whatever
// its size; one with bound grants lists only those.
func TestOnlyBoundGrantsAreListed(t *testing.T) {
	dutchie, errs := schema.Compile(filepath.Join("..", "..", "examples", "dutchie"), schema.Options{})
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	src := generate(t, dutchie, StyleEnum)
	for _, table := range []string{"roleScopes", "roleWays"} {
		if !regexp.MustCompile(`const ` + table + `: [^\n]* = zip<[^\n]*>\(\[\n\], \[\n\]\);`).MatchString(src) {
			t.Errorf("the dutchie example binds nothing to a scope, but %s is not empty", table)
		}
	}
	// The awkward catalog's facility permission is bound through its own scope.
	if src := generate(t, conformance.Awkward(), StyleEnum); regexp.MustCompile(`const roleScopes: [^\n]* = zip<[^\n]*>\(\[\n\], \[\n\]\);`).MatchString(src) {
		t.Errorf("the awkward catalog binds a facility permission, but roleScopes is empty")
	}
	src = generate(t, scopedCatalog(t), StyleEnum)
	for _, want := range []string{
		// clerk: everything per store
		"zip<Permission, Scope>([Permission.CatalogView, Permission.InventoryView, Permission.InventoryCount], [Scope.Store, Scope.Store, Scope.Store]),",
		// manager: catalog.view per store and per region; reports.view at
		// night everywhere and at weekends per region
		`spans<Permission, ConditionName | Scope | null>([Permission.CatalogView, Permission.ReportsView], [0, 4, 8], [null, Scope.Store, null, Scope.Region, "nightShift", null, "weekend", Scope.Region]),`,
	} {
		if !strings.Contains(src, want) {
			t.Errorf("the scoped catalog's module lacks %s", want)
		}
	}
	// auditor's reports.view and admin's catalog.* are bound to nothing.
	if strings.Contains(src, "zip<Permission, Scope>([Permission.CatalogView, Permission.CatalogEdit") {
		t.Error("admin's grants bound to no scope are listed in roleScopes")
	}
}

// Ways the generated tables cannot hold truthfully are errors: a way bound
// to a scope the catalog lacks, under a condition it lacks, or ways that
// disagree with Always and When (roleHas answers from those).
func TestWaysTheModuleCannotHoldAreRejected(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(c *schema.Catalog, g *schema.EffectiveGrant)
		want   string
	}{
		{"a scope not in the catalog", func(c *schema.Catalog, g *schema.EffectiveGrant) {
			g.Ways[0].Scope = &schema.Scope{Key: "elsewhere", TSName: "Elsewhere"}
		}, `role "supervisor" binds "reports.export" to a scope that is not in the catalog`},
		{"a condition not in the catalog", func(c *schema.Catalog, g *schema.EffectiveGrant) {
			g.Ways[1].When = &schema.Condition{Key: "never", TSName: "never"}
		}, `role "supervisor" grants "reports.export" under a condition that is not in the catalog`},
		{"ways held only under a condition while Always is set", func(c *schema.Catalog, g *schema.EffectiveGrant) {
			g.Ways = g.Ways[1:]
		}, `role "supervisor" holds "reports.export" in ways that disagree`},
		{"ways under a condition When lacks", func(c *schema.Catalog, g *schema.EffectiveGrant) {
			g.Always, g.When = false, []*schema.Condition{c.ConditionByKey("weekend")}
			g.Ways = []schema.Way{{When: c.ConditionByKey("night_shift")}}
		}, `role "supervisor" holds "reports.export" in ways that disagree`},
		{"no way for a condition When lists", func(c *schema.Catalog, g *schema.EffectiveGrant) {
			g.Always, g.When = false, []*schema.Condition{c.ConditionByKey("night_shift"), c.ConditionByKey("weekend")}
			g.Ways = []schema.Way{{When: c.ConditionByKey("night_shift")}}
		}, `role "supervisor" holds "reports.export" in ways that disagree`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cat := scopedCatalog(t)
			g := cat.RoleByKey("supervisor").EffectiveOf(cat.PermissionByKey("reports.export"))
			tc.mutate(cat, g)
			_, err := Generate(cat, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Generate: %v, want an error containing %s", err, tc.want)
			}
		})
	}
}

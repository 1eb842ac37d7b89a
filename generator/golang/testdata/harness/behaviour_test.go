package harness

// This file is copied, with its package clause replaced, into every package
// the end-to-end test generates. It checks the generated API against what
// the resolved model says (expect_test.go, written per catalog next to it).

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

type expectPerm struct {
	key, name, desc, group, scope, deprecated string
	id                                        uint32
	formerly                                  []string
	implies, requires, closure                []uint32
}

type expectGroup struct {
	key, name, desc, location, parent string
	formerly                          []string
}

type expectRole struct {
	key, name, desc, landing string
	cases                    []roleCase
}

// roleCase is what a role holds under one combination of conditions.
type roleCase struct {
	c          Conditions
	on         string
	perms      []uint32
	everywhere []uint32   // held bound to no scope
	within     [][]uint32 // per scope, in authored order: everywhere or bound to it
}

type expectProfile struct {
	key, name, desc string
	requires        []uint32
}

func ids(ps []Permission) []uint32 {
	var out []uint32
	for _, p := range ps {
		out = append(out, uint32(p))
	}
	return out
}

func perms(ids []uint32) []Permission {
	var out []Permission
	for _, id := range ids {
		out = append(out, Permission(id))
	}
	return out
}

// nearMisses are strings one small edit away from key: shorter, longer,
// and changed at each byte in turn, since Parse compares a key word by
// word and a word it forgot would let a change there through.
func nearMisses(key string) []string {
	out := []string{"", key + "x", key + ".", key + key, strings.ToUpper(key)}
	if key != "" {
		out = append(out, key[:len(key)-1], key[1:])
		for i := range key {
			b := []byte(key)
			b[i]++
			out = append(out, string(b))
		}
	}
	return out
}

// allKeys maps every permission key, current and former, to its ID.
func allKeys() map[string]uint32 {
	m := map[string]uint32{}
	for _, e := range expectPerms {
		m[e.key] = e.id
		for _, f := range e.formerly {
			m[f] = e.id
		}
	}
	return m
}

func TestTheCatalogIsTheOneGenerated(t *testing.T) {
	if Catalog != expectCatalog || Title != expectTitle || Count != len(expectPerms) {
		t.Fatalf("Catalog, Title, Count = %q, %q, %d; want %q, %q, %d", Catalog, Title, Count, expectCatalog, expectTitle, len(expectPerms))
	}
}

func TestEveryKeyAndFormerKeyParses(t *testing.T) {
	for _, e := range expectPerms {
		p, ok := Parse(e.key)
		if !ok || uint32(p) != e.id {
			t.Errorf("Parse(%q) = %d, %v; want %d", e.key, p, ok, e.id)
		}
		if p.String() != e.key {
			t.Errorf("Permission(%d).String() = %q; want %q", e.id, p, e.key)
		}
		if MustParse(e.key) != p {
			t.Errorf("MustParse(%q) differs from Parse", e.key)
		}
		for _, f := range e.formerly {
			if q, ok := Parse(f); !ok || q != p {
				t.Errorf("Parse(former key %q) = %d, %v; want %d", f, q, ok, e.id)
			}
		}
	}
}

func TestNearMissesOfKeysDoNotParse(t *testing.T) {
	known := allKeys()
	for k := range known {
		for _, m := range nearMisses(k) {
			want, isKey := known[m]
			got, ok := Parse(m)
			if ok != isKey || (ok && uint32(got) != want) {
				t.Errorf("Parse(%q) = %d, %v; want %d, %v", m, got, ok, want, isKey)
			}
		}
	}
	roles := map[string]bool{}
	for _, e := range expectRoles {
		roles[e.key] = true
	}
	for _, e := range expectRoles {
		for _, m := range nearMisses(e.key) {
			if _, ok := ParseRole(m); ok != roles[m] {
				t.Errorf("ParseRole(%q) ok = %v", m, ok)
			}
		}
	}
	groups := map[string]bool{}
	for _, e := range expectGroups {
		groups[e.key] = true
		for _, f := range e.formerly {
			groups[f] = true
		}
	}
	for k := range groups {
		for _, m := range nearMisses(k) {
			if _, ok := ParseGroup(m); ok != groups[m] {
				t.Errorf("ParseGroup(%q) ok = %v", m, ok)
			}
		}
	}
	profiles := map[string]bool{}
	for _, e := range expectProfiles {
		profiles[e.key] = true
	}
	for _, e := range expectProfiles {
		for _, m := range nearMisses(e.key) {
			if _, ok := ParseProfile(m); ok != profiles[m] {
				t.Errorf("ParseProfile(%q) ok = %v", m, ok)
			}
		}
	}
	scopes := map[string]bool{}
	for _, k := range expectScopes {
		scopes[k] = true
	}
	for _, k := range expectScopes {
		for _, m := range nearMisses(k) {
			if _, ok := ParseScope(m); ok != scopes[m] {
				t.Errorf("ParseScope(%q) ok = %v", m, ok)
			}
		}
	}
}

var (
	sinkP    Permission
	sinkOK   bool
	sinkR    Role
	sinkSet  Set
	sinkLen  int
	sinkText string
)

func TestLookupsDoNotAllocate(t *testing.T) {
	key := expectPerms[len(expectPerms)/2].key
	s := NewSet(All()...)
	p := MustParse(key)
	check := func(what string, f func()) {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s allocates %v times", what, n)
		}
	}
	check("Parse", func() { sinkP, sinkOK = Parse(key) })
	check("Parse of an unknown key", func() { sinkP, sinkOK = Parse("no.such.key") })
	check("Set.Has", func() { sinkOK = s.Has(p) })
	check("Permission.String", func() { sinkText = p.String() })
	check("Set.Closure", func() { sinkSet = s.Closure() })
	check("ParseGroup", func() { _, sinkOK = ParseGroup(expectGroups[0].key) })
	for _, e := range expectProfiles {
		check("ParseProfile", func() { _, sinkOK = ParseProfile(e.key) })
	}
	for _, k := range expectScopes {
		check("ParseScope", func() { _, sinkOK = ParseScope(k) })
	}
	check("ParseScope of an unknown key", func() { _, sinkOK = ParseScope("no_such_scope") })
	for _, e := range expectRoles {
		check("ParseRole", func() { sinkR, sinkOK = ParseRole(e.key) })
		r, _ := ParseRole(e.key)
		for _, rc := range e.cases {
			if roleSetsAllKept {
				check("Role.Permissions", func() { sinkSet = r.Permissions(rc.c) })
				check("Role.Everywhere", func() { sinkSet = r.Everywhere(rc.c) })
				for i := range expectScopes {
					check("Role.Within", func() { sinkSet = r.Within(Scope(i+1), rc.c) })
				}
			}
			check("Role.Has", func() { sinkOK = r.Has(p, rc.c) })
			check("Role.HasWithin", func() { sinkOK = r.HasWithin(p, Scope(len(expectScopes)), rc.c) })
		}
	}
	if !roleSetsAllKept {
		// The map behind the role cache was given a budget that runs
		// out: past it, some set must be built (and allocated) on every
		// call, or the budget is never reached and its path untested.
		built := false
		for _, e := range expectRoles {
			r, _ := ParseRole(e.key)
			for _, rc := range e.cases {
				built = built || testing.AllocsPerRun(3, func() { sinkSet = r.Everywhere(rc.c) }) > 0
			}
		}
		if !built {
			t.Error("every role set was kept: the map's budget never ran out")
		}
	}
	sinkLen = sinkSet.Len()
}

func TestPermissionMetadataMatchesTheCatalog(t *testing.T) {
	all := All()
	if !slices.Equal(ids(all), func() []uint32 {
		var out []uint32
		for _, e := range expectPerms {
			out = append(out, e.id)
		}
		return out
	}()) {
		t.Fatalf("All() = %v; want authored order", ids(all))
	}
	all[0] = 0
	if All()[0] == 0 {
		t.Fatal("changing All()'s result changed the package's table")
	}
	for _, e := range expectPerms {
		p := Permission(e.id)
		if !p.Valid() || p.Name() != e.name || p.Description() != e.desc || p.Group().String() != e.group {
			t.Errorf("%s: Valid, Name, Description, Group = %v, %q, %q, %q", e.key, p.Valid(), p.Name(), p.Description(), p.Group())
		}
		sc, ok := p.Scope()
		if (e.scope != "") != ok || (ok && sc.String() != e.scope) {
			t.Errorf("%s: Scope() = %v, %v; want %q", e.key, sc, ok, e.scope)
		}
		if p.Deprecated() != (e.deprecated != "") || p.DeprecationReason() != e.deprecated {
			t.Errorf("%s: Deprecated, DeprecationReason = %v, %q", e.key, p.Deprecated(), p.DeprecationReason())
		}
		if !slices.Equal(ids(p.Implies()), e.implies) || !slices.Equal(ids(p.Requires()), e.requires) || !slices.Equal(ids(p.ImpliesAll()), e.closure) {
			t.Errorf("%s: Implies, Requires, ImpliesAll = %v, %v, %v; want %v, %v, %v", e.key, ids(p.Implies()), ids(p.Requires()), ids(p.ImpliesAll()), e.implies, e.requires, e.closure)
		}
		if im := p.Implies(); len(im) > 0 {
			im[0] = 0
			if p.Implies()[0] == 0 {
				t.Errorf("%s: changing Implies()'s result changed the table", e.key)
			}
		}
		text, err := p.MarshalText()
		var back Permission
		if err != nil || string(text) != e.key || back.UnmarshalText(text) != nil || back != p {
			t.Errorf("%s: text round trip gave %q, %v, %d", e.key, text, err, back)
		}
		if j, err := json.Marshal(p); err != nil || string(j) != `"`+e.key+`"` {
			t.Errorf("%s: json.Marshal = %s, %v", e.key, j, err)
		}
	}
}

func TestValuesOutsideTheCatalogAreNothing(t *testing.T) {
	known := map[uint32]bool{}
	for _, e := range expectPerms {
		known[e.id] = true
	}
	for id := uint32(0); id <= expectMaxID+2 && id < 1<<20; id++ {
		if known[id] {
			continue
		}
		p := Permission(id)
		if p.Valid() || p.Name() != "" || p.Group() != 0 || p.Implies() != nil || p.Requires() != nil || p.Deprecated() {
			t.Fatalf("Permission(%d) is not a permission but has metadata", id)
		}
		if _, ok := p.Scope(); ok {
			t.Fatalf("Permission(%d) has a scope", id)
		}
		if p.String() != "Permission("+itoa(id)+")" {
			t.Fatalf("Permission(%d).String() = %q", id, p.String())
		}
		if _, err := p.MarshalText(); err == nil {
			t.Fatalf("Permission(%d).MarshalText succeeded", id)
		}
		if s := NewSet(p); s.Len() != 0 || s.Has(p) || s != (Set{}) {
			t.Fatalf("NewSet(Permission(%d)) is not empty", id)
		}
	}
	var back Permission
	if back.UnmarshalText([]byte("no.such.key")) == nil {
		t.Error("UnmarshalText accepted an unknown key")
	}
	if Role(0).String() != "Role(0)" || Role(len(expectRoles)+1).Name() != "" || Role(0).Permissions(Conditions{}) != (Set{}) || Role(0).Has(All()[0], Conditions{}) || Role(0).Everywhere(Conditions{}) != (Set{}) || Role(0).Within(1, Conditions{}) != (Set{}) || Role(0).HasWithin(All()[0], 1, Conditions{}) {
		t.Error("Role values outside the catalog are not empty")
	}
	if _, ok := Role(0).Landing(); ok {
		t.Error("Role(0) has a landing")
	}
	if Group(0).String() != "Group(0)" || Group(len(expectGroups)+1).Name() != "" {
		t.Error("Group values outside the catalog are not empty")
	}
	if _, ok := Group(0).Parent(); ok {
		t.Error("Group(0) has a parent")
	}
	if Profile(0).String() != "Profile(0)" || Profile(0).Missing(Set{}) != nil || Profile(0).Requires() != nil {
		t.Error("Profile values outside the catalog are not empty")
	}
	if Scope(0).String() != "Scope(0)" || Scope(0).Description() != "" {
		t.Error("Scope values outside the catalog are not empty")
	}
	var r Role
	if r.UnmarshalText([]byte("no_such_role")) == nil {
		t.Error("Role.UnmarshalText accepted an unknown key")
	}
	if _, err := Role(0).MarshalText(); err == nil {
		t.Error("Role(0).MarshalText succeeded")
	}
}

func itoa(n uint32) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func TestMustParsePanicsOnAnUnknownKey(t *testing.T) {
	defer func() {
		r := recover()
		if msg, _ := r.(string); !strings.Contains(msg, `"no.such.key"`) {
			t.Errorf("panic = %v; want a message naming the key", r)
		}
	}()
	MustParse("no.such.key")
}

// model is a set as a plain map, to check Set against.
type model map[Permission]bool

func (m model) ordered() []Permission {
	var out []Permission
	for _, p := range All() {
		if m[p] {
			out = append(out, p)
		}
	}
	return out
}

func randomModel(r *rand.Rand) model {
	m := model{}
	all := All()
	density := r.IntN(4)
	for _, p := range all {
		if r.IntN(4) < density {
			m[p] = true
		}
	}
	return m
}

func (m model) closure() model {
	out := model{}
	for p := range m {
		out[p] = true
		for _, q := range p.ImpliesAll() {
			out[q] = true
		}
	}
	return out
}

func TestSetsBehaveLikeMaps(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for round := 0; round < 50; round++ {
		a, b := randomModel(r), randomModel(r)
		sa, sb := NewSet(a.ordered()...), NewSet(b.ordered()...)
		if sa.Len() != len(a) || !slices.Equal(sa.Permissions(), a.ordered()) {
			t.Fatalf("Len, Permissions = %d, %v; want %d, %v", sa.Len(), sa.Permissions(), len(a), a.ordered())
		}
		rev := slices.Clone(a.ordered())
		slices.Reverse(rev)
		if NewSet(rev...) != sa || (Set{}).With(rev...) != sa {
			t.Fatal("the same permissions in another order make another Set")
		}
		for _, p := range All() {
			if sa.Has(p) != a[p] {
				t.Fatalf("Has(%s) = %v", p, sa.Has(p))
			}
			if sa.Union(sb).Has(p) != (a[p] || b[p]) || sa.Intersect(sb).Has(p) != (a[p] && b[p]) || sa.Without(sb).Has(p) != (a[p] && !b[p]) {
				t.Fatalf("Union, Intersect or Without is wrong for %s", p)
			}
		}
		subset := true
		for p := range a {
			subset = subset && b[p]
		}
		if sa.IsSubsetOf(sb) != subset || !sa.Intersect(sb).IsSubsetOf(sa) || !sa.IsSubsetOf(sa.Union(sb)) {
			t.Fatalf("IsSubsetOf is wrong")
		}
		if len(a) == 0 && (sa.Permissions() != nil || sa != (Set{})) {
			t.Fatal("an empty Set is not the zero Set")
		}
		want := NewSet(a.closure().ordered()...)
		if got := sa.Closure(); got != want {
			t.Fatalf("Closure of %v = %v; want %v", sa, got, want)
		}
		if sa.Closure().Closure() != sa.Closure() {
			t.Fatal("Closure is not idempotent")
		}
		if got := sa.String(); !strings.HasPrefix(got, "[") || strings.Count(got, " ") != max(len(a)-1, 0) {
			t.Fatalf("String() = %q", got)
		}
	}
	for _, e := range expectPerms {
		p := Permission(e.id)
		if got, want := NewSet(p).Closure(), NewSet(append(perms(e.closure), p)...); got != want {
			t.Errorf("closure of %s = %v; want %v", e.key, got, want)
		}
	}
}

// unmet is what Set.Unmet must return for the set m.
func (m model) unmet() []Unmet {
	c := m.closure()
	var out []Unmet
	for _, p := range c.ordered() {
		var missing []Permission
		for _, q := range p.Requires() {
			if !c[q] {
				missing = append(missing, q)
			}
		}
		if missing != nil {
			out = append(out, Unmet{Permission: p, Missing: missing})
		}
	}
	return out
}

func sameUnmet(a, b []Unmet) bool {
	return slices.EqualFunc(a, b, func(x, y Unmet) bool {
		return x.Permission == y.Permission && slices.Equal(x.Missing, y.Missing)
	})
}

func TestUnmetReportsWhatRequirementsTheClosedSetLacks(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for round := 0; round < 50; round++ {
		m := randomModel(r)
		if got, want := NewSet(m.ordered()...).Unmet(), m.unmet(); !sameUnmet(got, want) {
			t.Fatalf("Unmet() of %v = %v; want %v", m.ordered(), got, want)
		}
	}
	for _, p := range All() {
		if got, want := NewSet(p).Unmet(), (model{p: true}).unmet(); !sameUnmet(got, want) {
			t.Errorf("Unmet() of %s alone = %v; want %v", p, got, want)
		}
	}
	if NewSet(All()...).Unmet() != nil {
		t.Error("the set of every permission has unmet requirements")
	}
}

func TestRolesHoldWhatTheModelSays(t *testing.T) {
	roles := AllRoles()
	if len(roles) != len(expectRoles) {
		t.Fatalf("AllRoles() has %d roles; want %d", len(roles), len(expectRoles))
	}
	for i, e := range expectRoles {
		r := roles[i]
		if got, ok := ParseRole(e.key); !ok || got != r {
			t.Errorf("ParseRole(%q) = %v, %v; want %v", e.key, got, ok, r)
		}
		if r.String() != e.key || r.Name() != e.name || r.Description() != e.desc {
			t.Errorf("role %s: String, Name, Description = %q, %q, %q", e.key, r, r.Name(), r.Description())
		}
		l, ok := r.Landing()
		if ok != (e.landing != "") || (ok && l.String() != e.landing) {
			t.Errorf("role %s: Landing() = %v, %v; want %q", e.key, l, ok, e.landing)
		}
		for _, rc := range e.cases {
			s := r.Permissions(rc.c)
			if got := ids(s.Permissions()); !slices.Equal(got, rc.perms) {
				t.Errorf("role %s with %s: Permissions = %v; want %v", e.key, rc.on, got, rc.perms)
			}
			for _, p := range All() {
				if r.Has(p, rc.c) != s.Has(p) {
					t.Errorf("role %s with %s: Has(%s) disagrees with Permissions", e.key, rc.on, p)
				}
			}
			if u := s.Unmet(); u != nil {
				t.Errorf("role %s with %s: a resolved role has unmet requirements %v", e.key, rc.on, u)
			}
			ev := r.Everywhere(rc.c)
			if got := ids(ev.Permissions()); !slices.Equal(got, rc.everywhere) {
				t.Errorf("role %s with %s: Everywhere = %v; want %v", e.key, rc.on, got, rc.everywhere)
			}
			if r.Within(0, rc.c) != ev || r.Within(Scope(len(expectScopes)+1), rc.c) != ev {
				t.Errorf("role %s with %s: Within of no scope is not Everywhere", e.key, rc.on)
			}
			if !ev.IsSubsetOf(s) {
				t.Errorf("role %s with %s: Everywhere is not within Permissions", e.key, rc.on)
			}
			for _, p := range All() {
				if r.HasWithin(p, 0, rc.c) != ev.Has(p) {
					t.Errorf("role %s with %s: HasWithin(%s, 0) disagrees with Everywhere", e.key, rc.on, p)
				}
			}
			for i, want := range rc.within {
				sc := Scope(i + 1)
				w := r.Within(sc, rc.c)
				if got := ids(w.Permissions()); !slices.Equal(got, want) {
					t.Errorf("role %s with %s: Within(%s) = %v; want %v", e.key, rc.on, sc, got, want)
				}
				if !ev.IsSubsetOf(w) || !w.IsSubsetOf(s) {
					t.Errorf("role %s with %s: Within(%s) is not between Everywhere and Permissions", e.key, rc.on, sc)
				}
				for _, p := range All() {
					if r.HasWithin(p, sc, rc.c) != w.Has(p) {
						t.Errorf("role %s with %s: HasWithin(%s, %s) disagrees with Within", e.key, rc.on, p, sc)
					}
				}
			}
		}
		text, err := r.MarshalText()
		var back Role
		if err != nil || string(text) != e.key || back.UnmarshalText(text) != nil || back != r {
			t.Errorf("role %s: text round trip gave %q, %v, %v", e.key, text, err, back)
		}
	}
}

func TestProfilesReportWhatASetLacks(t *testing.T) {
	profiles := AllProfiles()
	if len(profiles) != len(expectProfiles) {
		t.Fatalf("AllProfiles() has %d profiles; want %d", len(profiles), len(expectProfiles))
	}
	r := rand.New(rand.NewPCG(5, 6))
	for i, e := range expectProfiles {
		p := profiles[i]
		if got, ok := ParseProfile(e.key); !ok || got != p {
			t.Errorf("ParseProfile(%q) = %v, %v", e.key, got, ok)
		}
		if p.String() != e.key || p.Name() != e.name || p.Description() != e.desc || !slices.Equal(ids(p.Requires()), e.requires) {
			t.Errorf("profile %s: String, Name, Description, Requires = %q, %q, %q, %v", e.key, p, p.Name(), p.Description(), p.Requires())
		}
		if got := ids(p.Missing(Set{})); !slices.Equal(got, e.requires) {
			t.Errorf("profile %s: Missing(empty) = %v; want everything it requires", e.key, got)
		}
		if p.Missing(NewSet(All()...)) != nil || p.Missing(NewSet(perms(e.requires)...)) != nil {
			t.Errorf("profile %s: a set holding its requirements still misses some", e.key)
		}
		for round := 0; round < 20; round++ {
			m := randomModel(r)
			c := m.closure()
			var want []Permission
			for _, q := range perms(e.requires) {
				if !c[q] {
					want = append(want, q)
				}
			}
			if got := p.Missing(NewSet(m.ordered()...)); !slices.Equal(got, want) {
				t.Fatalf("profile %s: Missing(%v) = %v; want %v", e.key, m.ordered(), got, want)
			}
		}
	}
}

func TestSetsRoundTripThroughJSONAsSortedKeys(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for round := 0; round < 20; round++ {
		m := randomModel(r)
		s := NewSet(m.ordered()...)
		data, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for p := range m {
			keys = append(keys, p.String())
		}
		slices.Sort(keys)
		want, _ := json.Marshal(append([]string{}, keys...))
		if string(data) != string(want) {
			t.Fatalf("json.Marshal(Set) = %s; want %s", data, want)
		}
		var back Set
		if err := json.Unmarshal(data, &back); err != nil || back != s {
			t.Fatalf("round trip of %s gave %v, %v", data, back, err)
		}
	}
	for _, e := range expectPerms {
		for _, f := range e.formerly {
			var s Set
			if err := json.Unmarshal([]byte(`["`+f+`"]`), &s); err != nil || !s.Has(Permission(e.id)) || s.Len() != 1 {
				t.Errorf("unmarshalling former key %q gave %v, %v", f, s, err)
			}
		}
	}
	keep := NewSet(All()[0])
	if err := json.Unmarshal([]byte(`["`+expectPerms[0].key+`", "no.such.key"]`), &keep); err == nil || !strings.Contains(err.Error(), "no.such.key") {
		t.Errorf("an unknown key gave error %v", err)
	}
	if keep != NewSet(All()[0]) {
		t.Error("a failed unmarshal changed the set")
	}
}

func TestGroupsAndScopesMatchTheCatalog(t *testing.T) {
	groups := AllGroups()
	if len(groups) != len(expectGroups) {
		t.Fatalf("AllGroups() has %d groups; want %d", len(groups), len(expectGroups))
	}
	for i, e := range expectGroups {
		g := groups[i]
		if g.String() != e.key || g.Name() != e.name || g.Description() != e.desc || g.Location() != e.location {
			t.Errorf("group %s: String, Name, Description, Location = %q, %q, %q, %q", e.key, g, g.Name(), g.Description(), g.Location())
		}
		parent, ok := g.Parent()
		if ok != (e.parent != "") || (ok && parent.String() != e.parent) {
			t.Errorf("group %s: Parent() = %v, %v; want %q", e.key, parent, ok, e.parent)
		}
		for _, k := range append([]string{e.key}, e.formerly...) {
			if got, ok := ParseGroup(k); !ok || got != g {
				t.Errorf("ParseGroup(%q) = %v, %v; want %v", k, got, ok, g)
			}
		}
	}
	scopes := AllScopes()
	if len(scopes) != len(expectScopes) {
		t.Fatalf("AllScopes() has %d scopes; want %d", len(scopes), len(expectScopes))
	}
	for i, s := range scopes {
		if s.String() != expectScopes[i] {
			t.Errorf("scope %d is %q; want %q", i, s, expectScopes[i])
		}
		if got, ok := ParseScope(expectScopes[i]); !ok || got != s {
			t.Errorf("ParseScope(%q) = %v, %v; want %v", expectScopes[i], got, ok, s)
		}
	}
}

// textKeyed is a pointer to a type stored and sent by key: Group, Profile
// or Scope.
type textKeyed[T any] interface {
	*T
	MarshalText() ([]byte, error)
	UnmarshalText([]byte) error
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// checkTravelsAsKey checks that v goes out as key, as text and in JSON,
// and comes back as v.
func checkTravelsAsKey[T interface {
	comparable
	String() string
}, PT textKeyed[T]](t *testing.T, v T, key string) {
	t.Helper()
	text, err := PT(&v).MarshalText()
	var back T
	if err != nil || string(text) != key || PT(&back).UnmarshalText(text) != nil || back != v {
		t.Errorf("%s: text round trip gave %q, %v, %v", key, text, err, back)
	}
	data, err := json.Marshal(v)
	if err != nil || string(data) != jsonString(key) {
		t.Errorf("%s: json.Marshal = %s, %v; want %s", key, data, err, jsonString(key))
	}
	back = *new(T)
	if err := json.Unmarshal([]byte(jsonString(key)), &back); err != nil || back != v {
		t.Errorf("%s: json.Unmarshal gave %v, %v", key, back, err)
	}
}

// checkOnlyKeysTravel checks that values outside the catalog do not
// marshal, and that a key outside it does not unmarshal and leaves the
// value as it was.
func checkOnlyKeysTravel[T interface {
	comparable
	String() string
}, PT textKeyed[T]](t *testing.T, kind string, keep T, outside ...T) {
	t.Helper()
	for _, v := range outside {
		if text, err := PT(&v).MarshalText(); err == nil || !strings.Contains(err.Error(), "cannot marshal "+v.String()) {
			t.Errorf("%s.MarshalText() = %q, %v; want an error naming the value", v, text, err)
		}
		if data, err := json.Marshal(v); err == nil {
			t.Errorf("json.Marshal(%s) = %s; want an error", v, data)
		}
	}
	for _, key := range []string{"", "no_such_" + kind, "no.such." + kind} {
		got := keep
		if err := PT(&got).UnmarshalText([]byte(key)); err == nil || !strings.Contains(err.Error(), "unknown "+kind+" key "+strconv.Quote(key)) || got != keep {
			t.Errorf("%s UnmarshalText(%q) = %v and left %v; want an error naming the key, and %v", kind, key, err, got, keep)
		}
	}
	got := keep
	if err := json.Unmarshal([]byte(`"no_such_`+kind+`"`), &got); err == nil || got != keep {
		t.Errorf("json.Unmarshal of an unknown %s key = %v and left %v", kind, err, got)
	}
}

func TestGroupsProfilesAndScopesRoundTripThroughJSONAsKeys(t *testing.T) {
	for i, e := range expectGroups {
		g := Group(i + 1)
		checkTravelsAsKey(t, g, e.key)
		for _, f := range e.formerly {
			var back Group
			if err := json.Unmarshal([]byte(jsonString(f)), &back); err != nil || back != g {
				t.Errorf("unmarshalling former group key %q gave %v, %v; want %s", f, back, err, e.key)
			}
			if back.UnmarshalText([]byte(f)) != nil || back != g {
				t.Errorf("UnmarshalText of former group key %q gave %v; want %s", f, back, e.key)
			}
		}
	}
	for i, e := range expectProfiles {
		checkTravelsAsKey(t, Profile(i+1), e.key)
	}
	for i, k := range expectScopes {
		checkTravelsAsKey(t, Scope(i+1), k)
	}
	checkOnlyKeysTravel(t, "group", Group(len(expectGroups)), 0, Group(len(expectGroups)+1))
	checkOnlyKeysTravel(t, "profile", Profile(len(expectProfiles)), 0, Profile(len(expectProfiles)+1))
	checkOnlyKeysTravel(t, "scope", Scope(len(expectScopes)), 0, Scope(len(expectScopes)+1))
}

// A record an application stores holds keys, whatever the positions.
func TestARecordOfRoleGroupProfileAndScopeIsStoredAsKeys(t *testing.T) {
	if len(expectRoles) == 0 || len(expectProfiles) == 0 || len(expectScopes) == 0 {
		t.Skip("the catalog lacks roles, profiles or scopes")
	}
	type record struct {
		Role    Role
		Landing Group
		Profile Profile
		Scope   Scope
	}
	in := record{Role(len(expectRoles)), Group(len(expectGroups)), Profile(len(expectProfiles)), Scope(len(expectScopes))}
	data, err := json.Marshal(in)
	want := `{"Role":` + jsonString(expectRoles[len(expectRoles)-1].key) +
		`,"Landing":` + jsonString(expectGroups[len(expectGroups)-1].key) +
		`,"Profile":` + jsonString(expectProfiles[len(expectProfiles)-1].key) +
		`,"Scope":` + jsonString(expectScopes[len(expectScopes)-1]) + `}`
	if err != nil || string(data) != want {
		t.Fatalf("json.Marshal = %s, %v; want %s", data, err, want)
	}
	var back record
	if err := json.Unmarshal(data, &back); err != nil || back != in {
		t.Errorf("round trip of %s gave %+v, %v", data, back, err)
	}
}

// Role sets are built on first use and kept (in a table, or a map behind
// it, up to a budget): callers racing for the same sets, and for more sets
// than the budget keeps, all get the right ones.
func TestRoleSetsAgreeUnderConcurrentCalls(t *testing.T) {
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := range 3 {
				for i := range expectRoles {
					e := expectRoles[(i+w+round)%len(expectRoles)]
					r, _ := ParseRole(e.key)
					for _, rc := range e.cases {
						if got := ids(r.Permissions(rc.c).Permissions()); !slices.Equal(got, rc.perms) {
							errs <- fmt.Sprintf("role %s with %s: Permissions = %v; want %v", e.key, rc.on, got, rc.perms)
							return
						}
						if got := ids(r.Everywhere(rc.c).Permissions()); !slices.Equal(got, rc.everywhere) {
							errs <- fmt.Sprintf("role %s with %s: Everywhere = %v; want %v", e.key, rc.on, got, rc.everywhere)
							return
						}
						for j, want := range rc.within {
							if got := ids(r.Within(Scope(j+1), rc.c).Permissions()); !slices.Equal(got, want) {
								errs <- fmt.Sprintf("role %s with %s: Within(%d) = %v; want %v", e.key, rc.on, j+1, got, want)
								return
							}
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

package sql

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/permcat/permcat/schema"
)

// spec is a catalog as plain data, so that a random catalog can be mutated
// into its next release (renames, removals, additions) and then built.
type spec struct {
	scopes, conditions []string
	groups             []*gSpec // pre-order
	perms              []*pSpec // grouped by group, pre-order
	roles              []*rSpec
	profiles           []*profSpec
}

type gSpec struct {
	key, name, desc string
	formerly        []string
}

type pSpec struct {
	key, name, desc, deprecated, scope string
	id                                 uint32
	implies, requires, formerly        []string
}

type rSpec struct {
	key, name, landing string
	grants             []grantSpec
}

type grantSpec struct {
	perm   string
	conds  []string // empty: always
	scopes []string // empty: bound to the permission's own scope, if any, else everywhere
}

type profSpec struct {
	key, name string
	perms     []string
}

// randomText mixes plain words with hostile pieces and random code points.
func randomText(r *rand.Rand) string {
	var b strings.Builder
	for range r.IntN(4) {
		switch r.IntN(4) {
		case 0:
			b.WriteString(hostileStrings[r.IntN(len(hostileStrings)-1)]) // not the long one
		case 1:
			for range r.IntN(6) + 1 {
				b.WriteRune(rune(0x20 + r.IntN(0x3000)))
			}
		default:
			b.WriteString([]string{"View", "Edit", "Manage", "report", "the", "Metrc", "ü", "😀", " "}[r.IntN(9)])
		}
	}
	s := b.String()
	return strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "?")
}

// randomSpec builds a random catalog: a group tree, permissions with
// acyclic implies/requires, conditional and unconditional grants.
func randomSpec(seed uint64) *spec {
	r := rand.New(rand.NewPCG(seed, 42))
	s := &spec{}
	for i := range r.IntN(3) {
		s.scopes = append(s.scopes, fmt.Sprintf("scope%d", i))
	}
	for i := range r.IntN(4) {
		s.conditions = append(s.conditions, fmt.Sprintf("cond_%d", i))
	}
	var walk func(prefix string, depth int)
	walk = func(prefix string, depth int) {
		for i := range r.IntN(3) + 1 {
			key := fmt.Sprintf("g%d_%d", depth, i)
			if prefix != "" {
				key = prefix + "." + key
			}
			s.groups = append(s.groups, &gSpec{key: key, name: randomText(r), desc: randomText(r)})
			for j := range r.IntN(5) + 1 {
				p := &pSpec{key: fmt.Sprintf("%s.p%d", key, j), name: randomText(r), desc: randomText(r)}
				if r.IntN(5) == 0 {
					p.deprecated = randomText(r) + "."
				}
				if len(s.scopes) > 0 && r.IntN(2) == 0 {
					p.scope = s.scopes[r.IntN(len(s.scopes))]
				}
				for _, q := range s.perms {
					if r.IntN(8) == 0 {
						p.implies = append(p.implies, q.key)
					}
					if r.IntN(10) == 0 {
						p.requires = append(p.requires, q.key)
					}
				}
				s.perms = append(s.perms, p)
			}
			if depth < 2 && r.IntN(2) == 0 {
				walk(key, depth+1)
			}
		}
	}
	walk("", 0)
	ids := r.Perm(len(s.perms) * 2)
	for i, p := range s.perms {
		p.id = uint32(ids[i]) + 1
	}
	for i := range r.IntN(4) + 2 {
		role := &rSpec{key: fmt.Sprintf("role_%d", i), name: randomText(r)}
		if r.IntN(2) == 0 {
			role.landing = s.groups[r.IntN(len(s.groups))].key
		}
		for _, p := range s.perms {
			if r.IntN(2) == 0 {
				continue
			}
			g := grantSpec{perm: p.key}
			for _, c := range s.conditions {
				if r.IntN(3) == 0 {
					g.conds = append(g.conds, c)
				}
			}
			if p.scope == "" && r.IntN(2) == 0 {
				g.scopes = randomScopes(r, s.scopes)
			}
			role.grants = append(role.grants, g)
		}
		s.roles = append(s.roles, role)
	}
	for i := range r.IntN(3) {
		pr := &profSpec{key: fmt.Sprintf("profile_%d", i), name: randomText(r)}
		for _, p := range s.perms {
			if r.IntN(3) == 0 {
				pr.perms = append(pr.perms, p.key)
			}
		}
		s.profiles = append(s.profiles, pr)
	}
	return s
}

// nextRelease mutates s the way a catalog evolves: a group moves with its
// subtree (formerly), a permission is renamed, some are removed, new ones
// get fresh IDs, a condition goes away, a role is dropped, texts change.
func (s *spec) nextRelease(seed uint64) {
	r := rand.New(rand.NewPCG(seed, 7))
	moved := map[string]string{}
	// Move one group within its parent; everything under it moves along.
	g := s.groups[r.IntN(len(s.groups))]
	old := g.key
	nk := old + "_moved"
	g.formerly = append(g.formerly, old)
	for _, x := range s.groups {
		if x.key == old || strings.HasPrefix(x.key, old+".") {
			x.key = nk + strings.TrimPrefix(x.key, old)
		}
	}
	for _, p := range s.perms {
		if strings.HasPrefix(p.key, old+".") {
			k := nk + strings.TrimPrefix(p.key, old)
			p.formerly = append(p.formerly, p.key)
			moved[p.key] = k
			p.key = k
		}
	}
	// Rename one permission on its own.
	p := s.perms[r.IntN(len(s.perms))]
	k := p.key + "_renamed"
	p.formerly = append(p.formerly, p.key)
	for old, to := range moved {
		if to == p.key { // it moved with its group first: follow it again
			moved[old] = k
		}
	}
	moved[p.key] = k
	p.key = k
	remap := func(keys []string) []string {
		out := make([]string, len(keys))
		for i, k := range keys {
			if m, ok := moved[k]; ok {
				k = m
			}
			out[i] = k
		}
		return out
	}
	for _, role := range s.roles {
		if role.landing != "" && (role.landing == old || strings.HasPrefix(role.landing, old+".")) {
			role.landing = nk + strings.TrimPrefix(role.landing, old)
		}
		for i := range role.grants {
			role.grants[i].perm = remap([]string{role.grants[i].perm})[0]
		}
	}
	for _, p := range s.perms {
		p.implies, p.requires = remap(p.implies), remap(p.requires)
	}
	for _, pr := range s.profiles {
		pr.perms = remap(pr.perms)
	}
	// Remove up to two permissions (never the last one of a group).
	removed := map[string]bool{}
	for range 2 {
		i := r.IntN(len(s.perms))
		grp := s.perms[i].key[:strings.LastIndexByte(s.perms[i].key, '.')]
		n := 0
		for _, q := range s.perms {
			if strings.HasPrefix(q.key, grp+".") && !strings.Contains(q.key[len(grp)+1:], ".") {
				n++
			}
		}
		if n > 1 && !removed[s.perms[i].key] {
			removed[s.perms[i].key] = true
			s.perms = slices.Delete(s.perms, i, i+1)
		}
	}
	keep := func(keys []string) []string {
		return slices.DeleteFunc(slices.Clone(keys), func(k string) bool { return removed[k] })
	}
	for _, p := range s.perms {
		p.implies, p.requires = keep(p.implies), keep(p.requires)
	}
	for _, pr := range s.profiles {
		pr.perms = keep(pr.perms)
	}
	// Drop the last condition: its grants fall back to the others, or always.
	var gone string
	if n := len(s.conditions); n > 0 {
		gone = s.conditions[n-1]
		s.conditions = s.conditions[:n-1]
	}
	for _, role := range s.roles {
		role.grants = slices.DeleteFunc(role.grants, func(g grantSpec) bool { return removed[g.perm] })
		for i := range role.grants {
			role.grants[i].conds = slices.DeleteFunc(slices.Clone(role.grants[i].conds), func(c string) bool { return c == gone })
		}
	}
	if len(s.roles) > 0 {
		s.roles = s.roles[1:]
	}
	// New permissions with fresh IDs; new texts.
	maxID := uint32(0)
	for _, p := range s.perms {
		maxID = max(maxID, p.id)
	}
	for i := range 2 {
		grp := s.groups[r.IntN(len(s.groups))].key
		at := len(s.perms)
		for j, p := range s.perms {
			if strings.HasPrefix(p.key, grp+".") {
				at = j + 1
			}
		}
		np := &pSpec{key: fmt.Sprintf("%s.added%d", grp, i), name: randomText(r), id: maxID + uint32(i) + 5}
		s.perms = slices.Insert(s.perms, at, np)
	}
	for _, p := range s.perms {
		if r.IntN(3) == 0 {
			p.name = randomText(r)
		}
	}
	for _, g := range s.groups {
		if r.IntN(3) == 0 {
			g.desc = randomText(r)
		}
	}
	// Rebind some grants of permissions without a scope of their own.
	ownScope := map[string]string{}
	for _, p := range s.perms {
		ownScope[p.key] = p.scope
	}
	for _, role := range s.roles {
		for i := range role.grants {
			if ownScope[role.grants[i].perm] == "" && r.IntN(3) == 0 {
				role.grants[i].scopes = randomScopes(r, s.scopes)
			}
		}
	}
}

// randomScopes picks some of scopes, in their order (none: everywhere).
func randomScopes(r *rand.Rand, scopes []string) []string {
	var out []string
	for _, sc := range scopes {
		if r.IntN(2) == 0 {
			out = append(out, sc)
		}
	}
	return out
}

// build turns the spec into a resolved catalog. Permissions are re-sorted
// into pre-order by group, as the resolver orders them.
func (s *spec) build(name string) *schema.Catalog {
	f := newFixture(name)
	for _, sc := range s.scopes {
		f.scope(sc, "scope "+sc)
	}
	for _, c := range s.conditions {
		f.condition(c, "condition "+c)
	}
	for _, g := range s.groups {
		grp := f.group(g.key, g.name)
		grp.Description = g.desc
		grp.Formerly = g.formerly
		for _, p := range s.perms {
			if p.key[:strings.LastIndexByte(p.key, '.')] != g.key {
				continue
			}
			perm := f.perm(p.key, p.name, p.desc)
			perm.ID, perm.Deprecated, perm.Formerly = p.id, p.deprecated, p.formerly
			if p.scope != "" {
				for _, sc := range f.cat.Scopes {
					if sc.Key == p.scope {
						perm.Scope = sc
					}
				}
			}
		}
	}
	for _, p := range s.perms {
		f.implies(p.key, p.implies...)
		f.requires(p.key, p.requires...)
	}
	for _, rs := range s.roles {
		role := f.role(rs.key, rs.name, rs.landing)
		for _, g := range rs.grants {
			// One way per condition (or always) and scope (or the
			// permission's own), sorted as the resolver sorts them.
			whens := []*schema.Condition{nil}
			if len(g.conds) > 0 {
				whens = whens[:0]
				for _, c := range g.conds {
					whens = append(whens, f.cat.ConditionByKey(c))
				}
			}
			scopes := []*schema.Scope{f.p(g.perm).Scope}
			if len(g.scopes) > 0 {
				scopes = scopes[:0]
				for _, sc := range g.scopes {
					scopes = append(scopes, f.scopeByKey(sc))
				}
			}
			var ways []schema.Way
			for _, c := range whens {
				for _, sc := range scopes {
					ways = append(ways, schema.Way{When: c, Scope: sc})
				}
			}
			f.grantWays(role, g.perm, ways...)
		}
	}
	for _, pr := range s.profiles {
		f.profile(pr.key, pr.name, pr.perms...)
	}
	return f.done()
}

func TestRandomCatalogsLoadAndUpgradeExactly(t *testing.T) {
	eachDialect(t, func(t *testing.T, db testDB) {
		for seed := uint64(1); seed <= 4; seed++ {
			// Each seed gets its own prefix, so the catalogs share the
			// database without touching each other.
			prefix := fmt.Sprintf("r%d_", seed)
			s := randomSpec(seed)
			v1 := s.build("random")
			apply(t, db, v1, prefix)
			checkContents(t, db, prefix, v1)
			s.nextRelease(seed)
			v2 := s.build("random")
			apply(t, db, v2, prefix)
			checkContents(t, db, prefix, v2)
			apply(t, db, v2, prefix)
			checkContents(t, db, prefix, v2)
		}
	})
}

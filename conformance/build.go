package conformance

import (
	"slices"
	"sort"
	"strings"

	"github.com/permcat/permcat/schema"
)

// builder assembles a resolved catalog by hand, doing the little resolving
// the test catalogs need: identifiers, indexes, implies closures and each
// role's effective grants. It trusts its caller: keys are valid and unique.
type builder struct {
	cat *schema.Catalog
	raw map[*schema.Role][]rawGrant
}

type rawGrant struct {
	p    *schema.Permission
	when []*schema.Condition // empty: always
}

func newBuilder(name, title, description string) *builder {
	return &builder{
		cat: &schema.Catalog{Name: name, Title: title, Description: description, Root: name + "/permcat.yaml"},
		raw: map[*schema.Role][]rawGrant{},
	}
}

// words splits a key into its `.`- and `_`-separated words.
func words(key string) []string {
	return strings.FieldsFunc(key, func(r rune) bool { return r == '.' || r == '_' })
}

// pascal follows catalog-format.md: capitalise every word, nothing else.
func pascal(key string) string {
	var b strings.Builder
	for _, w := range words(key) {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

func camel(key string) string {
	p := pascal(key)
	return strings.ToLower(p[:1]) + p[1:]
}

func (b *builder) scope(key, description string) *schema.Scope {
	s := &schema.Scope{Key: key, Description: description, GoName: "Scope" + pascal(key), TSName: pascal(key), Index: len(b.cat.Scopes)}
	b.cat.Scopes = append(b.cat.Scopes, s)
	return s
}

func (b *builder) condition(key, description string) *schema.Condition {
	c := &schema.Condition{Key: key, Description: description, GoName: pascal(key), TSName: camel(key), Index: len(b.cat.Conditions)}
	b.cat.Conditions = append(b.cat.Conditions, c)
	return c
}

// group adds a group; groups must be added parent first, which keeps
// Catalog.Groups in pre-order.
func (b *builder) group(parent *schema.Group, segment, name string) *schema.Group {
	key := segment
	if parent != nil {
		key = parent.Key + "." + segment
	}
	g := &schema.Group{Key: key, Segment: segment, Parent: parent, Name: name, GoName: "Group" + pascal(key), TSName: pascal(key)}
	if parent != nil {
		parent.Groups = append(parent.Groups, g)
	} else {
		b.cat.TopGroups = append(b.cat.TopGroups, g)
	}
	b.cat.Groups = append(b.cat.Groups, g)
	return g
}

func (b *builder) permission(g *schema.Group, segment, name, description string, id uint32) *schema.Permission {
	key := g.Key + "." + segment
	p := &schema.Permission{Key: key, Segment: segment, Group: g, ID: id, Name: name, Description: description,
		Scope: g.Scope, GoName: pascal(key), TSName: pascal(key)}
	for a := g.Parent; p.Scope == nil && a != nil; a = a.Parent {
		p.Scope = a.Scope
	}
	g.Permissions = append(g.Permissions, p)
	return p
}

func (b *builder) role(key, name string) *schema.Role {
	r := &schema.Role{Key: key, Name: name, GoName: "Role" + pascal(key), TSName: pascal(key), Index: len(b.cat.Roles)}
	b.cat.Roles = append(b.cat.Roles, r)
	return r
}

// grant gives r the permission p, always when no condition is named, else
// when any of them is true.
func (b *builder) grant(r *schema.Role, p *schema.Permission, when ...*schema.Condition) {
	b.raw[r] = append(b.raw[r], rawGrant{p: p, when: when})
}

func (b *builder) profile(key, name string, requires ...*schema.Permission) *schema.Profile {
	pr := &schema.Profile{Key: key, Name: name, GoName: "Profile" + pascal(key), TSName: pascal(key), Index: len(b.cat.Profiles), Requires: requires}
	b.cat.Profiles = append(b.cat.Profiles, pr)
	return pr
}

// finish lays out Catalog.Permissions in pre-order by group, computes the
// closures and effective grants, and fills the lock.
func (b *builder) finish() *schema.Catalog {
	cat := b.cat
	cat.Permissions = nil
	var walk func(g *schema.Group)
	walk = func(g *schema.Group) {
		cat.Permissions = append(cat.Permissions, g.Permissions...)
		for _, s := range g.Groups {
			walk(s)
		}
	}
	for _, g := range cat.TopGroups {
		walk(g)
	}
	for i, g := range cat.Groups {
		g.Index = i
	}
	cat.Lock = &schema.Lock{Catalog: cat.Name}
	for i, p := range cat.Permissions {
		p.Index = i
		if p.ID > cat.MaxID {
			cat.MaxID = p.ID
		}
		cat.Lock.Entries = append(cat.Lock.Entries, schema.LockEntry{ID: p.ID, Key: p.Key, Former: p.Formerly})
	}
	sort.Slice(cat.Lock.Entries, func(i, j int) bool { return cat.Lock.Entries[i].ID < cat.Lock.Entries[j].ID })
	for _, p := range cat.Permissions {
		seen := map[*schema.Permission]bool{p: true}
		var visit func(q *schema.Permission)
		visit = func(q *schema.Permission) {
			for _, i := range q.Implies {
				if !seen[i] {
					seen[i] = true
					p.ImpliesClosure = append(p.ImpliesClosure, i)
					visit(i)
				}
			}
		}
		visit(p)
		sortPermissions(p.ImpliesClosure)
	}
	// A grant binds the permission's own scope; an implied permission is
	// bound like what implies it directly unless it has a scope of its own.
	for _, r := range cat.Roles {
		hold := map[*schema.Permission]map[schema.Way]bool{}
		for _, g := range b.raw[r] {
			conds := g.when
			if len(conds) == 0 {
				conds = []*schema.Condition{nil}
			}
			for _, c := range conds {
				var add func(p *schema.Permission, scope *schema.Scope)
				add = func(p *schema.Permission, scope *schema.Scope) {
					if p.Scope != nil {
						scope = p.Scope
					}
					if hold[p] == nil {
						hold[p] = map[schema.Way]bool{}
					}
					if w := (schema.Way{When: c, Scope: scope}); !hold[p][w] {
						hold[p][w] = true
						for _, q := range p.Implies {
							add(q, scope)
						}
					}
				}
				add(g.p, nil)
			}
		}
		r.Effective = nil
		for _, p := range cat.Permissions {
			ways := hold[p]
			if ways == nil {
				continue
			}
			eg := &schema.EffectiveGrant{Permission: p}
			for _, c := range append([]*schema.Condition{nil}, cat.Conditions...) {
				for _, sc := range append([]*schema.Scope{nil}, cat.Scopes...) {
					w := schema.Way{When: c, Scope: sc}
					if !ways[w] {
						continue
					}
					eg.Always = eg.Always || c == nil
					if c != nil && !eg.Always && !slices.Contains(eg.When, c) {
						eg.When = append(eg.When, c)
					}
					if c != nil && ways[schema.Way{Scope: sc}] || sc != nil && ways[schema.Way{When: c}] || w != (schema.Way{}) && ways[schema.Way{}] {
						continue // implied by another way
					}
					eg.Ways = append(eg.Ways, w)
				}
			}
			eg.Scope = eg.Ways[0].Scope
			for _, w := range eg.Ways {
				if w.Scope != eg.Scope {
					eg.Scope = nil
				}
			}
			r.Effective = append(r.Effective, eg)
		}
	}
	return cat
}

func sortPermissions(ps []*schema.Permission) {
	sort.Slice(ps, func(i, j int) bool { return ps[i].Index < ps[j].Index })
}

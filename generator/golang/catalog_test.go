package golang

import (
	"slices"
	"strings"

	"github.com/permcat/permcat/schema"
)

// catalogBuilder wires a schema.Catalog by hand the way the resolver would:
// pre-order groups and permissions, positions, Go names, implies closures
// and closed effective role grants. Tests use it for shapes the example
// catalogs do not have.
type catalogBuilder struct {
	cat    *schema.Catalog
	nextID uint32
	perms  []*schema.Permission // creation order; done() puts them in pre-order
	grants map[*schema.Role][]testGrant
	except map[*schema.Role][]*schema.Permission
}

type testGrant struct {
	p    *schema.Permission
	when *schema.Condition // nil: always
}

func newCatalog(name, title string) *catalogBuilder {
	return &catalogBuilder{
		cat:    &schema.Catalog{Name: name, Title: title},
		nextID: 1,
		grants: map[*schema.Role][]testGrant{},
		except: map[*schema.Role][]*schema.Permission{},
	}
}

// goName capitalises every "."- or "_"-separated word, as the resolver does.
func goName(key string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(key, func(r rune) bool { return r == '.' || r == '_' }) {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

func (b *catalogBuilder) scope(key, desc string) *schema.Scope {
	s := &schema.Scope{Key: key, Description: desc, GoName: "Scope" + goName(key), TSName: goName(key), Index: len(b.cat.Scopes)}
	b.cat.Scopes = append(b.cat.Scopes, s)
	return s
}

func (b *catalogBuilder) condition(key, desc string) *schema.Condition {
	c := &schema.Condition{Key: key, Description: desc, GoName: goName(key), Index: len(b.cat.Conditions)}
	b.cat.Conditions = append(b.cat.Conditions, c)
	return c
}

func (b *catalogBuilder) group(parent *schema.Group, seg, name string) *schema.Group {
	key := seg
	if parent != nil {
		key = parent.Key + "." + seg
	}
	g := &schema.Group{Key: key, Segment: seg, Parent: parent, Name: name, GoName: "Group" + goName(key), TSName: goName(key)}
	if parent != nil {
		parent.Groups = append(parent.Groups, g)
	} else {
		b.cat.TopGroups = append(b.cat.TopGroups, g)
	}
	return g
}

// perm adds a permission with the next ID; setID overrides it afterwards.
func (b *catalogBuilder) perm(g *schema.Group, seg, name string) *schema.Permission {
	p := &schema.Permission{Key: g.Key + "." + seg, Segment: seg, Group: g, ID: b.nextID, Name: name,
		Description: "Allows users to " + strings.ToLower(name) + ".", GoName: goName(g.Key + "." + seg), TSName: goName(g.Key + "." + seg)}
	b.nextID++
	g.Permissions = append(g.Permissions, p)
	b.perms = append(b.perms, p)
	return p
}

func (b *catalogBuilder) role(key, name string, landing *schema.Group, extends ...*schema.Role) *schema.Role {
	r := &schema.Role{Key: key, Name: name, Landing: landing, Extends: extends, GoName: "Role" + goName(key), TSName: goName(key), Index: len(b.cat.Roles)}
	if landing == nil {
		for _, x := range extends {
			if x.Landing != nil {
				r.Landing = x.Landing
				break
			}
		}
	}
	b.cat.Roles = append(b.cat.Roles, r)
	return r
}

func (b *catalogBuilder) grant(r *schema.Role, when *schema.Condition, ps ...*schema.Permission) {
	for _, p := range ps {
		b.grants[r] = append(b.grants[r], testGrant{p, when})
	}
}

func (b *catalogBuilder) profile(key, name string, requires ...*schema.Permission) *schema.Profile {
	p := &schema.Profile{Key: key, Name: name, Requires: requires, GoName: "Profile" + goName(key), TSName: goName(key), Index: len(b.cat.Profiles)}
	b.cat.Profiles = append(b.cat.Profiles, p)
	return p
}

// done finishes the catalog: orders groups and permissions, closes implies
// and computes every role's effective grants.
func (b *catalogBuilder) done() *schema.Catalog {
	c := b.cat
	var walk func(g *schema.Group)
	walk = func(g *schema.Group) {
		g.Index = len(c.Groups)
		c.Groups = append(c.Groups, g)
		for _, p := range g.Permissions {
			p.Index = len(c.Permissions)
			c.Permissions = append(c.Permissions, p)
			if p.Scope == nil {
				for x := g; x != nil; x = x.Parent {
					if x.Scope != nil {
						p.Scope = x.Scope
						break
					}
				}
			}
		}
		for _, s := range g.Groups {
			walk(s)
		}
	}
	for _, g := range c.TopGroups {
		walk(g)
	}
	for _, p := range c.Permissions {
		c.MaxID = max(c.MaxID, p.ID)
		seen := map[*schema.Permission]bool{p: true}
		var visit func(q *schema.Permission)
		visit = func(q *schema.Permission) {
			for _, x := range q.Implies {
				if !seen[x] {
					seen[x] = true
					visit(x)
				}
			}
		}
		visit(p)
		for q := range seen {
			if q != p {
				p.ImpliesClosure = append(p.ImpliesClosure, q)
			}
		}
		slices.SortFunc(p.ImpliesClosure, func(a, b *schema.Permission) int { return a.Index - b.Index })
	}
	type state struct {
		always bool
		when   map[*schema.Condition]bool
	}
	effective := map[*schema.Role]map[*schema.Permission]*state{}
	for _, r := range c.Roles {
		held := map[*schema.Permission]*state{}
		add := func(p *schema.Permission, when *schema.Condition) {
			for _, q := range append([]*schema.Permission{p}, p.ImpliesClosure...) {
				s := held[q]
				if s == nil {
					s = &state{when: map[*schema.Condition]bool{}}
					held[q] = s
				}
				if when == nil {
					s.always = true
				} else {
					s.when[when] = true
				}
			}
		}
		for _, x := range r.Extends {
			for p, s := range effective[x] {
				if s.always {
					add(p, nil)
				}
				for w := range s.when {
					add(p, w)
				}
			}
		}
		for _, gr := range b.grants[r] {
			add(gr.p, gr.when)
		}
		for _, p := range b.except[r] {
			delete(held, p)
		}
		effective[r] = held
		for _, p := range c.Permissions {
			s := held[p]
			if s == nil {
				continue
			}
			e := &schema.EffectiveGrant{Permission: p, Always: s.always}
			if !s.always {
				for _, cond := range c.Conditions {
					if s.when[cond] {
						e.When = append(e.When, cond)
					}
				}
			}
			r.Effective = append(r.Effective, e)
		}
	}
	return c
}

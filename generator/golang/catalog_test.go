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
	p     *schema.Permission
	when  *schema.Condition // nil: always
	scope *schema.Scope     // nil: the permission's own, if any
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
		b.grants[r] = append(b.grants[r], testGrant{p, when, nil})
	}
}

// grantIn grants ps bound to scope s.
func (b *catalogBuilder) grantIn(r *schema.Role, when *schema.Condition, s *schema.Scope, ps ...*schema.Permission) {
	for _, p := range ps {
		b.grants[r] = append(b.grants[r], testGrant{p, when, s})
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
	// A way is (condition, scope), nil meaning always and everywhere. This
	// is written apart from the resolver, as an oracle: a grant binds its
	// scope, else the permission's; an implied permission is bound like
	// what implies it directly unless it has a scope of its own.
	effective := map[*schema.Role]map[*schema.Permission]map[schema.Way]bool{}
	for _, r := range c.Roles {
		held := map[*schema.Permission]map[schema.Way]bool{}
		var add func(p *schema.Permission, w schema.Way)
		add = func(p *schema.Permission, w schema.Way) {
			if p.Scope != nil {
				w.Scope = p.Scope
			}
			if held[p] == nil {
				held[p] = map[schema.Way]bool{}
			}
			if held[p][w] {
				return
			}
			held[p][w] = true
			for _, q := range p.Implies { // step by step: q binds what it implies
				add(q, w)
			}
		}
		for _, x := range r.Extends {
			for p, ways := range effective[x] {
				for w := range ways {
					add(p, w)
				}
			}
		}
		for _, gr := range b.grants[r] {
			s := gr.scope
			if s == nil {
				s = gr.p.Scope
			}
			add(gr.p, schema.Way{When: gr.when, Scope: s})
		}
		for _, p := range b.except[r] {
			delete(held, p)
		}
		effective[r] = held
		for _, p := range c.Permissions {
			ways := held[p]
			if ways == nil {
				continue
			}
			e := &schema.EffectiveGrant{Permission: p}
			for w := range ways {
				if w.When == nil {
					e.Always = true
				}
			}
			for _, cond := range append([]*schema.Condition{nil}, c.Conditions...) {
				for _, sc := range append([]*schema.Scope{nil}, c.Scopes...) {
					w := schema.Way{When: cond, Scope: sc}
					if !ways[w] {
						continue
					}
					if !e.Always && !slices.Contains(e.When, cond) {
						e.When = append(e.When, cond)
					}
					if cond != nil && ways[schema.Way{Scope: sc}] || sc != nil && ways[schema.Way{When: cond}] || w != (schema.Way{}) && ways[schema.Way{}] {
						continue
					}
					e.Ways = append(e.Ways, w)
				}
			}
			r.Effective = append(r.Effective, e)
		}
	}
	return c
}

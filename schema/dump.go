package schema

import (
	"encoding/json"
	"path/filepath"
)

// Dump renders the resolved model as stable, indented JSON: what the
// generators see, for golden tests and for `permcat validate --format json`
// consumers that want the model. Positions are relative to base.
func Dump(c *Catalog, base string) []byte {
	rel := func(p Pos) string {
		if r, err := filepath.Rel(base, p.File); err == nil {
			p.File = filepath.ToSlash(r)
		}
		return p.String()
	}
	keys := func(ps []*Permission) []string {
		out := []string{}
		for _, p := range ps {
			out = append(out, p.Key)
		}
		return out
	}
	type perm struct {
		Key, Name, Description, Note, Location, Deprecated string `json:",omitempty"`
		ID                                                 uint32
		Group                                              string
		Scope                                              string   `json:",omitempty"`
		Aliases, Formerly, Tags                            []string `json:",omitempty"`
		Implies, Requires, ImpliesClosure                  []string `json:",omitempty"`
		GoName, TSName, Pos                                string
	}
	type group struct {
		Key, Name, Description, Location, Note, Preset, Scope, Parent string   `json:",omitempty"`
		Aliases, Formerly                                             []string `json:",omitempty"`
		GoName, TSName, Pos                                           string
	}
	type eff struct {
		Permission string
		When       []string `json:",omitempty"`
		Scope      string   `json:",omitempty"`
		Ways       []string // "always" or a condition key, then "@" and a scope key or "-"
		Notes      []string `json:",omitempty"`
	}
	type role struct {
		Key, Name, Description, Note, Landing string   `json:",omitempty"`
		Extends                               []string `json:",omitempty"`
		Effective                             []eff
		GoName, TSName, Pos                   string
	}
	type profile struct {
		Key, Name, Description string `json:",omitempty"`
		Requires               []string
		GoName, TSName, Pos    string
	}
	type named struct{ Key, Description, GoName, TSName, Pos string }
	out := struct {
		Name, Title, Description string
		MaxID                    uint32
		Scopes, Conditions       []named
		Groups                   []group
		Permissions              []perm
		Roles                    []role
		Profiles                 []profile
		Lock                     string
	}{Name: c.Name, Title: c.Title, Description: c.Description, MaxID: c.MaxID}
	for _, s := range c.Scopes {
		out.Scopes = append(out.Scopes, named{s.Key, s.Description, s.GoName, s.TSName, rel(s.Pos)})
	}
	for _, x := range c.Conditions {
		out.Conditions = append(out.Conditions, named{x.Key, x.Description, x.GoName, x.TSName, rel(x.Pos)})
	}
	for _, g := range c.Groups {
		d := group{Key: g.Key, Name: g.Name, Description: g.Description, Location: g.Location, Note: g.Note, Preset: g.Preset,
			Aliases: g.Aliases, Formerly: g.Formerly, GoName: g.GoName, TSName: g.TSName, Pos: rel(g.Pos)}
		if g.Scope != nil {
			d.Scope = g.Scope.Key
		}
		if g.Parent != nil {
			d.Parent = g.Parent.Key
		}
		out.Groups = append(out.Groups, d)
	}
	for _, p := range c.Permissions {
		d := perm{Key: p.Key, Name: p.Name, Description: p.Description, Note: p.Note, Location: p.Location, Deprecated: p.Deprecated,
			ID: p.ID, Group: p.Group.Key, Aliases: p.Aliases, Formerly: p.Formerly, Tags: p.Tags,
			Implies: keys(p.Implies), Requires: keys(p.Requires), ImpliesClosure: keys(p.ImpliesClosure),
			GoName: p.GoName, TSName: p.TSName, Pos: rel(p.Pos)}
		if p.Scope != nil {
			d.Scope = p.Scope.Key
		}
		out.Permissions = append(out.Permissions, d)
	}
	for _, r := range c.Roles {
		d := role{Key: r.Key, Name: r.Name, Description: r.Description, Note: r.Note, GoName: r.GoName, TSName: r.TSName, Pos: rel(r.Pos), Effective: []eff{}}
		if r.Landing != nil {
			d.Landing = r.Landing.Key
		}
		for _, b := range r.Extends {
			d.Extends = append(d.Extends, b.Key)
		}
		for _, g := range r.Effective {
			e := eff{Permission: g.Permission.Key, Notes: g.Notes}
			for _, w := range g.When {
				e.When = append(e.When, w.Key)
			}
			if g.Scope != nil {
				e.Scope = g.Scope.Key
			}
			for _, w := range g.Ways {
				t, sc := "always", "-"
				if w.When != nil {
					t = w.When.Key
				}
				if w.Scope != nil {
					sc = w.Scope.Key
				}
				e.Ways = append(e.Ways, t+"@"+sc)
			}
			d.Effective = append(d.Effective, e)
		}
		out.Roles = append(out.Roles, d)
	}
	for _, p := range c.Profiles {
		out.Profiles = append(out.Profiles, profile{Key: p.Key, Name: p.Name, Description: p.Description, Requires: keys(p.Requires), GoName: p.GoName, TSName: p.TSName, Pos: rel(p.Pos)})
	}
	if c.Lock != nil {
		out.Lock = string(c.Lock.Format())
	}
	b, _ := json.MarshalIndent(out, "", "  ")
	return append(b, '\n')
}

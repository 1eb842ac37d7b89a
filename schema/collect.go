package schema

import (
	"fmt"
	"strings"
)

// The collect stage merges the definitions of every file into raw trees,
// reporting anything defined twice at the later place. Raw nodes keep the
// YAML values; resolve.go turns them into the model.

type field struct {
	val *Value
	key *Value
}

type rawGroup struct {
	key     string
	seg     string
	parent  *rawGroup
	pos     Pos
	fields  map[string]field
	perms   []*rawPerm
	permBy  map[string]*rawPerm
	kids    []*rawGroup
	kidBy   map[string]*rawGroup
	created *Group
	hasBody bool // a permissions or groups map was written (even if invalid)
}

type rawPerm struct {
	seg string
	key *Value
	v   *Value
}

type rawDef struct {
	key string
	k   *Value
	v   *Value
}

type collected struct {
	rootFile               *Value
	groups                 []*rawGroup
	groupBy                map[string]*rawGroup
	scopes, conditions     []rawDef
	presets, roles, profls []rawDef
}

func (r *resolver) collect(files []*file) *collected {
	c := &collected{groupBy: map[string]*rawGroup{}}
	defs := map[string]map[string]*Value{}
	for _, f := range files {
		if f.v.Kind != KindMap {
			if f.v.Kind == KindNull {
				if f.root {
					r.errf(f.v.Pos, "root-required", "the root file is empty; it needs at least `permcat: 1` and `catalog: NAME`")
				}
				continue
			}
			continue // the schema reports a non-mapping document
		}
		if f.root {
			c.rootFile = f.v
		}
		for i, k := range f.v.Keys {
			v := f.v.Vals[i]
			if !f.root && rootOnlyFields[k.Str] {
				r.errf(k.Pos, "root-only-field", "%q may only be set in the root file; fragments hold %s", k.Str, "groups, roles, presets, conditions, scopes and profiles")
				continue
			}
			if !rootOnlyFields[k.Str] && !fragmentFields[k.Str] {
				continue // the schema reports unknown fields
			}
			switch k.Str {
			case "groups":
				r.collectGroups(c, nil, v)
			case "scopes", "conditions", "presets", "roles", "profiles":
				if v.Kind != KindMap {
					continue
				}
				seen := defs[k.Str]
				if seen == nil {
					seen = map[string]*Value{}
					defs[k.Str] = seen
				}
				for j, dk := range v.Keys {
					if prev, dup := seen[dk.Str]; dup {
						r.errf(dk.Pos, "duplicate-definition", "%s %q is already defined at %s", singular(k.Str), dk.Str, prev.Pos)
						continue
					}
					seen[dk.Str] = dk
					d := rawDef{key: dk.Str, k: dk, v: v.Vals[j]}
					switch k.Str {
					case "scopes":
						c.scopes = append(c.scopes, d)
					case "conditions":
						c.conditions = append(c.conditions, d)
					case "presets":
						c.presets = append(c.presets, d)
					case "roles":
						c.roles = append(c.roles, d)
					case "profiles":
						c.profls = append(c.profls, d)
					}
				}
			}
		}
	}
	return c
}

func singular(s string) string {
	switch s {
	case "scopes":
		return "scope"
	case "conditions":
		return "condition"
	case "presets":
		return "preset"
	case "roles":
		return "role"
	case "profiles":
		return "profile"
	}
	return strings.TrimSuffix(s, "s")
}

var groupFields = []string{"name", "description", "location", "note", "preset", "omit", "vars", "scope", "aliases", "formerly", "go_name", "ts_name"}

func (r *resolver) collectGroups(c *collected, parent *rawGroup, m *Value) {
	if m.Kind != KindMap {
		return
	}
	for i, k := range m.Keys {
		v := m.Vals[i]
		if !validSegment(k.Str) {
			continue // the schema reports the key
		}
		if groupFieldSlip(k, v) {
			r.groupFieldAsKey(k, v, parent)
			continue
		}
		key := k.Str
		if parent != nil {
			key = parent.key + "." + k.Str
		}
		g := c.groupBy[key]
		if g == nil {
			g = &rawGroup{key: key, seg: k.Str, parent: parent, pos: k.Pos, fields: map[string]field{},
				permBy: map[string]*rawPerm{}, kidBy: map[string]*rawGroup{}}
			c.groupBy[key] = g
			if parent == nil {
				c.groups = append(c.groups, g)
			} else {
				parent.kids = append(parent.kids, g)
				parent.kidBy[k.Str] = g
			}
		}
		if v.Kind != KindMap {
			continue
		}
		for _, fname := range groupFields {
			fv, fk := v.Get(fname)
			if fk == nil {
				continue
			}
			if prev, dup := g.fields[fname]; dup {
				r.errf(fk.Pos, "duplicate-definition", "field %q of group %s is already set at %s; each field of a group is set in one place only", fname, key, prev.key.Pos)
				continue
			}
			g.fields[fname] = field{val: fv, key: fk}
		}
		if pv, _ := v.Get("permissions"); pv != nil && pv.Kind == KindMap {
			g.hasBody = g.hasBody || len(pv.Keys) > 0 || pv.Dropped
			for j, pk := range pv.Keys {
				if !validSegment(pk.Str) {
					continue
				}
				if permFieldSlip(pk, pv.Vals[j]) {
					r.permFieldAsKey(pk, pv.Vals[j], pv, key, "")
					continue
				}
				if prev, dup := g.permBy[pk.Str]; dup {
					r.errf(pk.Pos, "duplicate-definition", "permission %s.%s is already defined at %s", key, pk.Str, prev.key.Pos)
					continue
				}
				p := &rawPerm{seg: pk.Str, key: pk, v: pv.Vals[j]}
				g.permBy[pk.Str] = p
				g.perms = append(g.perms, p)
			}
		}
		if sub, _ := v.Get("groups"); sub != nil {
			r.collectGroups(c, g, sub)
		}
	}
}

func (g *rawGroup) str(name string) (string, *Value) {
	f, ok := g.fields[name]
	if !ok {
		return "", nil
	}
	s, _ := f.val.String()
	return s, f.val
}

func describeKinds(v *Value) string {
	if v == nil {
		return "nothing"
	}
	return fmt.Sprint(v.Kind)
}

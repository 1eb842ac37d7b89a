package typescript

import "github.com/permcat/permcat/schema"

// sizeHint is a little more than the size of the module rendered from cat
// when few strings need escaping, so that the module is written into one
// allocation: at 100,000 permissions it is some 70 MB, and growing a buffer
// on the way would allocate and copy about twice that. A wrong guess costs
// only time and memory.
func sizeHint(cat *schema.Catalog) int {
	const (
		fixed = 13 << 10 // the template's own text
		ref   = len("Permission.")
	)
	n := fixed + len(cat.Name)*3 + len(cat.Title) + len(cat.Description)
	doc := func(indent int, deprecated string, paras ...string) int {
		// "/**\n", " * "+text+"\n" per paragraph, " *\n" between them
		// and " */\n", all indented.
		d, k := 0, 0
		for _, p := range paras {
			if p != "" {
				d += indent + 4 + len(p)
				k++
			}
		}
		if deprecated != "" {
			d += indent + 16 + len(deprecated)
			k++
		}
		if k == 0 {
			return 0
		}
		return d + (k-1)*(indent+3) + 2*(indent+4)
	}
	for _, p := range cat.Permissions {
		name := ref + len(p.TSName)
		key := len(p.Key) + 2
		n += doc(2, p.Deprecated, p.Name, p.Description) + len(p.TSName) + key + 7 // enum member
		n += 4 + name                                                              // allPermissions
		n += 4 + key + 4 + name                                                    // permissionByKey
		// permissionInfo
		n += 146 + 2*name + len(p.Name) + len(p.Description)
		if p.Group != nil {
			n += len(p.Group.Key)
		}
		for _, q := range p.Implies {
			n += ref + len(q.TSName) + 2
		}
		for _, q := range p.Requires {
			n += ref + len(q.TSName) + 2
		}
		if p.Scope != nil {
			n += 16 + len(p.Scope.Key)
		}
		if p.Deprecated != "" {
			n += 21 + len(p.Deprecated)
		}
		for _, f := range p.Formerly {
			n += len(f) + 4 + len(f) + 6 + name + 4
		}
		// impliedBy
		if len(p.ImpliesClosure) > 0 {
			n += 4 + name + 8
			for _, q := range p.ImpliesClosure {
				n += 4 + ref + len(q.TSName)
			}
		}
	}
	for _, g := range cat.Groups {
		name := len("Group.") + len(g.TSName)
		n += doc(2, "", g.Name, g.Description) + len(g.TSName) + len(g.Key) + 9 // enum member
		n += 4 + name                                                           // allGroups
		n += 77 + 2*name + len(g.Name) + len(g.Description) + len(g.Location)   // groupInfo
		if g.Parent != nil {
			n += 20 + len(g.Parent.TSName)
		}
	}
	for _, r := range cat.Roles {
		n += 200 + doc(2, "", r.Name, r.Description) + 6*len(r.TSName) + 2*len(r.Key) + len(r.Name) + len(r.Description)
		for _, g := range r.Effective {
			n += ref + len(g.Permission.TSName) + 10 + len(g.When)*16
			// roleScopes or roleWays, when a way is bound to a scope
			for _, w := range g.Ways {
				if w.Scope != nil {
					n += ref + len(g.Permission.TSName) + 2 + len(g.Ways)*(len("Scope.")+len(w.Scope.TSName)+20)
					break
				}
			}
		}
	}
	for _, p := range cat.Profiles {
		n += 200 + doc(2, "", p.Name, p.Description) + 6*len(p.TSName) + 2*len(p.Key) + len(p.Name) + len(p.Description)
		for _, q := range p.Requires {
			n += 2 * (ref + len(q.TSName) + 2)
		}
	}
	for _, c := range cat.Conditions {
		n += 20 + doc(2, "", c.Description) + len(c.TSName)
	}
	for _, s := range cat.Scopes {
		n += 20 + doc(2, "", s.Description) + len(s.TSName) + len(s.Key)
	}
	return n + n/32 // for some escaping
}

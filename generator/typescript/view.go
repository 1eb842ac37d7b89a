package typescript

import (
	"fmt"
	"regexp"

	"github.com/permcat/permcat/schema"
)

// The view is the catalog as the template needs it: every string already a
// literal or a comment block, every reference already an expression such as
// Permission.IntegrationsMetrcEdit. Building it is where names are checked.

type view struct {
	Catalog     catalogView
	Permission  enumView
	Group       enumView
	Role        enumView
	Profile     enumView
	Scope       enumView
	Conditions  []memberView
	Permissions []permissionView
	Former      []keyRef
	Groups      []groupView
	Roles       []roleView
	Profiles    []profileView

	// Flat lists with offsets for the module's lookup tables (see span).
	Implied     span
	ProfileReqs span
}

// span is a map from keys to lists, written as the keys, one flat list and
// offsets into it (list i is Flat[Offsets[i]:Offsets[i+1]]). The module
// builds Maps from these instead of from [key, list] tuple literals:
// thousands of distinct tuple or array literal types make tsc give up
// ("union type that is too complex to represent").
type span struct {
	Keys    []string
	Offsets []int
	Flat    []string
}

func (s *span) add(key string, list []string) {
	if len(s.Offsets) == 0 {
		s.Offsets = []int{0}
	}
	s.Keys = append(s.Keys, key)
	s.Flat = append(s.Flat, list...)
	s.Offsets = append(s.Offsets, len(s.Flat))
}

type catalogView struct {
	Key, KeyLit, TitleLit, DescriptionLit string
}

type enumView struct {
	Const   bool
	Name    string
	Doc     string
	Members []memberView
}

type memberView struct {
	Doc, Ident, ValueLit string
}

type keyRef struct {
	KeyLit, Ref string
}

type permissionView struct {
	Ref, KeyLit                       string
	ID                                uint32
	NameLit, DescriptionLit, GroupLit string
	ScopeLit, DeprecatedLit           string
	Implies, Requires, Closure        []string
	FormerlyLits                      []string
}

type groupView struct {
	Ref, NameLit, DescriptionLit, LocationLit, Parent string
}

type roleView struct {
	Ref, KeyLit, NameLit, DescriptionLit, Landing string
	Grants                                        []grantView
	GrantSpan                                     span // permission → condition names
}

type grantView struct {
	Ref  string
	When []string // condition names as string literals; empty: always
}

type profileView struct {
	Ref, KeyLit, NameLit, DescriptionLit string
	Requires                             []string
}

// identifier is what the generator can emit unquoted as an enum member,
// object key or interface property. The resolver derives and checks names;
// this guards against an override or a hand-built catalog that slipped by.
var identifier = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)

// objectMembers are the properties every object inherits. A Conditions field
// of that name would have to be boolean, which `{}` is not, so callers could
// not pass any conditions at all.
var objectMembers = map[string]bool{
	"constructor": true, "toString": true, "toLocaleString": true, "valueOf": true,
	"hasOwnProperty": true, "isPrototypeOf": true, "propertyIsEnumerable": true,
}

// segment is a catalog key segment; anything else is shown quoted.
var segment = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// commentSafe returns key as it may appear in a line comment.
func commentSafe(key string) string {
	if segment.MatchString(key) {
		return key
	}
	return jsString(key)
}

// checkNames collects the names of one enum (or interface) and rejects
// invalid or repeated ones.
type checkNames struct {
	what string
	seen map[string]string
}

func (c *checkNames) add(name, key string) error {
	if !identifier.MatchString(name) || name == "__proto__" {
		return fmt.Errorf("typescript: %s %q: %q is not a usable TypeScript identifier (set ts_name)", c.what, key, name)
	}
	if c.seen == nil {
		c.seen = map[string]string{}
	}
	if other, dup := c.seen[name]; dup {
		return fmt.Errorf("typescript: %s %q and %q both have the TypeScript name %q (set ts_name)", c.what, other, key, name)
	}
	c.seen[name] = key
	return nil
}

func newView(cat *schema.Catalog, isConst bool) (*view, error) {
	title := cat.Title
	if title == "" {
		title = cat.Name
	}
	v := &view{
		Catalog: catalogView{
			Key:            commentSafe(cat.Name),
			KeyLit:         jsString(cat.Name),
			TitleLit:       jsString(title),
			DescriptionLit: jsString(cat.Description),
		},
		Permission: enumView{Const: isConst, Name: "Permission", Doc: jsDoc("", []string{
			"A permission. Each value is the permission's canonical key, the string to persist.",
		}, "")},
		Group: enumView{Const: isConst, Name: "Group", Doc: jsDoc("", []string{
			"A group (a section) of permissions. Each value is the group's key.",
		}, "")},
		Role: enumView{Const: isConst, Name: "Role", Doc: jsDoc("", []string{
			"A role: a named bundle of grants. Each value is the role's key.",
		}, "")},
		Profile: enumView{Const: isConst, Name: "Profile", Doc: jsDoc("", []string{
			"A profile: a named set of permissions someone must hold. Each value is the profile's key.",
		}, "")},
		Scope: enumView{Const: isConst, Name: "Scope", Doc: jsDoc("", []string{
			"Something a grant can be bound to. Each value is the scope's key.",
		}, "")},
	}

	permRef := map[*schema.Permission]string{}
	names := checkNames{what: "permission"}
	for _, p := range cat.Permissions {
		if err := names.add(p.TSName, p.Key); err != nil {
			return nil, err
		}
		permRef[p] = "Permission." + p.TSName
	}
	groupRef := map[*schema.Group]string{}
	names = checkNames{what: "group"}
	for _, g := range cat.Groups {
		if err := names.add(g.TSName, g.Key); err != nil {
			return nil, err
		}
		groupRef[g] = "Group." + g.TSName
	}
	refs := func(ps []*schema.Permission) ([]string, error) {
		out := make([]string, 0, len(ps))
		for _, p := range ps {
			r, ok := permRef[p]
			if !ok {
				return nil, fmt.Errorf("typescript: permission %q is referenced but not in the catalog", p.Key)
			}
			out = append(out, r)
		}
		return out, nil
	}

	known := map[string]bool{}
	for _, p := range cat.Permissions {
		known[p.Key] = true
	}
	for _, p := range cat.Permissions {
		v.Permission.Members = append(v.Permission.Members, memberView{
			Doc:      jsDoc("  ", []string{p.Name, p.Description}, p.Deprecated),
			Ident:    p.TSName,
			ValueLit: jsString(p.Key),
		})
		pv := permissionView{
			Ref:            permRef[p],
			KeyLit:         jsString(p.Key),
			ID:             p.ID,
			NameLit:        jsString(p.Name),
			DescriptionLit: jsString(p.Description),
		}
		if p.Group != nil {
			pv.GroupLit = jsString(p.Group.Key)
		} else {
			pv.GroupLit = jsString("")
		}
		if p.Scope != nil {
			pv.ScopeLit = jsString(p.Scope.Key)
		}
		if p.Deprecated != "" {
			pv.DeprecatedLit = jsString(p.Deprecated)
		}
		var err error
		if pv.Implies, err = refs(p.Implies); err != nil {
			return nil, err
		}
		if pv.Requires, err = refs(p.Requires); err != nil {
			return nil, err
		}
		if pv.Closure, err = refs(p.ImpliesClosure); err != nil {
			return nil, err
		}
		for _, f := range p.Formerly {
			pv.FormerlyLits = append(pv.FormerlyLits, jsString(f))
			// A current key always wins, then the first former claim, so
			// parsing is deterministic even for a catalog the resolver
			// should have rejected.
			if !known[f] {
				known[f] = true
				v.Former = append(v.Former, keyRef{KeyLit: jsString(f), Ref: pv.Ref})
			}
		}
		v.Permissions = append(v.Permissions, pv)
	}

	for _, g := range cat.Groups {
		v.Group.Members = append(v.Group.Members, memberView{
			Doc:      jsDoc("  ", []string{g.Name, g.Description}, ""),
			Ident:    g.TSName,
			ValueLit: jsString(g.Key),
		})
		gv := groupView{
			Ref:            groupRef[g],
			NameLit:        jsString(g.Name),
			DescriptionLit: jsString(g.Description),
			LocationLit:    jsString(g.Location),
		}
		if g.Parent != nil {
			r, ok := groupRef[g.Parent]
			if !ok {
				return nil, fmt.Errorf("typescript: group %q has a parent that is not in the catalog", g.Key)
			}
			gv.Parent = r
		}
		v.Groups = append(v.Groups, gv)
	}

	names = checkNames{what: "condition"}
	condLit := map[*schema.Condition]string{}
	for _, c := range cat.Conditions {
		if err := names.add(c.TSName, c.Key); err != nil {
			return nil, err
		}
		if objectMembers[c.TSName] {
			return nil, fmt.Errorf("typescript: condition %q: %q is a member of every object, so no object literal would type-check as Conditions (set ts_name)", c.Key, c.TSName)
		}
		condLit[c] = jsString(c.TSName)
		v.Conditions = append(v.Conditions, memberView{
			Doc:   jsDoc("  ", []string{c.Description}, ""),
			Ident: c.TSName,
		})
	}

	names = checkNames{what: "role"}
	for _, r := range cat.Roles {
		if err := names.add(r.TSName, r.Key); err != nil {
			return nil, err
		}
		v.Role.Members = append(v.Role.Members, memberView{
			Doc:      jsDoc("  ", []string{r.Name, r.Description}, ""),
			Ident:    r.TSName,
			ValueLit: jsString(r.Key),
		})
		rv := roleView{
			Ref:            "Role." + r.TSName,
			KeyLit:         jsString(r.Key),
			NameLit:        jsString(r.Name),
			DescriptionLit: jsString(r.Description),
		}
		if r.Landing != nil {
			l, ok := groupRef[r.Landing]
			if !ok {
				return nil, fmt.Errorf("typescript: role %q lands on a group that is not in the catalog", r.Key)
			}
			rv.Landing = l
		}
		for _, g := range r.Effective {
			ref, ok := permRef[g.Permission]
			if !ok {
				return nil, fmt.Errorf("typescript: role %q holds a permission that is not in the catalog", r.Key)
			}
			gv := grantView{Ref: ref}
			if !g.Always {
				if len(g.When) == 0 {
					// Neither always nor under any condition: never held.
					continue
				}
				for _, c := range g.When {
					lit, ok := condLit[c]
					if !ok {
						return nil, fmt.Errorf("typescript: role %q grants %q under a condition that is not in the catalog", r.Key, g.Permission.Key)
					}
					gv.When = append(gv.When, lit)
				}
			}
			rv.Grants = append(rv.Grants, gv)
			rv.GrantSpan.add(gv.Ref, gv.When)
		}
		if len(rv.GrantSpan.Offsets) == 0 {
			rv.GrantSpan.Offsets = []int{0}
		}
		v.Roles = append(v.Roles, rv)
	}

	names = checkNames{what: "profile"}
	for _, p := range cat.Profiles {
		if err := names.add(p.TSName, p.Key); err != nil {
			return nil, err
		}
		v.Profile.Members = append(v.Profile.Members, memberView{
			Doc:      jsDoc("  ", []string{p.Name, p.Description}, ""),
			Ident:    p.TSName,
			ValueLit: jsString(p.Key),
		})
		pv := profileView{
			Ref:            "Profile." + p.TSName,
			KeyLit:         jsString(p.Key),
			NameLit:        jsString(p.Name),
			DescriptionLit: jsString(p.Description),
		}
		var err error
		if pv.Requires, err = refs(p.Requires); err != nil {
			return nil, err
		}
		v.Profiles = append(v.Profiles, pv)
	}

	names = checkNames{what: "scope"}
	for _, s := range cat.Scopes {
		if err := names.add(s.TSName, s.Key); err != nil {
			return nil, err
		}
		v.Scope.Members = append(v.Scope.Members, memberView{
			Doc:      jsDoc("  ", []string{s.Description}, ""),
			Ident:    s.TSName,
			ValueLit: jsString(s.Key),
		})
	}
	v.Implied.Offsets = []int{0}
	for _, p := range v.Permissions {
		if len(p.Closure) > 0 {
			v.Implied.add(p.Ref, p.Closure)
		}
	}
	v.ProfileReqs.Offsets = []int{0}
	for _, p := range v.Profiles {
		v.ProfileReqs.add(p.Ref, p.Requires)
	}
	return v, nil
}

package typescript

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"

	"github.com/permcat/permcat/schema"
)

// The view is the catalog as the template needs it. Small things (the
// catalog, roles, profiles, conditions) are fields holding literals, comment
// blocks and references such as Role.Admin, ready to print. What there is
// one of per permission or per group is written by the view's methods,
// which append straight to the module being rendered and return "" so that
// the template prints nothing more. text/template spends microseconds of
// reflection per field, enough to dominate the run at 100,000 permissions;
// these loops spend nanoseconds. Building the view is where names and
// references are checked, so the methods never fail.

type view struct {
	out     *output
	cat     *schema.Catalog
	condLit map[*schema.Condition]string // condition → its name as a literal
	former  []formerKey

	Catalog    catalogView
	Permission enumView
	Group      enumView
	Role       enumView
	Profile    enumView
	Scope      enumView
	Conditions []memberView
	Roles      []roleView
	Profiles   []profileView
}

// output is the module being rendered: the template writes to it and so do
// the view's methods, in template order.
type output struct{ b []byte }

func (o *output) Write(p []byte) (int, error) {
	o.b = append(o.b, p...)
	return len(p), nil
}

type catalogView struct {
	Key, KeyLit, TitleLit, DescriptionLit string
}

type enumView struct {
	Const bool
	Name  string
	Doc   string
	Len   int // the number of members

	out     *output
	members func(b []byte, sep string) []byte
}

// Members writes every member on a line of its own, after its JSDoc, as
// "  Ident" + sep + "value,", each line preceded by a newline.
func (e enumView) Members(sep string) string {
	e.out.b = e.members(e.out.b, sep)
	return ""
}

// appendMember appends one enum member as enumView.Members lays it out.
func appendMember(b []byte, sep, ident, key, deprecated string, paras ...string) []byte {
	b = append(b, '\n')
	b = appendJSDoc(b, "  ", paras, deprecated)
	b = append(b, "  "...)
	b = append(b, ident...)
	b = append(b, sep...)
	b = appendJSString(b, key)
	return append(b, ',')
}

type memberView struct {
	Doc, Ident string
}

// formerKey is a former key that parsePermission maps to p.
type formerKey struct {
	key string
	p   *schema.Permission
}

type roleView struct {
	Ref, KeyLit, NameLit, DescriptionLit, Landing string
	Scoped, Mixed                                 bool // whether scoped, mixed are not empty

	role   *schema.Role
	scoped []scopedGrant
	mixed  []mixedGrant
}

// scopedGrant is a grant every way of which binds scope, under the
// conditions the grant lists: it goes in roleScopes.
type scopedGrant struct {
	p     *schema.Permission
	scope *schema.Scope
}

// mixedGrant is a grant held in ways bound to different scopes, or some
// bound and some not: it goes in roleWays, way by way.
type mixedGrant struct {
	p    *schema.Permission
	ways []schema.Way
}

type profileView struct {
	Ref, KeyLit, NameLit, DescriptionLit string
	Requires                             []*schema.Permission
}

// The references the generated code uses: Permission.IntegrationsMetrcEdit.

func appendPermissionRef(b []byte, p *schema.Permission) []byte {
	b = append(b, "Permission."...)
	return append(b, p.TSName...)
}

func appendGroupRef(b []byte, g *schema.Group) []byte {
	b = append(b, "Group."...)
	return append(b, g.TSName...)
}

func appendScopeRef(b []byte, s *schema.Scope) []byte {
	b = append(b, "Scope."...)
	return append(b, s.TSName...)
}

// appendPermissionRefs appends refs to ps separated by ", ".
func appendPermissionRefs(b []byte, ps []*schema.Permission) []byte {
	for i, p := range ps {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = appendPermissionRef(b, p)
	}
	return b
}

// The methods below each write one block of the module; the template shows
// where. Rows start with a newline so that the template can trim the one
// before the call, as it did around {{range}}.

// AllPermissions writes "\n  Permission.X," for every permission.
func (v *view) AllPermissions() string {
	b := v.out.b
	for _, p := range v.cat.Permissions {
		b = append(b, "\n  "...)
		b = appendPermissionRef(b, p)
		b = append(b, ',')
	}
	v.out.b = b
	return ""
}

// AllGroups writes "\n  Group.X," for every group.
func (v *view) AllGroups() string {
	b := v.out.b
	for _, g := range v.cat.Groups {
		b = append(b, "\n  "...)
		b = appendGroupRef(b, g)
		b = append(b, ',')
	}
	v.out.b = b
	return ""
}

// PermissionInfo writes the PermissionInfo record of every permission as a
// property of permissionInfo.
func (v *view) PermissionInfo() string {
	b := v.out.b
	for _, p := range v.cat.Permissions {
		b = append(b, "\n  ["...)
		b = appendPermissionRef(b, p)
		b = append(b, "]: {\n    key: "...)
		b = appendPermissionRef(b, p)
		b = append(b, ",\n    id: "...)
		b = strconv.AppendUint(b, uint64(p.ID), 10)
		b = append(b, ",\n    name: "...)
		b = appendJSString(b, p.Name)
		b = append(b, ",\n    description: "...)
		b = appendJSString(b, p.Description)
		b = append(b, ",\n    group: "...)
		if p.Group != nil {
			b = appendJSString(b, p.Group.Key)
		} else {
			b = append(b, `""`...)
		}
		b = append(b, ",\n    implies: ["...)
		b = appendPermissionRefs(b, p.Implies)
		b = append(b, "],\n    requires: ["...)
		b = appendPermissionRefs(b, p.Requires)
		b = append(b, "],"...)
		if p.Scope != nil {
			b = append(b, "\n    scope: "...)
			b = appendJSString(b, p.Scope.Key)
			b = append(b, ',')
		}
		if p.Deprecated != "" {
			b = append(b, "\n    deprecated: "...)
			b = appendJSString(b, p.Deprecated)
			b = append(b, ',')
		}
		b = append(b, "\n    formerly: ["...)
		for i, f := range p.Formerly {
			if i > 0 {
				b = append(b, ", "...)
			}
			b = appendJSString(b, f)
		}
		b = append(b, "],\n  },"...)
	}
	v.out.b = b
	return ""
}

// GroupInfo writes the GroupInfo record of every group as a property of
// groupInfo.
func (v *view) GroupInfo() string {
	b := v.out.b
	for _, g := range v.cat.Groups {
		b = append(b, "\n  ["...)
		b = appendGroupRef(b, g)
		b = append(b, "]: {\n    key: "...)
		b = appendGroupRef(b, g)
		b = append(b, ",\n    name: "...)
		b = appendJSString(b, g.Name)
		b = append(b, ",\n    description: "...)
		b = appendJSString(b, g.Description)
		b = append(b, ",\n    location: "...)
		b = appendJSString(b, g.Location)
		b = append(b, ',')
		if g.Parent != nil {
			b = append(b, "\n    parent: "...)
			b = appendGroupRef(b, g.Parent)
			b = append(b, ',')
		}
		b = append(b, "\n  },"...)
	}
	v.out.b = b
	return ""
}

// PermissionKeys writes "\n  \"key\"," for every key parsePermission
// accepts: the canonical keys, then the former ones.
func (v *view) PermissionKeys() string {
	b := v.out.b
	for _, p := range v.cat.Permissions {
		b = append(b, "\n  "...)
		b = appendJSString(b, p.Key)
		b = append(b, ',')
	}
	for _, f := range v.former {
		b = append(b, "\n  "...)
		b = appendJSString(b, f.key)
		b = append(b, ',')
	}
	v.out.b = b
	return ""
}

// PermissionKeyRefs writes "\n  Permission.X," for the permission each of
// the PermissionKeys names.
func (v *view) PermissionKeyRefs() string {
	v.AllPermissions()
	b := v.out.b
	for _, f := range v.former {
		b = append(b, "\n  "...)
		b = appendPermissionRef(b, f.p)
		b = append(b, ',')
	}
	v.out.b = b
	return ""
}

// Refs writes refs to ps separated by ", ".
func (v *view) Refs(ps []*schema.Permission) string {
	v.out.b = appendPermissionRefs(v.out.b, ps)
	return ""
}

// GrantSpans writes the arguments of spans() for the grants of r: the
// permissions it holds, the offsets and the flat list of condition names.
func (v *view) GrantSpans(r roleView) string {
	b := append(v.out.b, '[')
	n := 0
	for _, g := range r.role.Effective {
		if !g.Always && len(g.When) == 0 {
			continue // neither always nor under any condition: never held
		}
		if n > 0 {
			b = append(b, ", "...)
		}
		b = appendPermissionRef(b, g.Permission)
		n++
	}
	b = append(b, "], [0"...)
	off := 0
	for _, g := range r.role.Effective {
		if g.Always {
			b = append(b, ", "...)
			b = strconv.AppendInt(b, int64(off), 10)
		} else if len(g.When) > 0 {
			off += len(g.When)
			b = append(b, ", "...)
			b = strconv.AppendInt(b, int64(off), 10)
		}
	}
	b = append(b, "], ["...)
	n = 0
	for _, g := range r.role.Effective {
		if g.Always {
			continue
		}
		for _, c := range g.When {
			if n > 0 {
				b = append(b, ", "...)
			}
			b = append(b, v.condLit[c]...)
			n++
		}
	}
	v.out.b = append(b, ']')
	return ""
}

// ScopedGrants writes the arguments of zip() for the grants of r that
// roleScopes holds: the permissions, then the scope each binds.
func (v *view) ScopedGrants(r roleView) string {
	b := appendList(v.out.b, r.scoped, func(b []byte, g scopedGrant) []byte { return appendPermissionRef(b, g.p) })
	b = append(b, ", "...)
	v.out.b = appendList(b, r.scoped, func(b []byte, g scopedGrant) []byte { return appendScopeRef(b, g.scope) })
	return ""
}

// appendList appends "[x, y, …]", each element written by ref.
func appendList[T any](b []byte, xs []T, ref func([]byte, T) []byte) []byte {
	b = append(b, '[')
	for i, x := range xs {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = ref(b, x)
	}
	return append(b, ']')
}

// MixedGrants writes the arguments of spans() for the grants of r that
// roleWays holds: the permissions, the offsets and the flat list of ways,
// each as its condition's name (null: always) and its scope (null:
// everywhere).
func (v *view) MixedGrants(r roleView) string {
	b := appendList(v.out.b, r.mixed, func(b []byte, g mixedGrant) []byte { return appendPermissionRef(b, g.p) })
	b = append(b, ", [0"...)
	off := 0
	for _, g := range r.mixed {
		off += 2 * len(g.ways)
		b = append(b, ", "...)
		b = strconv.AppendInt(b, int64(off), 10)
	}
	b = append(b, "], ["...)
	n := 0
	for _, g := range r.mixed {
		for _, w := range g.ways {
			if n > 0 {
				b = append(b, ", "...)
			}
			n++
			if w.When == nil {
				b = append(b, "null"...)
			} else {
				b = append(b, v.condLit[w.When]...)
			}
			b = append(b, ", "...)
			if w.Scope == nil {
				b = append(b, "null"...)
			} else {
				b = appendScopeRef(b, w.Scope)
			}
		}
	}
	v.out.b = append(b, ']')
	return ""
}

// ProfileRequires writes the arguments of spans() for what each profile
// requires.
func (v *view) ProfileRequires() string {
	b := append(v.out.b, '[')
	for i, p := range v.Profiles {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, p.Ref...)
	}
	b = append(b, "], [0"...)
	off := 0
	for _, p := range v.Profiles {
		off += len(p.Requires)
		b = append(b, ", "...)
		b = strconv.AppendInt(b, int64(off), 10)
	}
	b = append(b, "], ["...)
	n := 0
	for _, p := range v.Profiles {
		for _, q := range p.Requires {
			if n > 0 {
				b = append(b, ", "...)
			}
			b = appendPermissionRef(b, q)
			n++
		}
	}
	v.out.b = append(b, ']')
	return ""
}

// ImpliedKeys writes "\n  Permission.X," for every permission that implies
// another.
func (v *view) ImpliedKeys() string {
	b := v.out.b
	for _, p := range v.cat.Permissions {
		if len(p.ImpliesClosure) > 0 {
			b = append(b, "\n  "...)
			b = appendPermissionRef(b, p)
			b = append(b, ',')
		}
	}
	v.out.b = b
	return ""
}

// ImpliedOffsets writes "0, n1, n2, …", the offsets of the ImpliedKeys'
// lists in ImpliedFlat.
func (v *view) ImpliedOffsets() string {
	b := append(v.out.b, '0')
	off := 0
	for _, p := range v.cat.Permissions {
		if len(p.ImpliesClosure) > 0 {
			off += len(p.ImpliesClosure)
			b = append(b, ", "...)
			b = strconv.AppendInt(b, int64(off), 10)
		}
	}
	v.out.b = b
	return ""
}

// ImpliedFlat writes "\n  Permission.Y," for everything each of the
// ImpliedKeys implies, in order.
func (v *view) ImpliedFlat() string {
	b := v.out.b
	for _, p := range v.cat.Permissions {
		for _, q := range p.ImpliesClosure {
			b = append(b, "\n  "...)
			b = appendPermissionRef(b, q)
			b = append(b, ',')
		}
	}
	v.out.b = b
	return ""
}

// isIdentifier reports whether the generator can emit name unquoted as an
// enum member, object key or interface property
// (^[A-Za-z_$][A-Za-z0-9_$]*$). The resolver derives and checks names; this
// guards against an override or a hand-built catalog that slipped by.
func isIdentifier(name string) bool {
	if name == "" || identChar[name[0]] != identStart {
		return false
	}
	for i := 1; i < len(name); i++ {
		if identChar[name[i]] == 0 {
			return false
		}
	}
	return true
}

const (
	identPart  = 1 // may continue an identifier
	identStart = 2 // may also start one
)

var identChar = func() (t [256]byte) {
	for c := range t {
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', c == '_', c == '$':
			t[c] = identStart
		case '0' <= c && c <= '9':
			t[c] = identPart
		}
	}
	return t
}()

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

// nameSet collects the names of one enum (or interface) and rejects
// invalid or repeated ones.
type nameSet struct {
	what string
	seen map[string]string
}

func (c *nameSet) add(name, key string) error {
	if !isIdentifier(name) || name == "__proto__" {
		return badName(c.what, name, key)
	}
	if c.seen == nil {
		c.seen = map[string]string{}
	}
	if other, dup := c.seen[name]; dup {
		return sameName(c.what, other, key, name)
	}
	c.seen[name] = key
	return nil
}

// checkNames does what adding the n names and keys at(0), at(1), … to a
// nameSet does, for the lists that are long.
func checkNames(what string, n int, at func(i int) (name, key string)) error {
	seen := newStrSet(n, func(i int) string { name, _ := at(i); return name })
	for i := range n {
		name, key := at(i)
		if !isIdentifier(name) || name == "__proto__" {
			return badName(what, name, key)
		}
		if j := seen.add(name, i); j >= 0 {
			_, otherKey := at(j)
			return sameName(what, otherKey, key, name)
		}
	}
	return nil
}

func badName(what, name, key string) error {
	return fmt.Errorf("typescript: %s %q: %q is not a usable TypeScript identifier (set ts_name)", what, key, name)
}

func sameName(what, otherKey, key, name string) error {
	return fmt.Errorf("typescript: %s %q and %q both have the TypeScript name %q (set ts_name)", what, otherKey, key, name)
}

// indexed is a catalog list and a way to tell whether something is in it:
// by its Index, falling back to a set only for a hand-built catalog whose
// indexes are off.
type indexed[T comparable] struct {
	list  []T
	index func(T) int
	set   map[T]struct{}
}

func (m *indexed[T]) has(x T) bool {
	if i := m.index(x); i >= 0 && i < len(m.list) && m.list[i] == x {
		return true
	}
	if m.set == nil {
		m.set = make(map[T]struct{}, len(m.list))
		for _, y := range m.list {
			m.set[y] = struct{}{}
		}
	}
	_, ok := m.set[x]
	return ok
}

func newView(cat *schema.Catalog, isConst bool, out *output) (*view, error) {
	title := cat.Title
	if title == "" {
		title = cat.Name
	}
	v := &view{
		out: out,
		cat: cat,
		Catalog: catalogView{
			Key:            commentSafe(cat.Name),
			KeyLit:         jsString(cat.Name),
			TitleLit:       jsString(title),
			DescriptionLit: jsString(cat.Description),
		},
	}
	enum := func(name, doc string, n int, members func(b []byte, sep string) []byte) enumView {
		return enumView{Const: isConst, Name: name, Doc: jsDoc("", []string{doc}, ""), Len: n, out: out, members: members}
	}
	v.Permission = enum("Permission", "A permission. Each value is the permission's canonical key, the string to persist.",
		len(cat.Permissions), func(b []byte, sep string) []byte {
			for _, p := range cat.Permissions {
				b = appendMember(b, sep, p.TSName, p.Key, p.Deprecated, p.Name, p.Description)
			}
			return b
		})
	v.Group = enum("Group", "A group (a section) of permissions. Each value is the group's key.",
		len(cat.Groups), func(b []byte, sep string) []byte {
			for _, g := range cat.Groups {
				b = appendMember(b, sep, g.TSName, g.Key, "", g.Name, g.Description)
			}
			return b
		})
	v.Role = enum("Role", "A role: a named bundle of grants. Each value is the role's key.",
		len(cat.Roles), func(b []byte, sep string) []byte {
			for _, r := range cat.Roles {
				b = appendMember(b, sep, r.TSName, r.Key, "", r.Name, r.Description)
			}
			return b
		})
	v.Profile = enum("Profile", "A profile: a named set of permissions someone must hold. Each value is the profile's key.",
		len(cat.Profiles), func(b []byte, sep string) []byte {
			for _, p := range cat.Profiles {
				b = appendMember(b, sep, p.TSName, p.Key, "", p.Name, p.Description)
			}
			return b
		})
	v.Scope = enum("Scope", "Something a grant can be bound to. Each value is the scope's key.",
		len(cat.Scopes), func(b []byte, sep string) []byte {
			for _, s := range cat.Scopes {
				b = appendMember(b, sep, s.TSName, s.Key, "", s.Description)
			}
			return b
		})

	// The checks keep one order, so that a catalog with several problems
	// always gets the same error.
	if err := checkNames("permission", len(cat.Permissions), func(i int) (string, string) {
		return cat.Permissions[i].TSName, cat.Permissions[i].Key
	}); err != nil {
		return nil, err
	}
	if err := checkNames("group", len(cat.Groups), func(i int) (string, string) {
		return cat.Groups[i].TSName, cat.Groups[i].Key
	}); err != nil {
		return nil, err
	}
	perms := indexed[*schema.Permission]{list: cat.Permissions, index: func(p *schema.Permission) int { return p.Index }}
	groups := indexed[*schema.Group]{list: cat.Groups, index: func(g *schema.Group) int { return g.Index }}
	known := func(ps []*schema.Permission) error {
		for _, p := range ps {
			if !perms.has(p) {
				return fmt.Errorf("typescript: permission %q is referenced but not in the catalog", p.Key)
			}
		}
		return nil
	}

	formerly := 0
	for _, p := range cat.Permissions {
		for _, ps := range [...][]*schema.Permission{p.Implies, p.Requires, p.ImpliesClosure} {
			if err := known(ps); err != nil {
				return nil, err
			}
		}
		formerly += len(p.Formerly)
	}
	if formerly > 0 {
		// A current key always wins, then the first former claim, so
		// parsing is deterministic even for a catalog the resolver should
		// have rejected.
		n := len(cat.Permissions)
		claimed := newStrSet(n+formerly, func(i int) string {
			if i < n {
				return cat.Permissions[i].Key
			}
			return v.former[i-n].key
		})
		for i, p := range cat.Permissions {
			claimed.add(p.Key, i)
		}
		for _, p := range cat.Permissions {
			for _, f := range p.Formerly {
				if claimed.add(f, n+len(v.former)) < 0 {
					v.former = append(v.former, formerKey{key: f, p: p})
				}
			}
		}
	}

	for _, g := range cat.Groups {
		if g.Parent != nil {
			if !groups.has(g.Parent) {
				return nil, fmt.Errorf("typescript: group %q has a parent that is not in the catalog", g.Key)
			}
		}
	}

	v.condLit = make(map[*schema.Condition]string, len(cat.Conditions))
	names := nameSet{what: "condition"}
	for _, c := range cat.Conditions {
		if err := names.add(c.TSName, c.Key); err != nil {
			return nil, err
		}
		if objectMembers[c.TSName] {
			return nil, fmt.Errorf("typescript: condition %q: %q is a member of every object, so no object literal would type-check as Conditions (set ts_name)", c.Key, c.TSName)
		}
		v.condLit[c] = jsString(c.TSName)
		v.Conditions = append(v.Conditions, memberView{
			Doc:   jsDoc("  ", []string{c.Description}, ""),
			Ident: c.TSName,
		})
	}

	scopes := indexed[*schema.Scope]{list: cat.Scopes, index: func(s *schema.Scope) int { return s.Index }}
	names = nameSet{what: "role"}
	for _, r := range cat.Roles {
		if err := names.add(r.TSName, r.Key); err != nil {
			return nil, err
		}
		rv := roleView{
			Ref:            "Role." + r.TSName,
			KeyLit:         jsString(r.Key),
			NameLit:        jsString(r.Name),
			DescriptionLit: jsString(r.Description),
			role:           r,
		}
		if r.Landing != nil {
			if !groups.has(r.Landing) {
				return nil, fmt.Errorf("typescript: role %q lands on a group that is not in the catalog", r.Key)
			}
			rv.Landing = string(appendGroupRef(nil, r.Landing))
		}
		for _, g := range r.Effective {
			if !perms.has(g.Permission) {
				return nil, fmt.Errorf("typescript: role %q holds a permission that is not in the catalog", r.Key)
			}
			if !g.Always {
				for _, c := range g.When {
					if _, ok := v.condLit[c]; !ok {
						return nil, fmt.Errorf("typescript: role %q grants %q under a condition that is not in the catalog", r.Key, g.Permission.Key)
					}
				}
			}
			if err := rv.place(g, v.condLit, &scopes); err != nil {
				return nil, err
			}
		}
		rv.Scoped, rv.Mixed = len(rv.scoped) > 0, len(rv.mixed) > 0
		v.Roles = append(v.Roles, rv)
	}

	names = nameSet{what: "profile"}
	for _, p := range cat.Profiles {
		if err := names.add(p.TSName, p.Key); err != nil {
			return nil, err
		}
		if err := known(p.Requires); err != nil {
			return nil, err
		}
		v.Profiles = append(v.Profiles, profileView{
			Ref:            "Profile." + p.TSName,
			KeyLit:         jsString(p.Key),
			NameLit:        jsString(p.Name),
			DescriptionLit: jsString(p.Description),
			Requires:       p.Requires,
		})
	}

	names = nameSet{what: "scope"}
	for _, s := range cat.Scopes {
		if err := names.add(s.TSName, s.Key); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// waysOf returns the ways the role holds g: g.Ways, or for a catalog built
// without them, g's conditions (or always) each bound to g.Scope.
func waysOf(g *schema.EffectiveGrant) []schema.Way {
	if len(g.Ways) > 0 {
		return g.Ways
	}
	if g.Always {
		return []schema.Way{{Scope: g.Scope}}
	}
	ways := make([]schema.Way, len(g.When))
	for i, c := range g.When {
		ways[i] = schema.Way{When: c, Scope: g.Scope}
	}
	return ways
}

// place records where the role holds g: nowhere in particular when every
// way binds no scope (roleGrants says it all), in scoped when every way
// binds one scope, else in mixed. The ways must hold exactly when g.Always
// and g.When say, since roleGrants answers from those and roleScopes
// reuses them.
func (rv *roleView) place(g *schema.EffectiveGrant, condLit map[*schema.Condition]string, scopes *indexed[*schema.Scope]) error {
	if !g.Always && len(g.When) == 0 && len(g.Ways) == 0 {
		return nil // never held; roleGrants leaves it out
	}
	ways := waysOf(g)
	always := false
	for _, w := range ways {
		if w.Scope != nil && !scopes.has(w.Scope) {
			return fmt.Errorf("typescript: role %q binds %q to a scope that is not in the catalog", rv.role.Key, g.Permission.Key)
		}
		if w.When == nil {
			always = true
		} else if _, ok := condLit[w.When]; !ok {
			return fmt.Errorf("typescript: role %q grants %q under a condition that is not in the catalog", rv.role.Key, g.Permission.Key)
		}
	}
	agree := always == g.Always
	if agree && !always {
		// Every condition of a way is in g.When and every one of g.When
		// is the condition of a way.
		for _, w := range ways {
			agree = agree && slices.Contains(g.When, w.When)
		}
		for _, c := range g.When {
			agree = agree && slices.ContainsFunc(ways, func(w schema.Way) bool { return w.When == c })
		}
	}
	if !agree {
		return fmt.Errorf("typescript: role %q holds %q in ways that disagree with the conditions it holds it under", rv.role.Key, g.Permission.Key)
	}
	s := ways[0].Scope
	for _, w := range ways[1:] {
		if w.Scope != s {
			rv.mixed = append(rv.mixed, mixedGrant{p: g.Permission, ways: ways})
			return nil
		}
	}
	if s != nil {
		rv.scoped = append(rv.scoped, scopedGrant{p: g.Permission, scope: s})
	}
	return nil
}

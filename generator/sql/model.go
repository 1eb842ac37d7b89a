package sql

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/permcat/permcat/schema"
)

// model is the catalog flattened into the rows of each permcat table, in
// authored order, before any dialect writes them.
type model struct {
	catalog            string
	scopes             []row // key, description, position
	conditions         []row // key, description, position
	groups             []row // key, parent_key, name, description, location, note, position
	permissions        []row // key, id, group_key, name, description, note, location, scope, deprecated, position
	implies            []row // permission_key, other_key
	requires           []row // permission_key, other_key
	roles              []row // key, name, description, note, landing_group_key, position
	rolePermissions    []row // role_key, permission_key, condition_key
	profiles           []row // key, name, description, note, position
	profilePermissions []row // profile_key, permission_key
	groupRenames       []rename
	permissionRenames  []rename
	keys               []keyRef // every key written, for per-dialect length checks
}

type row []cell

// cell is one column value: text, NULL or an integer.
type cell struct {
	null  bool
	isNum bool
	s     string
	n     int64
}

func text(s string) cell { return cell{s: s} }
func num(n int64) cell   { return cell{isNum: true, n: n} }

// nullable maps "" (absent) to NULL.
func nullable(s string) cell {
	if s == "" {
		return cell{null: true}
	}
	return cell{s: s}
}

// rename moves a row from Old to New.
type rename struct{ Old, New string }

type keyRef struct{ what, key string }

// keyRE is the grammar of every key the catalog format allows. The schema
// package enforces it; checking again here keeps a hand-built catalog from
// writing keys no dialect's key columns were designed for.
var keyRE = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$`)

type builder struct {
	m   model
	err error
}

func (b *builder) fail(format string, args ...any) {
	if b.err == nil {
		b.err = fmt.Errorf("sql: "+format, args...)
	}
}

// key checks a key and records it.
func (b *builder) key(what, k string) string {
	if !keyRE.MatchString(k) {
		b.fail("%s key %q is not a valid key (dot-separated segments of a-z, 0-9 and _)", what, k)
	}
	b.m.keys = append(b.m.keys, keyRef{what, k})
	return k
}

// str checks that s can be stored by every dialect: valid UTF-8 and no NUL,
// which PostgreSQL rejects and C clients truncate at.
func (b *builder) str(what, field, s string) string {
	if !utf8.ValidString(s) {
		b.fail("%s %s is not valid UTF-8", what, field)
	} else if strings.IndexByte(s, 0) >= 0 {
		b.fail("%s %s contains a NUL character, which SQL databases cannot store in text", what, field)
	}
	return s
}

func buildModel(cat *schema.Catalog) (*model, error) {
	b := &builder{}
	if cat.Name != "" && !keyRE.MatchString(cat.Name) {
		b.fail("catalog name %q is not a valid key segment", cat.Name)
	}
	b.m.catalog = cat.Name
	for _, s := range cat.Scopes {
		what := fmt.Sprintf("scope %q", s.Key)
		b.m.scopes = append(b.m.scopes, row{
			text(b.key("scope", s.Key)), text(b.str(what, "description", s.Description)), num(int64(s.Index)),
		})
	}
	for _, c := range cat.Conditions {
		what := fmt.Sprintf("condition %q", c.Key)
		b.m.conditions = append(b.m.conditions, row{
			text(b.key("condition", c.Key)), text(b.str(what, "description", c.Description)), num(int64(c.Index)),
		})
	}
	live := map[string]bool{}
	for _, g := range cat.Groups {
		live[g.Key] = true
	}
	for _, g := range cat.Groups {
		what := fmt.Sprintf("group %q", g.Key)
		parent := cell{null: true}
		if g.Parent != nil {
			parent = text(g.Parent.Key)
		}
		b.m.groups = append(b.m.groups, row{
			text(b.key("group", g.Key)), parent,
			text(b.str(what, "name", g.Name)), text(b.str(what, "description", g.Description)),
			text(b.str(what, "location", g.Location)), text(b.str(what, "note", g.Note)),
			num(int64(g.Index)),
		})
	}
	groupFormer := formerGroupKeys(cat.Groups)
	for _, g := range cat.Groups {
		for _, old := range groupFormer[g] {
			if !live[old] {
				b.m.groupRenames = append(b.m.groupRenames, rename{b.key("former group", old), g.Key})
			}
		}
	}
	livePerm := map[string]bool{}
	for _, p := range cat.Permissions {
		livePerm[p.Key] = true
	}
	for _, p := range cat.Permissions {
		what := fmt.Sprintf("permission %q", p.Key)
		if p.Group == nil {
			b.fail("%s has no group", what)
			continue
		}
		scope := cell{null: true}
		if p.Scope != nil {
			scope = text(p.Scope.Key)
		}
		b.m.permissions = append(b.m.permissions, row{
			text(b.key("permission", p.Key)), num(int64(p.ID)), text(p.Group.Key),
			text(b.str(what, "name", p.Name)), text(b.str(what, "description", p.Description)),
			text(b.str(what, "note", p.Note)), text(b.str(what, "location", p.Location)),
			scope, nullable(b.str(what, "deprecation reason", p.Deprecated)), num(int64(p.Index)),
		})
		for _, q := range p.Implies {
			b.m.implies = append(b.m.implies, row{text(p.Key), text(q.Key)})
		}
		for _, q := range p.Requires {
			b.m.requires = append(b.m.requires, row{text(p.Key), text(q.Key)})
		}
		for _, old := range formerPermissionKeys(p, groupFormer) {
			if !livePerm[old] {
				b.m.permissionRenames = append(b.m.permissionRenames, rename{b.key("former permission", old), p.Key})
			}
		}
	}
	for _, r := range cat.Roles {
		what := fmt.Sprintf("role %q", r.Key)
		landing := cell{null: true}
		if r.Landing != nil {
			landing = text(r.Landing.Key)
		}
		b.m.roles = append(b.m.roles, row{
			text(b.key("role", r.Key)), text(b.str(what, "name", r.Name)),
			text(b.str(what, "description", r.Description)), text(b.str(what, "note", r.Note)),
			landing, num(int64(r.Index)),
		})
		for _, g := range r.Effective {
			if g.Permission == nil {
				continue
			}
			if g.Always {
				b.m.rolePermissions = append(b.m.rolePermissions, row{text(r.Key), text(g.Permission.Key), {null: true}})
				continue
			}
			for _, c := range g.When {
				b.m.rolePermissions = append(b.m.rolePermissions, row{text(r.Key), text(g.Permission.Key), text(c.Key)})
			}
		}
	}
	for _, p := range cat.Profiles {
		what := fmt.Sprintf("profile %q", p.Key)
		b.m.profiles = append(b.m.profiles, row{
			text(b.key("profile", p.Key)), text(b.str(what, "name", p.Name)),
			text(b.str(what, "description", p.Description)), text(b.str(what, "note", p.Note)),
			num(int64(p.Index)),
		})
		for _, q := range p.Requires {
			b.m.profilePermissions = append(b.m.profilePermissions, row{text(p.Key), text(q.Key)})
		}
	}
	b.m.groupRenames = orderRenames(b.m.groupRenames)
	b.m.permissionRenames = orderRenames(b.m.permissionRenames)
	if b.err != nil {
		return nil, b.err
	}
	return &b.m, nil
}

// formerGroupKeys returns, per group, every key it was known by: its own
// `formerly` and, because a group's move carries its subgroups along, each
// former key of an ancestor with the rest of the path appended.
func formerGroupKeys(groups []*schema.Group) map[*schema.Group][]string {
	out := map[*schema.Group][]string{}
	for _, g := range groups { // pre-order: a parent's list is complete first
		seen := map[string]bool{g.Key: true}
		add := func(k string) {
			if !seen[k] {
				seen[k] = true
				out[g] = append(out[g], k)
			}
		}
		for _, f := range g.Formerly {
			add(f)
		}
		if g.Parent != nil {
			rest := strings.TrimPrefix(g.Key, g.Parent.Key)
			for _, f := range out[g.Parent] {
				add(f + rest)
			}
		}
	}
	return out
}

// formerPermissionKeys returns the permission's own former keys plus the
// keys it had under each former key of its group (the model usually lists
// those already; the union costs nothing).
func formerPermissionKeys(p *schema.Permission, groupFormer map[*schema.Group][]string) []string {
	seen := map[string]bool{p.Key: true}
	var out []string
	add := func(k string) {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	for _, f := range p.Formerly {
		add(f)
	}
	if p.Group != nil {
		rest := strings.TrimPrefix(p.Key, p.Group.Key)
		for _, f := range groupFormer[p.Group] {
			add(f + rest)
		}
	}
	return out
}

// orderRenames puts a rename whose target another rename vacates after
// that one (b→c before a→b), so chains of moves land in one run. Each
// rename only happens when its target is free, so a cycle (a swap) leaves
// both rows where they are instead of failing; the upsert then corrects
// their content.
func orderRenames(rs []rename) []rename {
	byOld := map[string][]int{}
	for i, r := range rs {
		byOld[r.Old] = append(byOld[r.Old], i)
	}
	state := make([]uint8, len(rs)) // 0 new, 1 in progress, 2 placed
	out := make([]rename, 0, len(rs))
	var place func(i int)
	place = func(i int) {
		if state[i] != 0 {
			return // placed, or a cycle back to a rename in progress
		}
		state[i] = 1
		for _, j := range byOld[rs[i].New] {
			place(j)
		}
		state[i] = 2
		out = append(out, rs[i])
	}
	for i := range rs {
		place(i)
	}
	return out
}

// sqlCell writes a cell in dialect d.
func (d *dialect) sqlCell(c cell) string {
	switch {
	case c.null:
		return "NULL"
	case c.isNum:
		return strconv.FormatInt(c.n, 10)
	default:
		return d.literal(c.s)
	}
}

func (d *dialect) tuple(r row) string {
	parts := make([]string, len(r))
	for i, c := range r {
		parts[i] = d.sqlCell(c)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

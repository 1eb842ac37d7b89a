package sql

import (
	"fmt"
	"strings"

	"github.com/permcat/permcat/generator"
)

// rowsPerInsert bounds each staging INSERT so no statement outgrows a
// server's packet or a client's buffer, whatever the catalog's size.
const rowsPerInsert = 100

// tableNames names each permcat table.
type tableNames struct {
	Scopes, Conditions, Groups, Permissions, Implies, Requires,
	Roles, RolePermissions, Profiles, ProfilePermissions string
}

// tableRows holds each table's rows as rendered tuples, in INSERT-sized
// chunks.
type tableRows struct {
	Scopes, Conditions, Groups, Permissions, Implies, Requires,
	Roles, RolePermissions, Profiles, ProfilePermissions [][]string
}

// templateData is what the templates of one dialect see. Everything in it
// is already valid SQL text for that dialect: names quoted where needed,
// values written as literals.
type templateData struct {
	Header  string // the generated-file marker, without the comment leader
	Catalog string // catalog name (a key segment), for comments
	T       tableNames
	S       tableNames // staging tables, as statements refer to them
	SN      tableNames // staging tables' bare names, for CREATE and DROP
	Rows    tableRows
	// GroupRenames and PermissionRenames hold literals, in the order the
	// renames must run.
	GroupRenames      []rename
	PermissionRenames []rename
	// RenamedGroups lists the literals of every former group key, joined
	// by ", ".
	RenamedGroups string

	d      *dialect
	prefix string
}

// Ix names an index (or other schema object) after the prefix.
func (t *templateData) Ix(suffix string) string { return t.d.ident(t.prefix + suffix) }

func newTemplateData(d *dialect, m *model, prefix string) (*templateData, error) {
	if d.maxKeyLen > 0 {
		for _, k := range m.keys {
			if len(k.key) > d.maxKeyLen {
				return nil, fmt.Errorf("sql: %s key %q is %d characters long; %s key columns hold at most %d",
					k.what, k.key, len(k.key), d.name, d.maxKeyLen)
			}
		}
	}
	names := func(f func(string) string) tableNames {
		return tableNames{
			Scopes: f("scopes"), Conditions: f("conditions"), Groups: f("groups"),
			Permissions: f("permissions"), Implies: f("permission_implies"),
			Requires: f("permission_requires"), Roles: f("roles"),
			RolePermissions: f("role_permissions"), Profiles: f("profiles"),
			ProfilePermissions: f("profile_permissions"),
		}
	}
	t := &templateData{
		Header:  generator.Header,
		Catalog: m.catalog,
		T:       names(func(s string) string { return d.ident(prefix + s) }),
		S:       names(func(s string) string { return d.staging(d.ident(prefix + "seed_" + s)) }),
		SN:      names(func(s string) string { return d.ident(prefix + "seed_" + s) }),
		d:       d,
		prefix:  prefix,
	}
	chunks := func(rows []row) [][]string {
		var out [][]string
		for len(rows) > 0 {
			n := min(len(rows), rowsPerInsert)
			c := make([]string, n)
			for i, r := range rows[:n] {
				c[i] = d.tuple(r)
			}
			out = append(out, c)
			rows = rows[n:]
		}
		return out
	}
	t.Rows = tableRows{
		Scopes: chunks(m.scopes), Conditions: chunks(m.conditions), Groups: chunks(m.groups),
		Permissions: chunks(m.permissions), Implies: chunks(m.implies), Requires: chunks(m.requires),
		Roles: chunks(m.roles), RolePermissions: chunks(m.rolePermissions),
		Profiles: chunks(m.profiles), ProfilePermissions: chunks(m.profilePermissions),
	}
	lit := func(rs []rename) []rename {
		out := make([]rename, len(rs))
		for i, r := range rs {
			out[i] = rename{Old: d.literal(r.Old), New: d.literal(r.New)}
		}
		return out
	}
	t.GroupRenames = lit(m.groupRenames)
	t.PermissionRenames = lit(m.permissionRenames)
	var olds []string
	for _, r := range t.GroupRenames {
		olds = append(olds, r.Old)
	}
	t.RenamedGroups = strings.Join(olds, ", ")
	return t, nil
}

package sql

import (
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/permcat/permcat/schema"
)

// permcatTables lists every table the seed owns with the columns a test
// reads back.
var permcatTables = []struct {
	name string
	cols []string
}{
	{"scopes", []string{"key", "description", "position"}},
	{"conditions", []string{"key", "description", "position"}},
	{"groups", []string{"key", "parent_key", "name", "description", "location", "note", "position"}},
	{"permissions", []string{"key", "id", "group_key", "name", "description", "note", "location", "scope", "deprecated", "position"}},
	{"permission_implies", []string{"permission_key", "other_key"}},
	{"permission_requires", []string{"permission_key", "other_key"}},
	{"roles", []string{"key", "name", "description", "note", "landing_group_key", "position"}},
	{"role_permissions", []string{"role_key", "permission_key", "condition_key", "scope_key"}},
	{"profiles", []string{"key", "name", "description", "note", "position"}},
	{"profile_permissions", []string{"profile_key", "permission_key"}},
}

// want is what the permcat tables must hold for cat, worked out from the
// resolved model directly (not from the generator's own rows).
func want(cat *schema.Catalog) map[string][]string {
	out := map[string][]string{}
	add := func(table string, vals ...any) {
		cells := make([]*string, len(vals))
		for i, v := range vals {
			var s string
			switch v := v.(type) {
			case nil:
				continue
			case string:
				s = v
			case int:
				s = strconv.Itoa(v)
			case uint32:
				s = strconv.FormatUint(uint64(v), 10)
			}
			cells[i] = &s
		}
		out[table] = append(out[table], encodeRow(cells))
	}
	orNil := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	for _, s := range cat.Scopes {
		add("scopes", s.Key, s.Description, s.Index)
	}
	for _, c := range cat.Conditions {
		add("conditions", c.Key, c.Description, c.Index)
	}
	for _, g := range cat.Groups {
		var parent any
		if g.Parent != nil {
			parent = g.Parent.Key
		}
		add("groups", g.Key, parent, g.Name, g.Description, g.Location, g.Note, g.Index)
	}
	for _, p := range cat.Permissions {
		var scope any
		if p.Scope != nil {
			scope = p.Scope.Key
		}
		add("permissions", p.Key, p.ID, p.Group.Key, p.Name, p.Description, p.Note, p.Location, scope, orNil(p.Deprecated), p.Index)
		for _, q := range p.Implies {
			add("permission_implies", p.Key, q.Key)
		}
		for _, q := range p.Requires {
			add("permission_requires", p.Key, q.Key)
		}
	}
	for _, r := range cat.Roles {
		var landing any
		if r.Landing != nil {
			landing = r.Landing.Key
		}
		add("roles", r.Key, r.Name, r.Description, r.Note, landing, r.Index)
		for _, g := range r.Effective {
			// One row per way: while When is true (NULL: always),
			// bound to Scope (NULL: everywhere).
			for _, w := range g.Ways {
				var cond, scope any
				if w.When != nil {
					cond = w.When.Key
				}
				if w.Scope != nil {
					scope = w.Scope.Key
				}
				add("role_permissions", r.Key, g.Permission.Key, cond, scope)
			}
		}
	}
	for _, p := range cat.Profiles {
		add("profiles", p.Key, p.Name, p.Description, p.Note, p.Index)
		for _, q := range p.Requires {
			add("profile_permissions", p.Key, q.Key)
		}
	}
	for _, rows := range out {
		sort.Strings(rows)
	}
	return out
}

// checkContents fails unless every permcat table holds exactly what cat
// says, byte for byte.
func checkContents(t *testing.T, db testDB, prefix string, cat *schema.Catalog) {
	t.Helper()
	exp := want(cat)
	for _, tb := range permcatTables {
		got, err := db.table(prefix+tb.name, tb.cols)
		if err != nil {
			t.Fatalf("%s: reading %s%s: %v", db.dialect(), prefix, tb.name, err)
		}
		if missing, extra := diffRows(exp[tb.name], got); len(missing)+len(extra) > 0 {
			t.Errorf("%s: %s%s differs from the catalog\n  missing: %s\n  unexpected: %s",
				db.dialect(), prefix, tb.name, showRows(missing), showRows(extra))
		}
	}
}

func diffRows(want, got []string) (missing, extra []string) {
	count := map[string]int{}
	for _, r := range got {
		count[r]++
	}
	for _, r := range want {
		if count[r] > 0 {
			count[r]--
		} else {
			missing = append(missing, r)
		}
	}
	for _, r := range got {
		if count[r] > 0 {
			count[r]--
			extra = append(extra, r)
		}
	}
	return missing, extra
}

func showRows(rows []string) string {
	if len(rows) == 0 {
		return "none"
	}
	var b strings.Builder
	for i, r := range rows {
		if i == 8 {
			b.WriteString("\n    … " + strconv.Itoa(len(rows)-i) + " more")
			break
		}
		var cells []string
		for _, c := range strings.Split(r, "\x00") {
			if c == "N" {
				cells = append(cells, "NULL")
			} else {
				cells = append(cells, strconv.Quote(c[1:]))
			}
		}
		b.WriteString("\n    (" + strings.Join(cells, ", ") + ")")
	}
	return b.String()
}

package sql

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/permcat/permcat/schema"
)

// model is the catalog flattened into the rows of each permcat table, in
// authored order, rendered once for all dialects.
type model struct {
	catalog           string
	rows              tableRows
	groupRenames      []rename
	permissionRenames []rename
	// longKeys are the keys, in the order written, longer than some
	// dialect's key columns hold (checked per dialect).
	longKeys []keyRef
}

// tableRows holds each table's rows. Columns, in order:
//
//	Scopes, Conditions: key, description, position
//	Groups: key, parent_key, name, description, location, note, position
//	Permissions: key, id, group_key, name, description, note, location, scope, deprecated, position
//	Implies, Requires: permission_key, other_key
//	Roles: key, name, description, note, landing_group_key, position
//	RolePermissions: role_key, permission_key, condition_key, scope_key (one row per way)
//	Profiles: key, name, description, note, position
//	ProfilePermissions: profile_key, permission_key
type tableRows struct {
	Scopes, Conditions, Groups, Permissions, Implies, Requires,
	Roles, RolePermissions, Profiles, ProfilePermissions *rowSet
}

func (t *tableRows) all() []*rowSet {
	return []*rowSet{t.Scopes, t.Conditions, t.Groups, t.Permissions, t.Implies, t.Requires,
		t.Roles, t.RolePermissions, t.Profiles, t.ProfilePermissions}
}

// rowSet is one table's rows in INSERT-sized chunks, already written as
// SQL. Nearly every value reads the same in all three dialects, so a chunk
// is rendered once and the dialects share its text; a chunk holding a
// value that needs a dialect's own escapes is rendered for each dialect.
type rowSet struct {
	chunks []rowChunk
	// pending holds the cells of the rows not yet in a chunk, width per row.
	pending []cell
	width   int
}

type rowChunk struct {
	// text is the chunk's tuples, one per line, separated by ",\n", as
	// every dialect writes them; nil when byDialect holds the text instead.
	text      []byte
	byDialect map[*dialect][]byte
}

// rows returns the chunk's text for dialect d.
func (c *rowChunk) rows(d *dialect) []byte {
	if c.text != nil {
		return c.text
	}
	return c.byDialect[d]
}

// add appends a row; a full chunk is rendered at once so that only one
// chunk's cells are ever held.
func (rs *rowSet) add(scratch *[]byte, cells ...cell) {
	rs.width = len(cells)
	rs.pending = append(rs.pending, cells...)
	if len(rs.pending) == rowsPerInsert*rs.width {
		rs.flush(scratch)
	}
}

// flush renders the pending rows as a chunk. scratch is reused between
// chunks; each chunk keeps an exactly sized copy.
func (rs *rowSet) flush(scratch *[]byte) {
	if len(rs.pending) == 0 {
		return
	}
	b, common := (*scratch)[:0], true
	for i := 0; i < len(rs.pending) && common; i += rs.width {
		if i > 0 {
			b = append(b, ",\n"...)
		}
		b, common = appendTuple(b, nil, rs.pending[i:i+rs.width])
	}
	var c rowChunk
	if common {
		c.text = bytes.Clone(b)
	} else {
		c.byDialect = make(map[*dialect][]byte, len(allDialects))
		for _, d := range allDialects {
			b = b[:0]
			for i := 0; i < len(rs.pending); i += rs.width {
				if i > 0 {
					b = append(b, ",\n"...)
				}
				b, _ = appendTuple(b, d, rs.pending[i:i+rs.width])
			}
			c.byDialect[d] = bytes.Clone(b)
		}
	}
	*scratch = b
	rs.chunks = append(rs.chunks, c)
	rs.pending = rs.pending[:0]
}

// cell is one column value: text, NULL or an integer. class holds the
// byteClass bits of text, found once for checking and for quoting.
type cell struct {
	null  bool
	isNum bool
	class byte
	s     string
	n     int64
}

// text is a value checked elsewhere, such as a reference to another row's
// key.
func text(s string) cell { return cell{s: s, class: classify(s)} }
func num(n int64) cell   { return cell{isNum: true, n: n} }

var null = cell{null: true}

// classify ORs the byteClass bits of s's bytes.
func classify(s string) byte {
	var class byte
	for i := 0; i < len(s); i++ {
		class |= byteClass[s[i]]
	}
	return class
}

// rename moves a row from Old to New.
type rename struct{ Old, New string }

type keyRef struct{ what, key string }

// validKey reports whether k follows the grammar of every key the catalog
// format allows, ^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$. The schema package
// enforces it; checking again here keeps a hand-built catalog from writing
// keys no dialect's key columns were designed for.
func validKey(k string) bool {
	if k == "" || !isLower(k[0]) {
		return false
	}
	var bad byte
	for i := 0; i < len(k); i++ {
		bad |= keyByte[k[i]]
	}
	if bad != 0 {
		return false
	}
	// Every segment starts with a letter: no empty segment, none starting
	// with a digit or underscore.
	for i := strings.IndexByte(k, '.'); i >= 0; {
		if i+1 == len(k) || !isLower(k[i+1]) {
			return false
		}
		j := strings.IndexByte(k[i+1:], '.')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return true
}

func isLower(c byte) bool { return 'a' <= c && c <= 'z' }

// keyByte is 1 for the bytes no key holds.
var keyByte = func() (t [256]byte) {
	for c := range t {
		if !isLower(byte(c)) && !('0' <= c && c <= '9') && c != '_' && c != '.' {
			t[c] = 1
		}
	}
	return t
}()

// longKeyLen is the shortest limit any dialect puts on keys: only keys
// longer than that need remembering for the per-dialect check.
var longKeyLen = func() int {
	n := 0
	for _, d := range allDialects {
		if d.maxKeyLen > 0 && (n == 0 || d.maxKeyLen < n) {
			n = d.maxKeyLen
		}
	}
	return n
}()

type builder struct {
	m       model
	err     error
	scratch []byte
}

func (b *builder) fail(format string, args ...any) {
	if b.err == nil {
		b.err = fmt.Errorf("sql: "+format, args...)
	}
}

// key checks a key and records it.
func (b *builder) key(what, k string) string {
	if !validKey(k) {
		b.fail("%s key %q is not a valid key (dot-separated segments of a-z, 0-9 and _)", what, k)
	}
	if longKeyLen > 0 && len(k) > longKeyLen {
		b.m.longKeys = append(b.m.longKeys, keyRef{what, k})
	}
	return k
}

// keyCell checks a row's own key and makes its cell. A valid key needs no
// quoting; an invalid one fails the build, so its cell is never written.
func (b *builder) keyCell(what, k string) cell {
	b.key(what, k)
	return cell{s: k}
}

// text checks that field of the kind named key can be stored by every
// dialect, valid UTF-8 and no NUL, which PostgreSQL rejects and C clients
// truncate at, and makes its cell. kind and key only make the error
// message, so they are formatted only when there is one.
func (b *builder) text(kind, key, field, s string) cell {
	class := classify(s)
	if class&nonASCII != 0 && !utf8.ValidString(s) {
		b.fail("%s %q %s is not valid UTF-8", kind, key, field)
	} else if class&escaped != 0 && strings.IndexByte(s, 0) >= 0 {
		b.fail("%s %q %s contains a NUL character, which SQL databases cannot store in text", kind, key, field)
	}
	return cell{s: s, class: class}
}

// nullable is text that is NULL when empty (absent).
func (b *builder) nullable(kind, key, field, s string) cell {
	if s == "" {
		return null
	}
	return b.text(kind, key, field, s)
}

func (b *builder) row(rs *rowSet, cells ...cell) { rs.add(&b.scratch, cells...) }

func buildModel(cat *schema.Catalog) (*model, error) {
	b := &builder{}
	if cat.Name != "" && !validKey(cat.Name) {
		b.fail("catalog name %q is not a valid key segment", cat.Name)
	}
	b.m.catalog = cat.Name
	t := &b.m.rows
	for _, rs := range []**rowSet{&t.Scopes, &t.Conditions, &t.Groups, &t.Permissions, &t.Implies, &t.Requires,
		&t.Roles, &t.RolePermissions, &t.Profiles, &t.ProfilePermissions} {
		*rs = &rowSet{}
	}
	for _, s := range cat.Scopes {
		b.row(t.Scopes, b.keyCell("scope", s.Key), b.text("scope", s.Key, "description", s.Description), num(int64(s.Index)))
	}
	for _, c := range cat.Conditions {
		b.row(t.Conditions, b.keyCell("condition", c.Key), b.text("condition", c.Key, "description", c.Description), num(int64(c.Index)))
	}
	for _, g := range cat.Groups {
		parent := null
		if g.Parent != nil {
			parent = text(g.Parent.Key)
		}
		b.row(t.Groups,
			b.keyCell("group", g.Key), parent,
			b.text("group", g.Key, "name", g.Name), b.text("group", g.Key, "description", g.Description),
			b.text("group", g.Key, "location", g.Location), b.text("group", g.Key, "note", g.Note),
			num(int64(g.Index)),
		)
	}
	// The model lists every key a group or permission was known by,
	// those that moved with a group's `formerly` included.
	var liveGroup map[string]bool // built at the first former key
	for _, g := range cat.Groups {
		if len(g.Formerly) > 0 && liveGroup == nil {
			liveGroup = make(map[string]bool, len(cat.Groups))
			for _, g := range cat.Groups {
				liveGroup[g.Key] = true
			}
		}
		for _, old := range g.Formerly {
			if !liveGroup[old] {
				b.m.groupRenames = append(b.m.groupRenames, rename{b.key("former group", old), g.Key})
			}
		}
	}
	var livePerm map[string]bool // built at the first former key
	for _, p := range cat.Permissions {
		if p.Group == nil {
			b.fail("permission %q has no group", p.Key)
			continue
		}
		scope := null
		if p.Scope != nil {
			scope = text(p.Scope.Key)
		}
		b.row(t.Permissions,
			b.keyCell("permission", p.Key), num(int64(p.ID)), text(p.Group.Key),
			b.text("permission", p.Key, "name", p.Name), b.text("permission", p.Key, "description", p.Description),
			b.text("permission", p.Key, "note", p.Note), b.text("permission", p.Key, "location", p.Location),
			scope, b.nullable("permission", p.Key, "deprecation reason", p.Deprecated), num(int64(p.Index)),
		)
		for _, q := range p.Implies {
			b.row(t.Implies, text(p.Key), text(q.Key))
		}
		for _, q := range p.Requires {
			b.row(t.Requires, text(p.Key), text(q.Key))
		}
		for _, old := range p.Formerly {
			if livePerm == nil {
				livePerm = make(map[string]bool, len(cat.Permissions))
				for _, p := range cat.Permissions {
					livePerm[p.Key] = true
				}
			}
			if !livePerm[old] {
				b.m.permissionRenames = append(b.m.permissionRenames, rename{b.key("former permission", old), p.Key})
			}
		}
	}
	for _, r := range cat.Roles {
		landing := null
		if r.Landing != nil {
			landing = text(r.Landing.Key)
		}
		b.row(t.Roles,
			b.keyCell("role", r.Key), b.text("role", r.Key, "name", r.Name),
			b.text("role", r.Key, "description", r.Description), b.text("role", r.Key, "note", r.Note),
			landing, num(int64(r.Index)),
		)
		for _, g := range r.Effective {
			if g.Permission == nil {
				continue
			}
			// One row per way. A grant without ways would silently lose
			// the permission (or, rebuilt from Always and When, its scope).
			if len(g.Ways) == 0 {
				b.fail("role %q holds permission %q in no way: its effective grant lists no Ways", r.Key, g.Permission.Key)
				continue
			}
			for _, w := range g.Ways {
				cond, scope := null, null
				if w.When != nil {
					cond = text(w.When.Key)
				}
				if w.Scope != nil {
					scope = text(w.Scope.Key)
				}
				b.row(t.RolePermissions, text(r.Key), text(g.Permission.Key), cond, scope)
			}
		}
	}
	for _, p := range cat.Profiles {
		b.row(t.Profiles,
			b.keyCell("profile", p.Key), b.text("profile", p.Key, "name", p.Name),
			b.text("profile", p.Key, "description", p.Description), b.text("profile", p.Key, "note", p.Note),
			num(int64(p.Index)),
		)
		for _, q := range p.Requires {
			b.row(t.ProfilePermissions, text(p.Key), text(q.Key))
		}
	}
	for _, rs := range t.all() {
		rs.flush(&b.scratch)
		rs.pending = nil
	}
	b.m.groupRenames = orderRenames(b.m.groupRenames)
	b.m.permissionRenames = orderRenames(b.m.permissionRenames)
	if b.err != nil {
		return nil, b.err
	}
	return &b.m, nil
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

// appendTuple appends the row as (v1, v2, …) in dialect d. With d nil it
// writes the form every dialect reads alike and reports false, with b
// holding garbage, if some value needs a dialect's own escapes.
func appendTuple(b []byte, d *dialect, r []cell) ([]byte, bool) {
	b = append(b, '(')
	for i, c := range r {
		if i > 0 {
			b = append(b, ", "...)
		}
		switch {
		case c.null:
			b = append(b, "NULL"...)
		case c.isNum:
			b = strconv.AppendInt(b, c.n, 10)
		case d != nil:
			b = d.appendLiteral(b, c.s)
		case c.class&escaped != 0:
			return b, false
		default:
			b = appendQuoted(b, c.s, c.class)
		}
	}
	return append(b, ')'), true
}

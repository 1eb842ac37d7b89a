package sql

import (
	"bytes"
	"fmt"
	"strings"
	"text/template"

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

// templateData is what the templates of one dialect see. Its strings are
// already valid SQL text for that dialect: names quoted where needed,
// values written as literals. The rows and renames, nearly all of a large
// seed, are written by Insert and Renames instead.
type templateData struct {
	Header  string // the generated-file marker, without the comment leader
	Catalog string // catalog name (a key segment), for comments
	T       tableNames
	S       tableNames // staging tables, as statements refer to them
	SN      tableNames // staging tables' bare names, for CREATE and DROP
	Rows    tableRows
	// GroupRenames and PermissionRenames hold the renames, in the order
	// they must run, for Renames to write.
	GroupRenames      []rename
	PermissionRenames []rename
	// RenamedGroups lists the literals of every former group key, joined
	// by ", ".
	RenamedGroups string

	d      *dialect
	prefix string
	tmpl   *template.Template
	// w is the file being rendered, which Insert and Renames write to.
	w      *output
	stamps map[string]*stamp // rename statements per table
}

// Ix names an index (or other schema object) after the prefix.
func (t *templateData) Ix(suffix string) string { return t.d.ident(t.prefix + suffix) }

// render executes the template name and tidies the result. seed makes
// room for what Insert and Renames add.
func (t *templateData) render(name string, seed bool) ([]byte, error) {
	size := 2*templateSize[name] + 16<<10
	if seed {
		n, err := t.textLen()
		if err != nil {
			return nil, err
		}
		size += n
	}
	t.w = &output{buf: make([]byte, 0, size)}
	if err := t.tmpl.ExecuteTemplate(t.w, name, t); err != nil {
		return nil, fmt.Errorf("sql: rendering %s: %w", name, err)
	}
	return tidy(t.w.bytes()), nil
}

// Insert writes rows into the staging table as INSERT INTO table VALUES
// statements of at most rowsPerInsert rows, one row per line, each
// statement on lines of its own after a line break.
//
// The rows are nearly all of a seed, so Insert hands their text, shared by
// all dialects, straight to the file and returns nothing: text returned to
// the template would be copied through fmt twice more.
func (t *templateData) Insert(table string, rows *rowSet) string {
	for i := range rows.chunks {
		t.w.WriteString("\nINSERT INTO ")
		t.w.WriteString(table)
		t.w.WriteString(" VALUES\n")
		t.w.share(rows.chunks[i].rows(t.d))
		t.w.WriteString(";")
	}
	return ""
}

// Renames writes the dialect's "<dialect>_rename" template once per
// rename of a row of table, straight into the file like Insert. A catalog
// whose groups moved has a rename per permission underneath, so the
// template is executed once, with markers for the keys, and stamped.
func (t *templateData) Renames(table string, renames []rename) (string, error) {
	if len(renames) == 0 {
		return "", nil
	}
	st, err := t.stamp(table)
	if err != nil {
		return "", err
	}
	for _, r := range renames {
		t.w.buf = st.append(t.w.buf, t.d, r)
	}
	return "", nil
}

// stamp is a template's output split at the markers that stood in for
// the old and the new key: text[0], key, text[1], key, … text[n].
type stamp struct {
	text []string
	old  []bool // per key: the old one, else the new one
}

// The markers are of one length; no SQL text holds a NUL.
const oldMarker, newMarker = "\x00old\x00", "\x00new\x00"

func (t *templateData) stamp(table string) (*stamp, error) {
	if st := t.stamps[table]; st != nil {
		return st, nil
	}
	var buf bytes.Buffer
	name := t.d.name + "_rename"
	if err := t.tmpl.ExecuteTemplate(&buf, name, struct{ Table, Old, New string }{table, oldMarker, newMarker}); err != nil {
		return nil, fmt.Errorf("sql: rendering %s: %w", name, err)
	}
	st, rest := &stamp{}, buf.String()
	for {
		i := strings.IndexByte(rest, 0)
		if i < 0 {
			break
		}
		st.text = append(st.text, rest[:i])
		isOld := strings.HasPrefix(rest[i:], oldMarker)
		if !isOld && !strings.HasPrefix(rest[i:], newMarker) {
			return nil, fmt.Errorf("sql: rendering %s: stray NUL", name)
		}
		st.old = append(st.old, isOld)
		rest = rest[i+len(oldMarker):]
	}
	st.text = append(st.text, rest)
	t.stamps[table] = st
	return st, nil
}

func (st *stamp) append(b []byte, d *dialect, r rename) []byte {
	for i, s := range st.text {
		b = append(b, s...)
		switch {
		case i == len(st.old):
		case st.old[i]:
			b = d.appendLiteral(b, r.Old)
		default:
			b = d.appendLiteral(b, r.New)
		}
	}
	return b
}

// textLen is what the seed holds besides the template's own text and the
// rows' shared chunks: the renames, exactly as keys need no escapes, and
// the INSERT statements around the chunks. It sizes the buffer once.
func (t *templateData) textLen() (int, error) {
	n := len(t.RenamedGroups)
	staging := []string{t.S.Scopes, t.S.Conditions, t.S.Groups, t.S.Permissions, t.S.Implies,
		t.S.Requires, t.S.Roles, t.S.RolePermissions, t.S.Profiles, t.S.ProfilePermissions}
	for i, rs := range t.Rows.all() {
		n += len(rs.chunks) * (len("\nINSERT INTO  VALUES\n;") + len(staging[i]))
	}
	for _, r := range []struct {
		table   string
		renames []rename
	}{{t.T.Groups, t.GroupRenames}, {t.T.Permissions, t.PermissionRenames}} {
		if len(r.renames) == 0 {
			continue
		}
		st, err := t.stamp(r.table)
		if err != nil {
			return 0, err
		}
		per := 0
		for _, s := range st.text {
			per += len(s)
		}
		for _, x := range r.renames {
			n += per
			for _, old := range st.old {
				if old {
					n += len(x.Old) + 2
				} else {
					n += len(x.New) + 2
				}
			}
		}
	}
	return n, nil
}

// output collects a file as the template writes it: its own text in buf,
// the rows' chunks by reference. bytes joins it into one exactly sized,
// unzeroed slice, so each byte of a large seed is copied once.
type output struct {
	pieces [][]byte
	buf    []byte
	start  int // where in buf the text since the last piece begins
}

func (o *output) Write(p []byte) (int, error) {
	o.buf = append(o.buf, p...)
	return len(p), nil
}

func (o *output) WriteString(s string) {
	o.buf = append(o.buf, s...)
}

// share adds p to the file without copying it; p must not change.
func (o *output) share(p []byte) {
	o.cut()
	o.pieces = append(o.pieces, p)
}

func (o *output) cut() {
	if len(o.buf) > o.start {
		o.pieces = append(o.pieces, o.buf[o.start:])
		o.start = len(o.buf)
	}
}

func (o *output) bytes() []byte {
	o.cut()
	return bytes.Join(o.pieces, nil)
}

func newTemplateData(d *dialect, m *model, prefix string, tmpl *template.Template) (*templateData, error) {
	if d.maxKeyLen > 0 {
		for _, k := range m.longKeys {
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
		Header:            generator.Header,
		Catalog:           m.catalog,
		T:                 names(func(s string) string { return d.ident(prefix + s) }),
		S:                 names(func(s string) string { return d.staging(d.ident(prefix + "seed_" + s)) }),
		SN:                names(func(s string) string { return d.ident(prefix + "seed_" + s) }),
		Rows:              m.rows,
		GroupRenames:      m.groupRenames,
		PermissionRenames: m.permissionRenames,
		d:                 d,
		prefix:            prefix,
		tmpl:              tmpl,
		stamps:            map[string]*stamp{},
	}
	var olds []byte
	for i, r := range m.groupRenames {
		if i > 0 {
			olds = append(olds, ", "...)
		}
		olds = d.appendLiteral(olds, r.Old)
	}
	t.RenamedGroups = string(olds)
	return t, nil
}

// Package docs renders a catalog as Markdown for people: permissions.md, a
// reference of every group and permission in authored order with stable
// per-key anchors, and roles.md, the role matrix with its footnotes, each
// role's landing section, the conditions and the requirement profiles.
//
// The output is GitHub-flavoured Markdown that also renders in the common
// static-site generators: plain GFM tables, no renderer-specific footnote
// syntax, and explicit `<a id>` anchors (`perm-<key>`, `group-<key>`,
// `role-<key>`, `profile-<key>`, `cond-<key>`, `scope-<key>`, `note-<n>`)
// so links do not depend on any renderer's heading slugs. Every catalog
// string is escaped, whatever it holds.
//
// Matrix marks: `X` means the role holds the permission, `X*` that it holds
// it only when a condition is on. A superscript number points to a
// numbered note under the matrix; notes are numbered in order of first use
// reading the matrix row by row, one number per distinct condition, note
// or scope.
package docs

import (
	"bytes"
	"fmt"
	"strconv"
	"text/template"

	"github.com/permcat/permcat/generator"
	"github.com/permcat/permcat/schema"
	"github.com/permcat/permcat/templates"
)

// Options tune the docs target. There are none yet; the type keeps the
// signature stable when some are added.
type Options struct{}

// Generate renders permissions.md and roles.md for the catalog.
func Generate(cat *schema.Catalog, opts Options) ([]generator.File, error) {
	if cat == nil {
		return nil, fmt.Errorf("docs: no catalog")
	}
	r := newRenderer(cat)
	tmpl, err := template.New("docs").Funcs(funcs).Funcs(r.funcs()).ParseFS(templates.Docs, "docs/*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("docs: %w", err)
	}
	reference, roles := r.permissionsPage(), r.rolesPage()
	pages := []struct {
		path, tmpl string
		data       any
		size       int
	}{
		{"permissions.md", "permissions.md.tmpl", reference, r.permissionsSize(reference)},
		{"roles.md", "roles.md.tmpl", roles, r.rolesSize(roles)},
	}
	var files []generator.File
	for _, p := range pages {
		r.w = &page{make([]byte, 0, p.size)}
		if err := tmpl.ExecuteTemplate(r.w, p.tmpl, p.data); err != nil {
			return nil, fmt.Errorf("docs: rendering %s: %w", p.path, err)
		}
		files = append(files, generator.File{Path: p.path, Content: tidy(r.w.b)})
	}
	return files, nil
}

var funcs = template.FuncMap{
	"anchor":    anchor,
	"row":       row,
	"tableHead": tableHead,
	"list":      func(s ...string) []string { return s },
	"inc":       func(i int) int { return i + 1 },
}

// renderer is what one Generate call works out once and shares between
// the two pages. It belongs to that call alone, so concurrent calls on the
// same catalog share nothing they write.
type renderer struct {
	cat   *schema.Catalog
	names *names
	held  []holdings // by position in cat.Roles
	notes *footnotes
	cols  columns
	// tableHead is the header of every group's table in permissions.md.
	tableHead string
	w         *page // the page being executed
}

func newRenderer(cat *schema.Catalog) *renderer {
	r := &renderer{cat: cat, names: permissionNames(cat), notes: newFootnotes()}
	r.held = make([]holdings, len(cat.Roles))
	for i, role := range cat.Roles {
		r.held[i] = newHoldings(role)
	}
	return r
}

// funcs are the template functions that write what there is one of per
// group, permission, grant or former key straight into the page being
// executed; they print nothing themselves. Through text/template, with its
// reflection per field and row and every value printed through fmt, those
// parts cost several times what the rest of the docs do. The templates
// still decide where each part goes and what surrounds it.
func (r *renderer) funcs() template.FuncMap {
	return template.FuncMap{
		"groupContents": r.groupContents,
		"groupSections": r.groupSections,
		"renameRows":    r.renameRows,
		"matrixRows":    r.matrixRows,
		"profileRows":   r.profileRows,
	}
}

// tidy keeps the templates readable: they may leave extra blank lines,
// which mean nothing in Markdown outside code blocks (the docs have none).
// It collapses them in place, so the page is not copied.
func tidy(b []byte) []byte {
	run := []byte("\n\n\n")
	if i := bytes.Index(b, run); i >= 0 {
		n := i // b[:n] is final
		for i >= 0 {
			// b[i:] starts with three or more newlines: keep two.
			j := i + len(run)
			for j < len(b) && b[j] == '\n' {
				j++
			}
			n += copy(b[n:], "\n\n")
			end := len(b)
			if i = bytes.Index(b[j:], run); i >= 0 {
				i += j
				end = i
			}
			n += copy(b[n:], b[j:end])
		}
		b = b[:n]
	}
	return append(bytes.TrimRight(b, "\n"), '\n')
}

// tocEntry is one line of a table of contents.
type tocEntry struct {
	Indent string
	Text   string
	Anchor string
}

// depth counts a group's ancestors.
func depth(g *schema.Group) int {
	d := 0
	for p := g.Parent; p != nil && d < 64; p = p.Parent {
		d++
	}
	return d
}

// groupPath names a group with its ancestors ("Integrations › Metrc"),
// escaped.
func groupPath(g *schema.Group) string {
	var w page
	writeGroupPath(&w, g)
	return string(w.b)
}

func writeGroupPath(w *page, g *schema.Group) {
	var stack [16]*schema.Group
	path := stack[:0]
	for x, n := g, 0; x != nil && n < 64; x, n = x.Parent, n+1 {
		path = append(path, x)
	}
	for i := len(path) - 1; i >= 0; i-- {
		if i < len(path)-1 {
			w.WriteString(" › ")
		}
		writeInline(w, path[i].Name)
	}
}

// names tells display names that occur once from those that need their
// key beside them to be told apart.
type names struct {
	perms []*schema.Permission // cat.Permissions
	first map[string]int       // where each name first occurs in perms
	// shared[i] says whether perms[i]'s name occurs more than once. The
	// links to a permission, a few per permission, look their names up
	// here rather than hash them again.
	shared []bool
}

func permissionNames(cat *schema.Catalog) *names {
	n := &names{
		perms:  cat.Permissions,
		first:  make(map[string]int, len(cat.Permissions)),
		shared: make([]bool, len(cat.Permissions)),
	}
	for i, p := range cat.Permissions {
		if j, ok := n.first[p.Name]; ok {
			n.shared[i], n.shared[j] = true, true
		} else {
			n.first[p.Name] = i
		}
	}
	return n
}

func (n *names) isShared(p *schema.Permission) bool {
	if i := p.Index; i >= 0 && i < len(n.perms) && n.perms[i] == p {
		return n.shared[i]
	}
	j, ok := n.first[p.Name]
	return ok && n.shared[j]
}

// writeRef writes a permission's link text: its name, plus its key when
// another permission has the same name.
func (n *names) writeRef(w *page, p *schema.Permission) {
	if !writeInline(w, p.Name) {
		writeCode(w, p.Key)
		return
	}
	if n.isShared(p) {
		w.WriteString(" (")
		writeCode(w, p.Key)
		w.WriteByte(')')
	}
}

// writeLinks writes permission links joined by <br>, each to the
// permission's anchor in the reference; file is "" within permissions.md
// and "permissions.md" from elsewhere.
func (n *names) writeLinks(w *page, ps []*schema.Permission, file string) {
	first := true
	for _, p := range ps {
		if p == nil {
			continue
		}
		if !first {
			w.WriteString("<br>")
		}
		first = false
		n.writeLink(w, p, file)
	}
}

func (n *names) writeLink(w *page, p *schema.Permission, file string) {
	w.WriteByte('[')
	n.writeRef(w, p)
	w.WriteString("](")
	w.WriteString(file)
	w.WriteByte('#')
	writeAnchorID(w, "perm", p.Key)
	w.WriteByte(')')
}

func codes(keys []string) string {
	var w page
	writeCodes(&w, keys)
	return string(w.b)
}

func writeCodes(w *page, keys []string) {
	for i, k := range keys {
		if i > 0 {
			w.WriteString(", ")
		}
		writeCode(w, k)
	}
}

func writeInlines(w *page, ss []string) {
	for i, s := range ss {
		if i > 0 {
			w.WriteString(", ")
		}
		writeInline(w, s)
	}
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

func title(cat *schema.Catalog) string {
	if t := heading(cat.Title); t != "" {
		return t
	}
	if t := heading(cat.Name); t != "" {
		return t
	}
	return "Catalog"
}

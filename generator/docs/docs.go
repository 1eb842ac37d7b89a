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
	"regexp"
	"strings"
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
	tmpl, err := template.New("docs").Funcs(funcs).ParseFS(templates.Docs, "docs/*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("docs: %w", err)
	}
	pages := []struct {
		path, tmpl string
		data       any
	}{
		{"permissions.md", "permissions.md.tmpl", permissionsPage(cat)},
		{"roles.md", "roles.md.tmpl", rolesPage(cat)},
	}
	var files []generator.File
	for _, p := range pages {
		var buf bytes.Buffer
		if err := tmpl.ExecuteTemplate(&buf, p.tmpl, p.data); err != nil {
			return nil, fmt.Errorf("docs: rendering %s: %w", p.path, err)
		}
		files = append(files, generator.File{Path: p.path, Content: tidy(buf.Bytes())})
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

var blankRuns = regexp.MustCompile(`\n{3,}`)

// tidy keeps the templates readable: they may leave extra blank lines,
// which mean nothing in Markdown outside code blocks (the docs have none).
func tidy(b []byte) []byte {
	b = blankRuns.ReplaceAll(b, []byte("\n\n"))
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
	var names []string
	for x, n := g, 0; x != nil && n < 64; x, n = x.Parent, n+1 {
		names = append([]string{inline(x.Name)}, names...)
	}
	return strings.Join(names, " › ")
}

// names tells display names that occur once from those that need their
// key beside them to be told apart.
type names map[string]int

func permissionNames(cat *schema.Catalog) names {
	n := names{}
	for _, p := range cat.Permissions {
		n[p.Name]++
	}
	return n
}

// ref is a permission's link text: its name, plus its key when another
// permission has the same name.
func (n names) ref(p *schema.Permission) string {
	t := inline(p.Name)
	if t == "" {
		return code(p.Key)
	}
	if n[p.Name] > 1 {
		t += " (" + code(p.Key) + ")"
	}
	return t
}

func codes(keys []string) string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = code(k)
	}
	return strings.Join(out, ", ")
}

func inlines(ss []string) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = inline(s)
	}
	return strings.Join(out, ", ")
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
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

package docs

import (
	"strings"

	"github.com/permcat/permcat/schema"
)

// matrix is the role matrix ready for the template: a header row, the
// column alignment, body rows (group section rows and permission rows) and
// the footnotes, already escaped.
type matrix struct {
	Header []string
	Align  string
	Rows   [][]string
	Notes  []string
}

// footnotes numbers distinct conditions, notes and scopes in order of
// first use.
type footnotes struct {
	index map[string]int
	texts []string
}

func (f *footnotes) ref(id, text string) int {
	if n, ok := f.index[id]; ok {
		return n
	}
	f.texts = append(f.texts, text)
	f.index[id] = len(f.texts)
	return len(f.texts)
}

func (f *footnotes) condition(c *schema.Condition) int {
	text := "Only when " + link(code(c.Key), "#"+anchorID("cond", c.Key)) + " is on"
	if d := inline(c.Description); d != "" {
		text += ": " + d
	} else {
		text += "."
	}
	return f.ref("condition:"+c.Key, text)
}

func (f *footnotes) note(s string) int {
	return f.ref("note:"+s, inline(s))
}

func (f *footnotes) scope(s *schema.Scope) int {
	text := "Granted per " + link(code(s.Key), "permissions.md#"+anchorID("scope", s.Key))
	if d := inline(s.Description); d != "" {
		text += ": " + d
	} else {
		text += "."
	}
	return f.ref("scope:"+s.Key, text)
}

// marks joins footnote numbers as superscripts ("¹,³").
func marks(ns []int) string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = superscript(n)
	}
	return strings.Join(out, ",")
}

func buildMatrix(cat *schema.Catalog) matrix {
	m := matrix{}
	if len(cat.Roles) == 0 {
		return m
	}
	m.Header = []string{"Permission"}
	m.Align = "l"
	for _, r := range cat.Roles {
		m.Header = append(m.Header, roleLink(r))
		m.Align += "c"
	}
	fn := &footnotes{index: map[string]int{}}
	nm := permissionNames(cat)
	empty := func() []string { return make([]string, len(cat.Roles)) }
	for _, g := range cat.Groups {
		if len(g.Permissions) == 0 {
			continue
		}
		m.Rows = append(m.Rows, append([]string{bold(groupPath(g))}, empty()...))
		for _, p := range g.Permissions {
			label := link(nm.ref(p), "permissions.md#"+anchorID("perm", p.Key))
			if p.IsDeprecated() {
				label += " *(deprecated)*"
			}
			if p.Note != "" {
				label += superscript(fn.note(p.Note))
			}
			cells := []string{label}
			for _, r := range cat.Roles {
				cells = append(cells, cell(fn, p, r.EffectiveOf(p)))
			}
			m.Rows = append(m.Rows, cells)
		}
	}
	m.Notes = fn.texts
	return m
}

// cell is one role's mark for one permission.
func cell(fn *footnotes, p *schema.Permission, g *schema.EffectiveGrant) string {
	if g == nil {
		return ""
	}
	mark := "X"
	var refs []int
	if !g.Always {
		mark += "*"
		for _, c := range g.When {
			if c != nil {
				refs = append(refs, fn.condition(c))
			}
		}
	}
	for _, n := range g.Notes {
		refs = append(refs, fn.note(n))
	}
	// The reference already says a permission is per facility; only a
	// grant that binds some other scope needs a note.
	if g.Scope != nil && g.Scope != p.Scope {
		refs = append(refs, fn.scope(g.Scope))
	}
	return mark + marks(dedupe(refs))
}

func dedupe(ns []int) []int {
	seen := map[int]bool{}
	out := ns[:0]
	for _, n := range ns {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

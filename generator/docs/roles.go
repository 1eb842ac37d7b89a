package docs

import (
	"slices"
	"strings"

	"github.com/permcat/permcat/generator"
	"github.com/permcat/permcat/schema"
)

type rolesView struct {
	Header     string
	Title      string
	Summary    string
	TOC        []tocEntry
	Roles      [][]string
	Landing    [][]string
	Matrix     matrix
	Conditions [][]string
	Profiles   []profileSection
}

type profileSection struct {
	Anchor      string
	Name        string
	Description string
	Meta        []string
	Requires    []*schema.Permission // the table's rows
}

func (r *renderer) rolesPage() *rolesView {
	cat := r.cat
	pg := &rolesView{
		Header: generator.Header,
		Title:  title(cat),
		Summary: "Catalog " + code(cat.Name) + ": " + count(len(cat.Roles), "role") + ", " +
			count(len(cat.Permissions), "permission") + ".",
		Matrix: r.rolesMatrix(),
	}
	pg.TOC = []tocEntry{
		{Text: "Roles", Anchor: "section-roles"},
		{Text: "Landing sections", Anchor: "section-landing"},
		{Text: "Role permissions matrix", Anchor: "section-matrix"},
	}
	if len(pg.Matrix.Notes) > 0 {
		pg.TOC = append(pg.TOC, tocEntry{Indent: "  ", Text: "Notes", Anchor: "section-notes"})
	}
	anyLanding := false
	for _, r := range cat.Roles {
		anyLanding = anyLanding || r.Landing != nil
	}
	for _, r := range cat.Roles {
		var ext []string
		for _, e := range r.Extends {
			ext = append(ext, roleLink(e))
		}
		desc := []string{}
		if d := inline(r.Description); d != "" {
			desc = append(desc, d)
		}
		if r.Note != "" {
			desc = append(desc, "**Note:** "+inline(r.Note))
		}
		pg.Roles = append(pg.Roles, []string{
			anchor(anchorID("role", r.Key)) + roleName(r),
			code(r.Key),
			strings.Join(ext, ", "),
			strings.Join(desc, "<br>"),
		})
		landing := "—"
		if r.Landing != nil {
			landing = link(groupPath(r.Landing), "permissions.md#"+anchorID("group", r.Landing.Key))
		}
		if anyLanding {
			pg.Landing = append(pg.Landing, []string{roleLink(r), landing})
		}
	}
	for _, c := range cat.Conditions {
		pg.Conditions = append(pg.Conditions, []string{anchor(anchorID("cond", c.Key)) + code(c.Key), inline(c.Description)})
	}
	if len(pg.Conditions) > 0 {
		pg.TOC = append(pg.TOC, tocEntry{Text: "Conditions", Anchor: "section-conditions"})
	}
	for _, p := range cat.Profiles {
		pg.Profiles = append(pg.Profiles, r.profileView(p))
	}
	if len(pg.Profiles) > 0 {
		pg.TOC = append(pg.TOC, tocEntry{Text: "Requirement profiles", Anchor: "section-profiles"})
		for _, p := range pg.Profiles {
			pg.TOC = append(pg.TOC, tocEntry{Indent: "  ", Text: p.Name, Anchor: p.Anchor})
		}
	}
	return pg
}

func roleName(r *schema.Role) string {
	if n := inline(r.Name); n != "" {
		return n
	}
	return code(r.Key)
}

func roleLink(r *schema.Role) string {
	return link(roleName(r), "#"+anchorID("role", r.Key))
}

// rolesSize guesses roles.md's length, so the page is allocated once: the
// matrix is nearly all of it.
func (r *renderer) rolesSize(pg *rolesView) int {
	n := 8192 + pg.Matrix.size + 256*len(r.cat.Roles) + 128*len(r.cat.Conditions)
	for _, t := range pg.Matrix.Notes {
		n += len(t) + 32
	}
	for _, p := range pg.Profiles {
		n += 256 + len(p.Description)
		for _, q := range p.Requires {
			n += 2*len(q.Key) + len(q.Name) + 40
			if q.Group != nil {
				n += 2 * len(q.Group.Name) * (1 + depth(q.Group))
			}
		}
	}
	return n + n/16
}

func (r *renderer) profileView(p *schema.Profile) profileSection {
	sec := profileSection{
		Anchor:      anchorID("profile", p.Key),
		Name:        heading(p.Name),
		Description: block(p.Description),
		Requires:    p.Requires,
	}
	if sec.Name == "" {
		sec.Name = code(p.Key)
	}
	if slices.Contains(sec.Requires, nil) {
		sec.Requires = slices.DeleteFunc(slices.Clone(sec.Requires), func(q *schema.Permission) bool { return q == nil })
	}
	var pats []string
	for _, x := range p.Patterns {
		pats = append(pats, x.Text)
	}
	sec.Meta = append(sec.Meta, "**Key:** "+code(p.Key))
	req := "**Requires:** " + count(len(p.Requires), "permission")
	if len(pats) > 0 {
		req += " (" + codes(pats) + ")"
	}
	sec.Meta = append(sec.Meta, req)
	if p.Note != "" {
		sec.Meta = append(sec.Meta, "**Note:** "+inline(p.Note))
	}
	sec.Meta = append(sec.Meta, "**Met by:** "+r.metBy(p))
	return sec
}

// profileRows writes a profile's table body, a row per required
// permission.
func (r *renderer) profileRows(ps []*schema.Permission) string {
	w := r.w
	for _, q := range ps {
		w.WriteByte('|')
		c := beginCell(w)
		r.names.writeLink(w, q, "permissions.md")
		endCell(w, c)
		c = beginCell(w)
		writeCode(w, q.Key)
		endCell(w, c)
		c = beginCell(w)
		writeGroupPath(w, q.Group)
		endCell(w, c)
		w.WriteByte('\n')
	}
	return ""
}

// metBy names the roles that hold everything the profile requires: those
// that always do, then those that do only under conditions.
func (r *renderer) metBy(p *schema.Profile) string {
	var out []string
	for i, role := range r.cat.Roles {
		// The role meets the profile when it holds every requirement, and
		// it holds one always or under any of its conditions: the answer
		// is an and of ors, one per conditional requirement.
		var clauses [][]*schema.Condition
		held := true
		for _, q := range p.Requires {
			g := r.held[i].of(q)
			if g == nil {
				held = false
				break
			}
			if !g.Always {
				clauses = append(clauses, g.When)
			}
		}
		switch {
		case !held:
		case len(clauses) == 0:
			out = append(out, roleLink(role))
		default:
			out = append(out, roleLink(role)+" (when "+conditionFormula(clauses)+")")
		}
	}
	if len(out) == 0 {
		return "no role"
	}
	return strings.Join(out, ", ")
}

// conditionFormula writes "a and (b or c)" for clauses {a} and {b, c},
// each clause sorted by condition order: a clause that holds whenever
// another does (a superset of it) says nothing more and is left out.
func conditionFormula(clauses [][]*schema.Condition) string {
	subset := func(a, b []*schema.Condition) bool { // a ⊆ b
		for _, c := range a {
			if !slices.Contains(b, c) {
				return false
			}
		}
		return true
	}
	var kept [][]*schema.Condition
	for i, c := range clauses {
		redundant := false
		for j, d := range clauses {
			// d implies c; of two equal clauses the first is kept.
			if i != j && subset(d, c) && (!subset(c, d) || j < i) {
				redundant = true
				break
			}
		}
		if !redundant {
			kept = append(kept, c)
		}
	}
	slices.SortStableFunc(kept, func(a, b []*schema.Condition) int {
		for k := 0; k < len(a) && k < len(b); k++ {
			if a[k].Index != b[k].Index {
				return a[k].Index - b[k].Index
			}
		}
		return len(a) - len(b)
	})
	var w page
	for i, c := range kept {
		if i > 0 {
			w.WriteString(" and ")
		}
		if len(c) > 1 && len(kept) > 1 {
			w.WriteString("(")
		}
		for k, x := range c {
			if k > 0 {
				w.WriteString(" or ")
			}
			writeCode(&w, x.Key)
		}
		if len(c) > 1 && len(kept) > 1 {
			w.WriteString(")")
		}
	}
	return string(w.b)
}

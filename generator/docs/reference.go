package docs

import (
	"strings"

	"github.com/permcat/permcat/generator"
	"github.com/permcat/permcat/schema"
)

type referencePage struct {
	Header      string
	Title       string
	Description string
	Summary     string
	TOC         []tocEntry
	Columns     []string
	Groups      []groupSection
	Scopes      [][]string
	Renames     [][]string
}

type groupSection struct {
	Hashes      string
	Anchor      string
	Name        string
	Description string
	Meta        []string
	Rows        [][]string
}

func permissionsPage(cat *schema.Catalog) *referencePage {
	pg := &referencePage{
		Header:      generator.Header,
		Title:       title(cat),
		Description: block(cat.Description),
		Summary: "Catalog " + code(cat.Name) + ": " + count(len(cat.Permissions), "permission") +
			" in " + count(len(cat.Groups), "group") + ".",
		Columns: []string{"Permission", "Key", "Description"},
	}
	// A column nobody fills is noise: the same columns serve every group,
	// so only catalogs that use requires, implies or scopes get them.
	var cols columns
	for _, p := range cat.Permissions {
		cols.requires = cols.requires || len(p.Requires) > 0
		cols.implies = cols.implies || len(p.Implies) > 0
		cols.scope = cols.scope || p.Scope != nil
	}
	if cols.requires {
		pg.Columns = append(pg.Columns, "Requires")
	}
	if cols.implies {
		pg.Columns = append(pg.Columns, "Implies")
	}
	if cols.scope {
		pg.Columns = append(pg.Columns, "Scope")
	}
	nm := permissionNames(cat)
	for _, g := range cat.Groups {
		d := depth(g)
		id := anchorID("group", g.Key)
		pg.TOC = append(pg.TOC, tocEntry{Indent: strings.Repeat("  ", d), Text: inline(g.Name), Anchor: id})
		sec := groupSection{
			Hashes:      strings.Repeat("#", min(2+d, 6)),
			Anchor:      id,
			Name:        heading(g.Name),
			Description: block(g.Description),
			Meta:        groupMeta(g),
		}
		if sec.Name == "" {
			sec.Name = code(g.Key)
		}
		for _, p := range g.Permissions {
			sec.Rows = append(sec.Rows, permissionRow(p, nm, cols))
		}
		pg.Groups = append(pg.Groups, sec)
		for _, f := range g.Formerly {
			pg.Renames = append(pg.Renames, []string{code(f), link(code(g.Key), "#"+id)})
		}
		for _, p := range g.Permissions {
			for _, f := range p.Formerly {
				pg.Renames = append(pg.Renames, []string{code(f), link(code(p.Key), "#"+anchorID("perm", p.Key))})
			}
		}
	}
	for _, s := range cat.Scopes {
		pg.Scopes = append(pg.Scopes, []string{anchor(anchorID("scope", s.Key)) + code(s.Key), inline(s.Description)})
	}
	if len(pg.Scopes) > 0 {
		pg.TOC = append(pg.TOC, tocEntry{Text: "Scopes", Anchor: "section-scopes"})
	}
	if len(pg.Renames) > 0 {
		pg.TOC = append(pg.TOC, tocEntry{Text: "Former keys", Anchor: "section-former-keys"})
	}
	return pg
}

func groupMeta(g *schema.Group) []string {
	meta := []string{"**Key:** " + code(g.Key)}
	if g.Location != "" {
		meta = append(meta, "**Location:** "+inline(g.Location))
	}
	if g.Scope != nil {
		meta = append(meta, "**Scope:** every permission is granted per "+scopeLink(g.Scope))
	}
	if len(g.Aliases) > 0 {
		meta = append(meta, "**Former or alternative names:** "+inlines(g.Aliases)+", now "+inline(g.Name))
	}
	if len(g.Formerly) > 0 {
		meta = append(meta, "**Former keys:** "+codes(g.Formerly))
	}
	if g.Note != "" {
		meta = append(meta, "**Note:** "+inline(g.Note))
	}
	return meta
}

func scopeLink(s *schema.Scope) string {
	return link(code(s.Key), "#"+anchorID("scope", s.Key))
}

// columns says which optional columns the reference tables carry.
type columns struct{ requires, implies, scope bool }

func permissionRow(p *schema.Permission, nm names, cols columns) []string {
	name := inline(p.Name)
	if name == "" {
		name = code(p.Key)
	}
	if p.IsDeprecated() {
		name += " *(deprecated)*"
	}
	desc := []string{}
	if d := inline(p.Description); d != "" {
		desc = append(desc, d)
	}
	if p.IsDeprecated() {
		desc = append(desc, "**Deprecated:** "+inline(p.Deprecated))
	}
	if p.Note != "" {
		desc = append(desc, "**Note:** "+inline(p.Note))
	}
	if p.Location != "" {
		desc = append(desc, "**Location:** "+inline(p.Location))
	}
	if len(p.Aliases) > 0 {
		desc = append(desc, "**Former or alternative names:** "+inlines(p.Aliases))
	}
	if len(p.Formerly) > 0 {
		desc = append(desc, "**Former keys:** "+codes(p.Formerly))
	}
	if len(p.Tags) > 0 {
		desc = append(desc, "**Tags:** "+codes(p.Tags))
	}
	cells := []string{
		anchor(anchorID("perm", p.Key)) + name,
		code(p.Key),
		strings.Join(desc, "<br>"),
	}
	if cols.requires {
		cells = append(cells, permissionLinks(p.Requires, nm, ""))
	}
	if cols.implies {
		cells = append(cells, permissionLinks(p.Implies, nm, ""))
	}
	if cols.scope {
		s := ""
		if p.Scope != nil {
			s = scopeLink(p.Scope)
		}
		cells = append(cells, s)
	}
	return cells
}

// permissionLinks links each permission's anchor in the reference; page is
// "" within permissions.md and "permissions.md" from elsewhere.
func permissionLinks(ps []*schema.Permission, nm names, page string) string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		if p == nil {
			continue
		}
		out = append(out, link(nm.ref(p), page+"#"+anchorID("perm", p.Key)))
	}
	return strings.Join(out, "<br>")
}

package docs

import (
	"github.com/permcat/permcat/generator"
	"github.com/permcat/permcat/schema"
)

type referencePage struct {
	Header      string
	Title       string
	Description string
	Summary     string
	TOC         []tocEntry // the contents after the groups'
	Scopes      [][]string
	Renames     bool // whether any group or permission has former keys
}

func (r *renderer) permissionsPage() *referencePage {
	cat := r.cat
	pg := &referencePage{
		Header:      generator.Header,
		Title:       title(cat),
		Description: block(cat.Description),
		Summary: "Catalog " + code(cat.Name) + ": " + count(len(cat.Permissions), "permission") +
			" in " + count(len(cat.Groups), "group") + ".",
	}
	columns := []string{"Permission", "Key", "Description"}
	// A column nobody fills is noise: the same columns serve every group,
	// so only catalogs that use requires, implies or scopes get them.
	for _, p := range cat.Permissions {
		r.cols.requires = r.cols.requires || len(p.Requires) > 0
		r.cols.implies = r.cols.implies || len(p.Implies) > 0
		r.cols.scope = r.cols.scope || p.Scope != nil
	}
	if r.cols.requires {
		columns = append(columns, "Requires")
	}
	if r.cols.implies {
		columns = append(columns, "Implies")
	}
	if r.cols.scope {
		columns = append(columns, "Scope")
	}
	r.tableHead = tableHead(columns, "")
	for _, g := range cat.Groups {
		pg.Renames = pg.Renames || len(g.Formerly) > 0
		for _, p := range g.Permissions {
			pg.Renames = pg.Renames || len(p.Formerly) > 0
		}
	}
	for _, s := range cat.Scopes {
		pg.Scopes = append(pg.Scopes, []string{anchor(anchorID("scope", s.Key)) + code(s.Key), inline(s.Description)})
	}
	if len(pg.Scopes) > 0 {
		pg.TOC = append(pg.TOC, tocEntry{Text: "Scopes", Anchor: "section-scopes"})
	}
	if pg.Renames {
		pg.TOC = append(pg.TOC, tocEntry{Text: "Former keys", Anchor: "section-former-keys"})
	}
	return pg
}

// groupContents writes the contents' line for each group, indented two
// spaces per level of nesting ("  - [Metrc](#group-integrations.metrc)").
func (r *renderer) groupContents() string {
	w := r.w
	for _, g := range r.cat.Groups {
		for range depth(g) {
			w.WriteString("  ")
		}
		w.WriteString("- [")
		writeInline(w, g.Name)
		w.WriteString("](#")
		writeAnchorID(w, "group", g.Key)
		w.WriteString(")\n")
	}
	return ""
}

// groupSections writes each group's section after a blank line: a heading
// as deep as the group is nested, its description, a list of its key and
// other facts, and a table of its permissions, if it has any:
//
//	## <a id="group-integrations"></a>Integrations
//
//	What the group is for.
//
//	- **Key:** `integrations`
//
//	| Permission | Key | Description |
//	| --- | --- | --- |
//	| <a id="perm-integrations.view"></a>View | `integrations.view` | See them. |
func (r *renderer) groupSections() string {
	w := r.w
	for _, g := range r.cat.Groups {
		w.WriteString("\n")
		w.WriteString("######"[:min(2+depth(g), 6)])
		w.WriteString(` <a id="`)
		writeAnchorID(w, "group", g.Key)
		w.WriteString(`"></a>`)
		if name := heading(g.Name); name != "" {
			w.WriteString(name)
		} else {
			writeCode(w, g.Key)
		}
		w.WriteString("\n\n")
		if d := block(g.Description); d != "" {
			w.WriteString(d)
			w.WriteString("\n\n")
		}
		r.writeGroupMeta(g)
		if len(g.Permissions) > 0 {
			w.WriteString("\n")
			w.WriteString(r.tableHead)
			w.WriteString("\n")
			for _, p := range g.Permissions {
				r.writePermissionRow(p)
			}
		}
	}
	return ""
}

// permissionsSize guesses permissions.md's length from the text that goes
// into it and the markup around it, so the page is allocated once rather
// than grown through copies twice its size.
func (r *renderer) permissionsSize(pg *referencePage) int {
	n := 4096 + len(pg.Description)
	optional := 0
	for _, on := range []bool{r.cols.requires, r.cols.implies, r.cols.scope} {
		if on {
			optional += len(" |")
		}
	}
	for _, g := range r.cat.Groups {
		// A line in the contents, the heading, the key and the table head.
		n += 60 + 3*len(g.Key) + 2*len(g.Name) + 3*depth(g) + len(g.Description) + len(r.tableHead)
		if g.Location != "" || g.Note != "" || g.Scope != nil || len(g.Aliases) > 0 {
			n += 160 + len(g.Location) + len(g.Note) + len(g.Name)
			for _, a := range g.Aliases {
				n += len(a) + 2
			}
		}
		for _, f := range g.Formerly {
			n += 2*len(f) + 2*len(g.Key) + 40
		}
		for _, p := range g.Permissions {
			n += 31 + 2*len(p.Key) + len(p.Name) + len(p.Description) + optional
			if p.Deprecated != "" {
				n += 36 + len(p.Deprecated)
			}
			if p.Note != "" {
				n += 14 + len(p.Note)
			}
			if p.Location != "" {
				n += 18 + len(p.Location)
			}
			if len(p.Aliases) > 0 {
				n += 37
				for _, a := range p.Aliases {
					n += len(a) + 2
				}
			}
			if len(p.Tags) > 0 {
				n += 14
				for _, t := range p.Tags {
					n += len(t) + 4
				}
			}
			for _, f := range p.Formerly {
				// In the row, and in the former keys table.
				n += 2*len(f) + 2*len(p.Key) + 48
			}
			for _, q := range p.Requires {
				if q != nil {
					n += 20 + len(q.Key) + len(q.Name)
				}
			}
			for _, q := range p.Implies {
				if q != nil {
					n += 20 + len(q.Key) + len(q.Name)
				}
			}
			if p.Scope != nil {
				n += 20 + 2*len(p.Scope.Key)
			}
		}
	}
	return n + n/16
}

func (r *renderer) writeGroupMeta(g *schema.Group) {
	w := r.w
	w.WriteString("- **Key:** ")
	writeCode(w, g.Key)
	w.WriteString("\n")
	if g.Location != "" {
		w.WriteString("- **Location:** ")
		writeInline(w, g.Location)
		w.WriteString("\n")
	}
	if g.Scope != nil {
		w.WriteString("- **Scope:** every permission is granted per ")
		writeScopeLink(w, g.Scope)
		w.WriteString("\n")
	}
	if len(g.Aliases) > 0 {
		// Aliases are former or alternative names: nothing says which,
		// so none is presented as replaced by the current name.
		w.WriteString("- **Former or alternative names:** ")
		writeInlines(w, g.Aliases)
		w.WriteString("\n")
	}
	if len(g.Formerly) > 0 {
		w.WriteString("- **Former keys:** ")
		writeCodes(w, g.Formerly)
		w.WriteString("\n")
	}
	if g.Note != "" {
		w.WriteString("- **Note:** ")
		writeInline(w, g.Note)
		w.WriteString("\n")
	}
}

func writeScopeLink(w *page, s *schema.Scope) {
	w.WriteByte('[')
	writeCode(w, s.Key)
	w.WriteString("](#")
	writeAnchorID(w, "scope", s.Key)
	w.WriteByte(')')
}

// columns says which optional columns the reference tables carry.
type columns struct{ requires, implies, scope bool }

func (r *renderer) writePermissionRow(p *schema.Permission) {
	w := r.w
	w.WriteByte('|')

	c := beginCell(w)
	w.WriteString(`<a id="`)
	writeAnchorID(w, "perm", p.Key)
	w.WriteString(`"></a>`)
	if !writeInline(w, p.Name) {
		writeCode(w, p.Key)
	}
	if p.IsDeprecated() {
		w.WriteString(" *(deprecated)*")
	}
	endCell(w, c)

	c = beginCell(w)
	writeCode(w, p.Key)
	endCell(w, c)

	c = beginCell(w)
	sep := func() {
		if w.Len() > c {
			w.WriteString("<br>")
		}
	}
	writeInline(w, p.Description)
	if p.IsDeprecated() {
		sep()
		w.WriteString("**Deprecated:** ")
		writeInline(w, p.Deprecated)
	}
	if p.Note != "" {
		sep()
		w.WriteString("**Note:** ")
		writeInline(w, p.Note)
	}
	if p.Location != "" {
		sep()
		w.WriteString("**Location:** ")
		writeInline(w, p.Location)
	}
	if len(p.Aliases) > 0 {
		sep()
		w.WriteString("**Former or alternative names:** ")
		writeInlines(w, p.Aliases)
	}
	if len(p.Formerly) > 0 {
		sep()
		w.WriteString("**Former keys:** ")
		writeCodes(w, p.Formerly)
	}
	if len(p.Tags) > 0 {
		sep()
		w.WriteString("**Tags:** ")
		writeCodes(w, p.Tags)
	}
	endCell(w, c)

	if r.cols.requires {
		c = beginCell(w)
		r.names.writeLinks(w, p.Requires, "")
		endCell(w, c)
	}
	if r.cols.implies {
		c = beginCell(w)
		r.names.writeLinks(w, p.Implies, "")
		endCell(w, c)
	}
	if r.cols.scope {
		c = beginCell(w)
		if p.Scope != nil {
			writeScopeLink(w, p.Scope)
		}
		endCell(w, c)
	}
	w.WriteByte('\n')
}

// renameRows writes the former keys table's body: each group's former
// keys, then those of its permissions.
func (r *renderer) renameRows() string {
	w := r.w
	row := func(former, prefix, key string) {
		w.WriteByte('|')
		c := beginCell(w)
		writeCode(w, former)
		endCell(w, c)
		c = beginCell(w)
		w.WriteByte('[')
		writeCode(w, key)
		w.WriteString("](#")
		writeAnchorID(w, prefix, key)
		w.WriteByte(')')
		endCell(w, c)
		w.WriteByte('\n')
	}
	for _, g := range r.cat.Groups {
		for _, f := range g.Formerly {
			row(f, "group", g.Key)
		}
		for _, p := range g.Permissions {
			for _, f := range p.Formerly {
				row(f, "perm", p.Key)
			}
		}
	}
	return ""
}

package docs

import (
	"slices"
	"sort"
	"strings"

	"github.com/permcat/permcat/schema"
)

// matrix is the role matrix's header, column alignment and footnotes,
// already escaped; matrixRows writes its body.
type matrix struct {
	Header []string
	Align  string
	Notes  []string
	// Scoped is set when some permission is itself set per a scope: the
	// legend then says that its marks mean "per that scope", which no
	// cell repeats.
	Scoped bool
	size   int // about how long matrixRows's output is
}

// footnotes numbers distinct conditions, notes and scopes in order of
// first use. Each kind has its own index, keyed by what tells two apart.
type footnotes struct {
	conditions, scopes, notes map[string]int
	texts                     []string
}

func newFootnotes() *footnotes {
	return &footnotes{conditions: map[string]int{}, scopes: map[string]int{}, notes: map[string]int{}}
}

func (f *footnotes) add(index map[string]int, id, text string) int {
	f.texts = append(f.texts, text)
	index[id] = len(f.texts)
	return len(f.texts)
}

// The texts are built only for a note's first use: most cells repeat one.

func (f *footnotes) condition(c *schema.Condition) int {
	if n, ok := f.conditions[c.Key]; ok {
		return n
	}
	text := "Only when " + link(code(c.Key), "#"+anchorID("cond", c.Key)) + " is on"
	if d := inline(c.Description); d != "" {
		text += ": " + d
	} else {
		text += "."
	}
	return f.add(f.conditions, c.Key, text)
}

func (f *footnotes) note(s string) int {
	if n, ok := f.notes[s]; ok {
		return n
	}
	return f.add(f.notes, s, inline(s))
}

func (f *footnotes) scope(s *schema.Scope) int {
	if n, ok := f.scopes[s.Key]; ok {
		return n
	}
	text := "Granted per " + link(code(s.Key), "permissions.md#"+anchorID("scope", s.Key))
	if d := inline(s.Description); d != "" {
		text += ": " + d
	} else {
		text += "."
	}
	return f.add(f.scopes, s.Key, text)
}

// ways is a note saying each way a grant holds, for a grant bound to a
// scope in some ways only or to several scopes: "Held always per
// [`store`](…); when [`night_shift`](…) everywhere."
func (f *footnotes) ways(g *schema.EffectiveGrant) int {
	key := "\x00ways " + g.WaysText() // never a note's text: notes are inline()d
	if n, ok := f.notes[key]; ok {
		return n
	}
	parts := make([]string, 0, len(g.Ways))
	for _, w := range g.Ways {
		t := "always"
		if w.When != nil {
			t = "when " + link(code(w.When.Key), "#"+anchorID("cond", w.When.Key))
		}
		if w.Scope != nil {
			t += " per " + link(code(w.Scope.Key), "permissions.md#"+anchorID("scope", w.Scope.Key))
		} else {
			t += " everywhere"
		}
		parts = append(parts, t)
	}
	return f.add(f.notes, key, "Held "+strings.Join(parts, "; ")+".")
}

// refs appends to refs the notes of a role's grant of p, each once, in
// the order the cell shows them.
func (f *footnotes) refs(refs []int, p *schema.Permission, g *schema.EffectiveGrant) []int {
	add := func(n int) {
		if !slices.Contains(refs, n) {
			refs = append(refs, n)
		}
	}
	if !g.Always {
		for _, c := range g.When {
			if c != nil {
				add(f.condition(c))
			}
		}
	}
	for _, n := range g.Notes {
		add(f.note(n))
	}
	// The reference already says a permission is per facility; only a
	// grant that binds some other scope needs a note.
	if g.Scope != nil && g.Scope != p.Scope {
		add(f.scope(g.Scope))
	} else if g.Scope == nil && slices.ContainsFunc(g.Ways, func(w schema.Way) bool { return w.Scope != nil }) {
		// Bound in some ways only, or to several scopes: say which.
		add(f.ways(g))
	}
	return refs
}

// holdings finds a role's effective grants. Role.EffectiveOf scans the
// whole set, which makes a matrix quadratic in the catalog's size; the set
// is in catalog order, so lookups made in that order walk it once.
type holdings struct {
	role   *schema.Role
	sorted bool // Effective is in strictly increasing Permission.Index order
	next   int  // where the previous lookup ended
}

func newHoldings(r *schema.Role) holdings {
	h := holdings{role: r, sorted: true}
	for i, g := range r.Effective {
		if g == nil || g.Permission == nil || i > 0 && g.Permission.Index <= r.Effective[i-1].Permission.Index {
			h.sorted = false
			break
		}
	}
	return h
}

// of is h.role.EffectiveOf(p).
func (h *holdings) of(p *schema.Permission) *schema.EffectiveGrant {
	if !h.sorted || p == nil {
		return h.role.EffectiveOf(p)
	}
	eff := h.role.Effective
	i := h.next
	if i > 0 && eff[i-1].Permission.Index >= p.Index || i < len(eff) && eff[i].Permission.Index < p.Index {
		// Not the next one in catalog order; most lookups are.
		i = sort.Search(len(eff), func(j int) bool { return eff[j].Permission.Index >= p.Index })
	}
	h.next = i
	if i < len(eff) && eff[i].Permission == p {
		h.next = i + 1
		return eff[i]
	}
	return nil
}

// rolesMatrix numbers the matrix's footnotes in reading order before
// anything is written: the contents above the matrix list its notes only
// when there are some.
func (r *renderer) rolesMatrix() matrix {
	cat := r.cat
	m := matrix{}
	if len(cat.Roles) == 0 {
		return m
	}
	m.Header = []string{"Permission"}
	for _, role := range cat.Roles {
		m.Header = append(m.Header, roleLink(role))
	}
	m.Align = "l" + strings.Repeat("c", len(cat.Roles))
	var refs []int
	for _, g := range cat.Groups {
		if len(g.Permissions) > 0 {
			m.size += 10 + (len(g.Name)+5)*(1+depth(g)) + 2*len(cat.Roles)
		}
		for _, p := range g.Permissions {
			m.Scoped = m.Scoped || p.Scope != nil
			m.size += 29 + len(p.Key) + len(p.Name) + 2*len(cat.Roles)
			if p.Note != "" {
				r.notes.note(p.Note)
				m.size += 3
			}
			for i := range cat.Roles {
				if eg := r.held[i].of(p); eg != nil {
					refs = r.notes.refs(refs[:0], p, eg)
					m.size += 2 + 3*len(refs)
				}
			}
		}
	}
	m.Notes = r.notes.texts
	return m
}

// matrixRows writes the matrix body: a row naming each group that has
// permissions, then a row per permission with each role's mark.
func (r *renderer) matrixRows() string {
	cat, w := r.cat, r.w
	if len(cat.Roles) == 0 {
		return ""
	}
	var refs []int
	for _, g := range cat.Groups {
		if len(g.Permissions) == 0 {
			continue
		}
		w.WriteByte('|')
		c := beginCell(w)
		w.WriteString("**")
		writeGroupPath(w, g)
		if w.Len() == c+2 {
			w.b = w.b[:c] // no name to make bold
		} else {
			w.WriteString("**")
		}
		endCell(w, c)
		for range cat.Roles {
			w.WriteString(" |")
		}
		w.WriteByte('\n')
		for _, p := range g.Permissions {
			w.WriteByte('|')
			c := beginCell(w)
			r.names.writeLink(w, p, "permissions.md")
			if p.IsDeprecated() {
				w.WriteString(" *(deprecated)*")
			}
			if p.Note != "" {
				writeSuperscript(w, r.notes.note(p.Note))
			}
			endCell(w, c)
			for i := range cat.Roles {
				c := beginCell(w)
				if eg := r.held[i].of(p); eg != nil {
					writeMark(w, eg, r.notes.refs(refs[:0], p, eg))
				}
				endCell(w, c)
			}
			w.WriteByte('\n')
		}
	}
	return ""
}

// writeMark writes one role's mark for one permission: X or X*, then its
// notes as superscripts ("X*¹,³").
func writeMark(w *page, g *schema.EffectiveGrant, refs []int) {
	w.WriteByte('X')
	if !g.Always {
		w.WriteByte('*')
	}
	for i, n := range refs {
		if i > 0 {
			w.WriteByte(',')
		}
		writeSuperscript(w, n)
	}
}

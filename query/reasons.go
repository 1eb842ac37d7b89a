package query

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/permcat/permcat/schema"
)

// Reason is one grant that gives a role a permission.
type Reason struct {
	// Grant is the grant's pattern as written ("customers.*"); empty when
	// the catalog recorded no grant for this source.
	Grant string `json:"grant"`
	// At is the grant's place, file:line:col.
	At string `json:"at"`
	// Role is the role whose grant it is: the asked role itself, or a role
	// it extends.
	Role string `json:"role"`
	// Via lists the roles extended on the way from the asked role to Role,
	// ending with Role; empty for the asked role's own grants.
	Via []string `json:"via"`
	// ImpliedBy is set when the role holds the permission because it holds
	// this one, which implies it.
	ImpliedBy string `json:"implied_by,omitempty"`
	// When is the condition the grant depends on; empty when unconditional.
	When  string `json:"when,omitempty"`
	Scope string `json:"scope,omitempty"`
	Note  string `json:"note,omitempty"`
}

// Holding is one permission a role holds, with the reasons it holds it.
type Holding struct {
	Key        string `json:"key"`
	Name       string `json:"name"`
	Deprecated string `json:"deprecated,omitempty"`
	// Always is true when the role holds it whatever the conditions
	// (maybe only within a scope: see Ways); otherwise it holds it when
	// any condition in When is on.
	Always bool `json:"always"`
	// AlwaysEverywhere is true when the role holds it whatever the
	// conditions and in every scope: one of its ways is "always" bound to
	// no scope.
	AlwaysEverywhere bool     `json:"always_everywhere"`
	When             []string `json:"when"`
	Scope            string   `json:"scope,omitempty"`
	// Ways are the ways the role holds it: under which condition (empty:
	// always) and bound to which scope (empty: everywhere). No way is
	// implied by another.
	Ways    []Way    `json:"ways"`
	Notes   []string `json:"notes"`
	Reasons []Reason `json:"reasons"`
}

// Way is one way a role holds a permission.
type Way struct {
	When  string `json:"when,omitempty"`
	Scope string `json:"scope,omitempty"`
}

// holdingOf describes how the role asked holds g. With active set, the
// reasons are only the grants that hold under it (a grant whose condition
// is off is not why the role holds the permission now), unless none does.
func holdingOf(asked *schema.Role, g *schema.EffectiveGrant, active func(*schema.Condition) bool) Holding {
	h := Holding{
		Key:              g.Permission.Key,
		Name:             g.Permission.Name,
		Deprecated:       g.Permission.Deprecated,
		Always:           g.Always,
		AlwaysEverywhere: slices.Contains(g.Ways, schema.Way{}),
		When:             conditionKeys(g.When),
		Ways:             []Way{},
		Notes:            append([]string{}, g.Notes...),
		Reasons:          []Reason{},
	}
	for _, w := range g.Ways {
		var x Way
		if w.When != nil {
			x.When = w.When.Key
		}
		if w.Scope != nil {
			x.Scope = w.Scope.Key
		}
		h.Ways = append(h.Ways, x)
	}
	sources := g.Sources
	if active != nil {
		var on []schema.Source
		for _, s := range g.Sources {
			if s.Grant == nil || s.Grant.When == nil || active(s.Grant.When) {
				on = append(on, s)
			}
		}
		if len(on) > 0 {
			sources = on
		}
	}
	if g.Scope != nil {
		h.Scope = g.Scope.Key
	}
	// The resolver may record one reason twice (a permission implied both
	// in an extended role and again after extending); say it once.
	seen := map[string]bool{}
	for _, s := range sources {
		r := reasonOf(asked, s)
		id := fmt.Sprintf("%q", []any{r.Grant, r.At, r.Role, r.Via, r.ImpliedBy, r.When, r.Scope, r.Note})
		if !seen[id] {
			seen[id] = true
			h.Reasons = append(h.Reasons, r)
		}
	}
	return h
}

func reasonOf(asked *schema.Role, s schema.Source) Reason {
	r := Reason{Via: []string{}}
	if s.Role != nil {
		r.Role = s.Role.Key
		if s.Role != asked {
			r.Via = extendsPath(asked, s.Role)
		}
	}
	if s.ImpliedBy != nil {
		r.ImpliedBy = s.ImpliedBy.Key
	}
	if g := s.Grant; g != nil {
		if g.Pattern != nil {
			r.Grant = g.Pattern.Text
		}
		r.At = g.Pos.String()
		if g.When != nil {
			r.When = g.When.Key
		}
		if g.Scope != nil {
			r.Scope = g.Scope.Key
		}
		r.Note = g.Note
	}
	return r
}

// extendsPath returns the chain of role keys from asked (exclusive) to
// target (inclusive) through `extends`, taking the first path in authored
// order; a role that is not reachable is returned alone so the reason still
// names it.
func extendsPath(asked, target *schema.Role) []string {
	type step struct {
		role *schema.Role
		prev int
	}
	queue := []step{{asked, -1}}
	seen := map[*schema.Role]bool{asked: true}
	for i := 0; i < len(queue); i++ {
		for _, e := range queue[i].role.Extends {
			if e == nil || seen[e] {
				continue
			}
			seen[e] = true
			queue = append(queue, step{e, i})
			if e != target {
				continue
			}
			var path []string
			for j := len(queue) - 1; j > 0; j = queue[j].prev {
				path = append(path, queue[j].role.Key)
			}
			for l, r := 0, len(path)-1; l < r; l, r = l+1, r-1 {
				path[l], path[r] = path[r], path[l]
			}
			return path
		}
	}
	return []string{target.Key}
}

func conditionKeys(cs []*schema.Condition) []string {
	out := []string{}
	for _, c := range cs {
		if c != nil {
			out = append(out, c.Key)
		}
	}
	return out
}

// describe renders a reason as one line of text: how the permission
// reaches the role, then the grant itself.
func (r Reason) describe() string {
	var parts []string
	if r.ImpliedBy != "" {
		parts = append(parts, "implied by "+r.ImpliedBy)
	}
	if len(r.Via) > 0 {
		s := "inherited from " + r.Role
		if len(r.Via) > 1 {
			s += " through " + strings.Join(r.Via[:len(r.Via)-1], " → ")
		}
		parts = append(parts, s)
	}
	if r.Grant != "" {
		var b strings.Builder
		fmt.Fprintf(&b, "grant %q", r.Grant)
		if r.When != "" {
			fmt.Fprintf(&b, " when %s", r.When)
		}
		if r.Scope != "" {
			fmt.Fprintf(&b, " per %s", r.Scope)
		}
		if r.At != "" {
			fmt.Fprintf(&b, " at %s", r.At)
		}
		if r.Note != "" {
			fmt.Fprintf(&b, " (note: %s)", oneLine(r.Note))
		}
		parts = append(parts, b.String())
	}
	if len(parts) == 0 {
		return "no recorded grant"
	}
	return strings.Join(parts, ", ")
}

// writeHolding prints a permission line and its reasons, indented.
func writeHolding(w io.Writer, indent, label string, h Holding) {
	fmt.Fprintf(w, "%s%s", indent, label)
	if h.Name != "" {
		fmt.Fprintf(w, "  %s", oneLine(h.Name))
	}
	fmt.Fprintf(w, "  [%s]", h.condition())
	if h.Deprecated != "" {
		fmt.Fprintf(w, " (deprecated: %s)", oneLine(h.Deprecated))
	}
	fmt.Fprintln(w)
	for _, n := range h.Notes {
		// A grant's note is printed with the grant below; only notes no
		// listed reason carries get a line of their own.
		if !slices.ContainsFunc(h.Reasons, func(r Reason) bool { return r.Note == n }) {
			fmt.Fprintf(w, "%s    note: %s\n", indent, oneLine(n))
		}
	}
	for _, r := range h.Reasons {
		fmt.Fprintf(w, "%s    %s\n", indent, r.describe())
	}
}

// condition says in words when and where the holding applies: "always",
// "when a or b", "always, per facility", and way by way when the ways
// bind different scopes ("always per store; when night everywhere").
func (h Holding) condition() string {
	mixed := false
	for _, w := range h.Ways {
		mixed = mixed || w.Scope != h.Scope
	}
	if mixed {
		parts := make([]string, 0, len(h.Ways))
		for _, w := range h.Ways {
			t := "always"
			if w.When != "" {
				t = "when " + w.When
			}
			if w.Scope != "" {
				t += " per " + w.Scope
			} else {
				t += " everywhere"
			}
			parts = append(parts, t)
		}
		return strings.Join(parts, "; ")
	}
	s := "always"
	if !h.Always {
		s = "when " + strings.Join(h.When, " or ")
	}
	if h.Scope != "" {
		s += ", per " + h.Scope
	}
	return s
}

// oneLine keeps catalog strings on one terminal line: any newline or other
// control character would break the layout (or drive the terminal).
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
}

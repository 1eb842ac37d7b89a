package schema

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
)

// hold accumulates how a role holds one permission while resolving.
type hold struct {
	ways    map[Way]bool
	notes   []string
	sources []Source
}

func (h *hold) addWay(w Way) {
	if h.ways == nil {
		h.ways = map[Way]bool{}
	}
	h.ways[w] = true
}

// add records a note and a source, either of which may be empty.
func (h *hold) add(note string, src Source) {
	if note != "" && !slices.Contains(h.notes, note) {
		h.notes = append(h.notes, note)
	}
	if src.Grant == nil || slices.Contains(h.sources, src) {
		return
	}
	if len(h.sources) < maxSources {
		h.sources = append(h.sources, src)
	}
}

// maxSources is how many sources a hold keeps: enough to explain,
// bounded for huge catalogs.
const maxSources = 16

// always reports whether some way holds without a condition.
func (h *hold) always() bool {
	for w := range h.ways {
		if w.When == nil {
			return true
		}
	}
	return false
}

// wayList returns the ways without those another implies, sorted.
func (h *hold) wayList() []Way {
	out := make([]Way, 0, len(h.ways))
	for w := range h.ways {
		if w.When != nil && h.ways[Way{nil, w.Scope}] || w.Scope != nil && h.ways[Way{w.When, nil}] || w != (Way{}) && h.ways[Way{}] {
			continue // another way holds it whenever this one does
		}
		out = append(out, w)
	}
	idx := func(c *Condition) int {
		if c == nil {
			return -1
		}
		return c.Index
	}
	sidx := func(s *Scope) int {
		if s == nil {
			return -1
		}
		return s.Index
	}
	sort.Slice(out, func(i, j int) bool {
		if a, b := idx(out[i].When), idx(out[j].When); a != b {
			return a < b
		}
		return sidx(out[i].Scope) < sidx(out[j].Scope)
	})
	return out
}

// commonScope is the scope every way binds when they all bind the same
// one, else nil.
func commonScope(ways []Way) *Scope {
	if len(ways) == 0 {
		return nil
	}
	s := ways[0].Scope
	for _, w := range ways[1:] {
		if w.Scope != s {
			return nil
		}
	}
	return s
}

func (h *hold) condList() []*Condition {
	if h.always() {
		return nil
	}
	out := make([]*Condition, 0, len(h.ways))
	for w := range h.ways {
		if !slices.Contains(out, w.When) {
			out = append(out, w.When)
		}
	}
	sortConditions(out)
	return out
}

// compilePattern checks a pattern's syntax.
func compilePattern(s string) ([]string, bool) {
	if s == "" {
		return nil, false
	}
	segs := strings.Split(s, ".")
	for _, x := range segs {
		if x != "*" && x != "**" && !validSegment(x) {
			return nil, false
		}
	}
	return segs, true
}

func hasWildcard(segs []string) bool {
	for _, s := range segs {
		if s == "*" || s == "**" {
			return true
		}
	}
	return false
}

// matchSegs reports whether a pattern's segments match a key's: a literal
// segment matches itself, `*` exactly one segment and `**` one or more.
//
// `**` is one segment followed by a run of any length, so this is the
// classic two-pointer wildcard match: a run first takes nothing, and on a
// mismatch only the last `**` seen takes one more segment. Earlier ones
// need not: whatever they could take, the last one can. That bounds the
// work by len(pat)·len(key) (linear in practice), where trying every
// split for every `**` took exponential time ("**.**.**.…" against a long
// key).
func matchSegs(pat, key []string) bool {
	p, k := 0, 0
	star, starK := -1, 0 // the last `**` seen, and the key segment its run starts after
	for k < len(key) {
		if p < len(pat) {
			switch pat[p] {
			case "**":
				star, starK = p, k
				p, k = p+1, k+1
				continue
			case "*", key[k]:
				p, k = p+1, k+1
				continue
			}
		}
		if star < 0 {
			return false
		}
		// The last ** takes one more segment; match on after it.
		starK++
		p, k = star+1, starK+1
	}
	// The key is used up: every pattern segment left needs one.
	return p == len(pat)
}

// expandPattern returns the permissions a pattern matches, reporting a
// pattern that is malformed or matches nothing.
func (r *resolver) expandPattern(v *Value, what string) []*Permission {
	s, ok := v.String()
	if !ok {
		return nil
	}
	segs, ok := compilePattern(s)
	if !ok {
		r.errf(v.Pos, "bad-pattern", "%s %q is not a pattern: use dotted key segments, `*` for one segment, `**` for one or more", what, s)
		return nil
	}
	if !hasWildcard(segs) {
		if p := r.permBy[s]; p != nil {
			return []*Permission{p}
		}
		if p := r.formerBy[s]; p != nil {
			r.errf(v.Pos, "pattern-no-match", "%s %q: %s was renamed to %s; use the new key", what, s, s, p.Key)
			return nil
		}
		hint := hintKey(r, "permission", s, r.permBy)
		if _, isGroup := r.groupBy[s]; isGroup {
			hint = fmt.Sprintf(" (%s is a group: use %s.* for its own permissions or %s.** for everything under it)", s, s, s)
		} else if g := r.groupFormerly(s); g != nil {
			hint = fmt.Sprintf(" (%s is a group, renamed to %s: use %s.* for its own permissions or %s.** for everything under it)", s, g.Key, g.Key, g.Key)
		}
		r.errf(v.Pos, "pattern-no-match", "%s %q matches no permission%s", what, s, hint)
		return nil
	}
	if r.permSegs == nil {
		r.permSegs = make([][]string, len(r.cat.Permissions))
		for i, p := range r.cat.Permissions {
			r.permSegs[i] = strings.Split(p.Key, ".")
		}
	}
	var out []*Permission
	for i, p := range r.cat.Permissions {
		if matchSegs(segs, r.permSegs[i]) {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		r.errf(v.Pos, "pattern-no-match", "%s %q matches no permission%s", what, s, r.patternHint(segs))
	}
	return out
}

// patternHint helps with a wildcard pattern that matches nothing: when the
// key before its first wildcard is, or starts with, a group's former key,
// it says so and gives the pattern with the group's key; else, when that
// key is no group's, it suggests the closest group key. Only a pattern
// that then matches something is suggested.
func (r *resolver) patternHint(segs []string) string {
	lit := 0
	for lit < len(segs) && segs[lit] != "*" && segs[lit] != "**" {
		lit++
	}
	if lit == 0 {
		return ""
	}
	prefix := strings.Join(segs[:lit], ".")
	if _, ok := r.groupBy[prefix]; ok {
		return ""
	}
	matches := func(pat string) bool {
		ps := strings.Split(pat, ".")
		for i := range r.cat.Permissions {
			if matchSegs(ps, r.permSegs[i]) {
				return true
			}
		}
		return false
	}
	// The longest former group key the prefix starts with.
	for n := lit; n > 0; n-- {
		old := strings.Join(segs[:n], ".")
		g := r.groupFormerly(old)
		if g == nil {
			continue
		}
		pat := strings.Join(append([]string{g.Key}, segs[n:]...), ".")
		if !matches(pat) {
			return fmt.Sprintf(": group %s was renamed to %s", old, g.Key)
		}
		return fmt.Sprintf(": group %s was renamed to %s; use %q", old, g.Key, pat)
	}
	if best, ok := closestKey(r, "group", prefix, r.groupBy); ok {
		if pat := strings.Join(append([]string{best}, segs[lit:]...), "."); matches(pat) {
			return fmt.Sprintf(" (did you mean %q?)", pat)
		}
	}
	return ""
}

func (r *resolver) roles(c *collected) {
	raws := map[*Role]*Value{}
	for _, d := range c.roles {
		if !validSegment(d.key) {
			continue
		}
		ro := &Role{Key: d.key, Pos: d.k.Pos, Index: len(r.cat.Roles), GoName: "Role" + Ident(d.key), TSName: Ident(d.key)}
		ro.Name = fieldStr(d.v, "name") // required by the schema
		ro.Description = fieldStr(d.v, "description")
		ro.Note = fieldStr(d.v, "note")
		goV, _ := d.v.Get("go_name")
		tsV, _ := d.v.Get("ts_name")
		r.overrideNames(goV, tsV, &ro.GoName, &ro.TSName)
		r.cat.Roles = append(r.cat.Roles, ro)
		r.roleBy[ro.Key] = ro
		raws[ro] = d.v
	}
	// failed holds the roles with an error of their own: what they hold
	// is not worth a warning about.
	failed := map[*Role]bool{}
	erred := func(ro *Role, from int) {
		for _, e := range r.errs[from:] {
			if e.Severity == SeverityError {
				failed[ro] = true
				return
			}
		}
	}
	// unresolved holds the roles whose `extends` could not be resolved
	// (an unknown role, a cycle), and those extending them: what they
	// would inherit is missing, so what they lack is not worth reporting.
	unresolved := map[*Role]bool{}
	// extends, landing, grants, except
	for _, ro := range r.cat.Roles {
		v := raws[ro]
		from := len(r.errs)
		ev, _ := v.Get("extends")
		for _, it := range strItems(ev) {
			base := r.roleBy[it.Str]
			if base == nil {
				r.errf(it.Pos, "unknown-role", "role %s extends unknown role %q%s", ro.Key, it.Str, hintKey(r, "role", it.Str, r.roleBy, ro.Key))
				unresolved[ro] = true
				continue
			}
			if base == ro {
				r.errf(it.Pos, "cycle-extends", "role %s extends itself", ro.Key)
				unresolved[ro] = true
				continue
			}
			ro.Extends = append(ro.Extends, base)
			if r.extendsAt == nil {
				r.extendsAt = map[[2]*Role]Pos{}
			}
			r.extendsAt[[2]*Role{ro, base}] = it.Pos
		}
		if lv, _ := v.Get("landing"); lv != nil {
			if s, ok := lv.String(); ok {
				if g := r.groupBy[s]; g != nil {
					ro.Landing = g
				} else if g := r.groupFormerly(s); g != nil {
					r.errf(lv.Pos, "unknown-group", "landing %q: %s was renamed to %s; use the new key", s, s, g.Key)
				} else {
					r.errf(lv.Pos, "unknown-group", "landing %q is not a group%s", s, hintKey(r, "group", s, r.groupBy))
				}
			}
		}
		gv, _ := v.Get("grants")
		type grantKey struct {
			pattern string
			when    *Condition
			scope   *Scope
		}
		seenGrant := map[grantKey]int{}
		for i, it := range listItems(gv) {
			n := len(ro.Grants)
			r.grant(ro, it, i)
			if len(ro.Grants) == n {
				continue
			}
			// The same pattern under the same condition and scope twice
			// is a slip (a merge, a copy): the second adds nothing. A
			// warning, as the grant is harmless (generated catalogs may
			// well repeat one).
			g := ro.Grants[n]
			k := grantKey{g.Pattern.Text, g.When, g.Scope}
			if first, dup := seenGrant[k]; dup {
				r.warnf(g.Pos, "duplicate-grant", "role %s: `grants` lists %s twice (items %d and %d); remove one", ro.Key, g.Pattern.Text, first+1, i+1)
				continue
			}
			seenGrant[k] = i
		}
		xv, _ := v.Get("except")
		for _, it := range strItems(xv) {
			ro.Except = append(ro.Except, &Pattern{Text: it.Str, Pos: it.Pos})
		}
		erred(ro, from)
	}
	from := len(r.errs)
	order := r.extendsOrder(unresolved)
	for changed := true; changed; {
		changed = false
		for _, ro := range r.cat.Roles {
			if !unresolved[ro] && slices.ContainsFunc(ro.Extends, func(b *Role) bool { return unresolved[b] }) {
				unresolved[ro], changed = true, true
			}
		}
	}
	for _, ro := range order {
		at := len(r.errs)
		r.effective(ro, raws[ro], unresolved[ro])
		erred(ro, at)
		if unresolved[ro] {
			failed[ro] = true
		}
	}
	if len(r.errs) > from && slices.ContainsFunc(r.errs[from:], func(e Error) bool { return e.Rule == "cycle-extends" }) {
		return
	}
	r.landingsHeld(raws, failed)
}

// landingsHeld warns about a role that lands on a group of which it holds
// no permission (in any way: under a condition or within a scope counts),
// nor of the groups under it: its users would land on an empty section.
// A role that inherits its landing is reported only when the role it
// inherits from holds some (else that one is reported).
func (r *resolver) landingsHeld(raws map[*Role]*Value, failed map[*Role]bool) {
	holds := func(ro *Role, g *Group) bool {
		for _, eg := range ro.Effective {
			for x := eg.Permission.Group; x != nil; x = x.Parent {
				if x == g {
					return true
				}
			}
		}
		return false
	}
	for _, ro := range r.cat.Roles {
		if ro.Landing == nil || failed[ro] || holds(ro, ro.Landing) {
			continue
		}
		if lv, _ := raws[ro].Get("landing"); lv != nil {
			if s, _ := lv.String(); r.groupBy[s] == ro.Landing {
				r.warnf(lv.Pos, "landing-not-held", "role %s lands on %s, but holds none of its permissions", ro.Key, ro.Landing.Key)
				continue
			}
		}
		for _, b := range ro.Extends {
			if b.Landing == nil {
				continue
			}
			if b.Landing == ro.Landing && !failed[b] && holds(b, b.Landing) {
				r.warnf(ro.Pos, "landing-not-held", "role %s lands on %s, inherited from %s, but holds none of its permissions; set `landing`, or stop excepting them", ro.Key, ro.Landing.Key, b.Key)
			}
			break
		}
	}
}

// rebound finds the first permission (in authored order of the grant's
// matches, then breadth first along implies) that a grant bound to a
// scope would bind through implies, but that is set per another scope of
// its own and so is held per that one instead; and the matched permission
// it is implied through. Only the grant's scope is at issue: a matched or
// implied permission with a scope of its own binds what it implies itself.
func (r *resolver) rebound(g *Grant) (via, q *Permission) {
	for _, p := range g.Matches {
		if p.Scope != nil {
			// Its own scope binds it and what it implies, whatever the
			// grant says (scope-conflict tells when they differ).
			continue
		}
		seen := map[*Permission]bool{p: true}
		next := []*Permission{p}
		for len(next) > 0 {
			x := next[0]
			next = next[1:]
			for _, y := range x.Implies {
				if seen[y] {
					continue
				}
				seen[y] = true
				if y.Scope != nil {
					if y.Scope != g.Scope {
						return p, y
					}
					continue // bound by its own scope from here on
				}
				next = append(next, y)
			}
		}
	}
	return nil, nil
}

// grantOptions are the fields of a grant's options (catalog.schema.json,
// $defs.grant).
var grantOptions = []string{"when", "scope", "note"}

// optionsSlip reports whether the grant item it, a mapping, is a pattern
// with nothing under it followed by grant options indented like it rather
// than under it (`- orders.edit:`, then `when: night_shift` on the next
// line in the column of orders.edit), which YAML reads as one mapping of
// two keys.
func optionsSlip(it *Value) bool {
	if len(it.Keys) < 2 || it.Vals[0].Kind != KindNull || slices.Contains(grantOptions, it.Keys[0].Str) {
		return false
	}
	for _, k := range it.Keys[1:] {
		if !slices.Contains(grantOptions, k.Str) {
			return false
		}
	}
	return true
}

// flowText is how the option value v is written in the flow mapping of a
// hint: as is when plain and safe there, else elided.
func flowText(v *Value) string {
	s, ok := v.String()
	if !ok || s == "" || len(s) > 40 || s[0] == ' ' || s[0] == '-' || strings.HasSuffix(s, " ") {
		return "…"
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-' || c == ' ') {
			return "…"
		}
	}
	return s
}

// reportOptionsSlip reports the grant item it (item i of the role's
// grants), whose options are indented like its pattern, once, and keeps
// the schema's findings about the shape it has out of the way.
func (r *resolver) reportOptionsSlip(ro *Role, it *Value, i int) {
	pattern := it.Keys[0].Str
	var names, flow []string
	for j, k := range it.Keys[1:] {
		names = append(names, "`"+k.Str+"`")
		flow = append(flow, k.Str+": "+flowText(it.Vals[j+1]))
	}
	what := names[0] + " is"
	if len(names) > 1 {
		what = strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1] + " are"
	}
	r.errf(it.Pos, "grant-options-indent", "role %s: `grants` item %d: %s indented like the pattern %s, not under it; indent a grant's options deeper than its pattern, or write `- %s: {%s}`",
		ro.Key, i+1, what, printable(pattern), printable(pattern), strings.Join(flow, ", "))
	r.quietWithin(it)
}

func (r *resolver) grant(ro *Role, it *Value, i int) {
	g := &Grant{Pos: it.Pos}
	var pv, opts *Value
	switch it.Kind {
	case KindString:
		pv = it
	case KindMap:
		switch {
		case len(it.Keys) == 1:
			opts = it.Vals[0]
		case optionsSlip(it):
			// Reported once; the grant is taken as meant.
			r.reportOptionsSlip(ro, it, i)
			opts = &Value{Kind: KindMap, Pos: it.Keys[1].Pos, Keys: it.Keys[1:], Vals: it.Vals[1:]}
		default:
			return // the schema reports it
		}
		pv = it.Keys[0]
		if wv, _ := opts.Get("when"); wv != nil {
			if s, ok := wv.String(); ok {
				if c := r.condBy[s]; c != nil {
					g.When = c
					r.usedCond[c] = true
				} else {
					r.errf(wv.Pos, "unknown-condition", "unknown condition %q%s; declare it under `conditions:`", s, hintKey(r, "condition", s, r.condBy))
				}
			}
		}
		if sv, _ := opts.Get("scope"); sv != nil {
			g.Scope = r.scopeRef(sv)
		}
		g.Note = fieldStr(opts, "note")
	default:
		return
	}
	g.Pattern = &Pattern{Text: pv.Str, Pos: pv.Pos}
	g.Pos = pv.Pos
	g.Matches = r.expandPattern(pv, "grant")
	if g.Scope != nil {
		sv, _ := opts.Get("scope")
		for _, p := range g.Matches {
			if p.Scope != nil && p.Scope != g.Scope {
				r.errf(sv.Pos, "scope-conflict", "role %s binds %s to scope %s, but it is set per %s; bind it to %s or drop the grant's scope", ro.Key, p.Key, g.Scope.Key, p.Scope.Key, p.Scope.Key)
				if r.scopeConflict == nil {
					r.scopeConflict = map[*Grant]bool{}
				}
				r.scopeConflict[g] = true
				break
			}
		}
		if p, q := r.rebound(g); q != nil {
			r.warnf(sv.Pos, "implied-scope", "role %s binds %s to scope %s, but %s implies %s, which is set per %s: the role holds %s per %s, not per %s", ro.Key, g.Pattern.Text, g.Scope.Key, p.Key, q.Key, q.Scope.Key, q.Key, q.Scope.Key, g.Scope.Key)
		}
	}
	if len(g.Matches) == 1 && g.Matches[0].Key == pv.Str && g.Matches[0].IsDeprecated() {
		r.warnf(pv.Pos, "deprecated-grant", "role %s grants deprecated permission %s: %s", ro.Key, pv.Str, g.Matches[0].Deprecated)
	}
	ro.Grants = append(ro.Grants, g)
}

// groupFormerly returns the group that key was a former key of, or nil.
func (r *resolver) groupFormerly(key string) *Group {
	for _, g := range r.cat.Groups {
		if slices.Contains(g.Formerly, key) {
			return g
		}
	}
	return nil
}

// extendsOrder returns roles with every role after the roles it extends,
// reporting cycles and adding the roles on them to unresolved.
func (r *resolver) extendsOrder(unresolved map[*Role]bool) []*Role {
	state := map[*Role]int{}
	var out []*Role
	var stack []*Role
	var visit func(ro *Role)
	visit = func(ro *Role) {
		state[ro] = 1
		stack = append(stack, ro)
		for _, b := range ro.Extends {
			switch state[b] {
			case 0:
				visit(b)
			case 1:
				var cyc []string
				for i := len(stack) - 1; i >= 0; i-- {
					cyc = append([]string{stack[i].Key}, cyc...)
					unresolved[stack[i]] = true
					if stack[i] == b {
						break
					}
				}
				cyc = append(cyc, b.Key)
				r.errf(r.extendsAt[[2]*Role{ro, b}], "cycle-extends", "cycle in `extends`: %s", strings.Join(cyc, " → "))
			}
		}
		stack = stack[:len(stack)-1]
		state[ro] = 2
		out = append(out, ro)
	}
	for _, ro := range r.cat.Roles {
		if state[ro] == 0 {
			visit(ro)
		}
	}
	return out
}

// effective computes the role's effective set and checks it; unresolved
// says its `extends` could not be resolved (reported already), so what it
// lacks may well be what it would inherit, and is not reported.
func (r *resolver) effective(ro *Role, raw *Value, unresolved bool) {
	held := map[*Permission]*hold{}
	get := func(p *Permission) *hold {
		h := held[p]
		if h == nil {
			h = &hold{}
			held[p] = h
		}
		return h
	}
	ownLanding := ro.Landing != nil
	var landingFrom *Role
	for _, b := range ro.Extends {
		if !ownLanding && b.Landing != nil {
			if ro.Landing == nil {
				ro.Landing, landingFrom = b.Landing, b
			} else if b.Landing != ro.Landing {
				r.warnf(ro.Pos, "ambiguous-landing", "role %s lands on %s, inherited from %s (the first role in extends with a landing); %s lands on %s; set `landing` to choose", ro.Key, ro.Landing.Key, landingFrom.Key, b.Key, b.Landing.Key)
			}
		}
		for _, eg := range b.Effective {
			h := get(eg.Permission)
			for _, w := range eg.Ways {
				h.addWay(w)
			}
			for _, src := range eg.Sources {
				h.add("", src)
			}
			for _, n := range eg.Notes {
				h.add(n, Source{})
			}
		}
	}
	for _, g := range ro.Grants {
		for _, p := range g.Matches {
			h := get(p)
			// The permission's own scope wins: a grant bound to another
			// is an error of its own (scope-conflict), and either fix it
			// names leaves the permission held per its own scope.
			scope := p.Scope
			if scope == nil {
				scope = g.Scope
			}
			h.addWay(Way{g.When, scope})
			h.add(g.Note, Source{Role: ro, Grant: g})
		}
	}
	// Close under implies. Direct holds are final here: closure only adds
	// to the permissions they imply, and the closure is transitive.
	direct := make([]*Permission, 0, len(held))
	for p := range held {
		direct = append(direct, p)
	}
	sort.Slice(direct, func(i, j int) bool { return direct[i].Index < direct[j].Index })
	snap := map[*Permission]hold{}
	for _, p := range direct {
		h := *held[p]
		h.ways = maps.Clone(h.ways)
		snap[p] = h
	}
	// An implied permission with maxSources sources is passed over from
	// then on where only sources are added (sourced), and one also held
	// always wherever ways are added too (full): adding to it changes
	// nothing (see hold.add and wayList). For a role holding each of a
	// long implies chain, going through every closure would take time
	// quadratic in it.
	full, sourced := skipper{}, skipper{}
	fill := func(q *Permission, hq *hold) {
		if len(hq.sources) >= maxSources {
			i := int32(q.Index)
			sourced[i] = i + 1
			if hq.ways[Way{}] {
				full[i] = i + 1
			}
		}
	}
	// What a walk carrying scope along implies has been through, from any
	// permission (its ways are a set: a second walk adds nothing).
	type at struct {
		p    *Permission
		s    *Scope
		when *Condition
	}
	seen := map[at]bool{}
	for _, p := range direct {
		hp := snap[p]
		// What p's implied permissions are held through: p's grants. A
		// source of p that is itself implied by another permission is
		// left out: that one implies them too and cites its own grant.
		var srcs []Source
		for _, s := range hp.sources {
			if s.ImpliedBy == nil {
				s.ImpliedBy = p
				srcs = append(srcs, s)
			}
		}
		if len(srcs) == 0 {
			// p is itself only implied (by what a role it extends holds):
			// whatever implies p implies what p implies, so p's own
			// sources, as they are, are why.
			srcs = hp.sources
		}
		if !r.closureScoped(p) {
			// Nothing on the way has a scope of its own: every implied
			// permission is bound like p.
			r.eachImplied(p, full, func(q *Permission) {
				hq := get(q)
				for w := range hp.ways {
					hq.addWay(w)
				}
				for _, src := range srcs {
					hq.add("", src)
				}
				fill(q, hq)
			})
			continue
		}
		r.eachImplied(p, sourced, func(q *Permission) {
			hq := get(q)
			for _, src := range srcs {
				hq.add("", src)
			}
			fill(q, hq)
		})
		// Scope is carried step by step along implies: a permission with a
		// scope of its own binds what it implies in turn.
		for w := range hp.ways {
			var walk func(x *Permission, s *Scope)
			walk = func(x *Permission, s *Scope) {
				for _, q := range x.Implies {
					qs := s
					if q.Scope != nil {
						qs = q.Scope
					}
					if !seen[at{q, qs, w.When}] {
						seen[at{q, qs, w.When}] = true
						get(q).addWay(Way{w.When, qs})
						walk(q, qs)
					}
				}
			}
			walk(p, w.Scope)
		}
	}
	// except
	removedBy := map[*Permission]*Pattern{}
	for _, x := range ro.Except {
		for _, p := range r.expandPattern(&Value{Kind: KindString, Str: x.Text, Pos: x.Pos}, "except") {
			if _, ok := held[p]; ok {
				delete(held, p)
				removedBy[p] = x
			}
		}
	}
	if len(removedBy) > 0 {
		removed := make([]*Permission, 0, len(removedBy))
		for q := range removedBy {
			removed = append(removed, q)
		}
		slices.SortFunc(removed, func(a, b *Permission) int { return a.Index - b.Index })
		for p := range held {
			r.impliedAmong(p, removed, func(q *Permission) {
				how := (&EffectiveGrant{Permission: p, When: held[p].condList(), Ways: held[p].wayList()}).WaysText()
				r.errf(removedBy[q].Pos, "except-still-implied", "role %s: except removes %s, but the role still holds %s %s, which implies it; except %s too, or drop this except", ro.Key, q.Key, p.Key, how, p.Key)
			})
		}
	}
	keys := make([]*Permission, 0, len(held))
	for p := range held {
		keys = append(keys, p)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].Index < keys[j].Index })
	for _, p := range keys {
		h := held[p]
		ways := h.wayList()
		ro.Effective = append(ro.Effective, &EffectiveGrant{Permission: p, Always: h.always(), When: h.condList(), Scope: commonScope(ways), Ways: ways, Notes: h.notes, Sources: h.sources})
	}
	r.checkRequires(ro, removedBy, unresolved)
}

// impliedAmong calls f with each permission of removed (in index order)
// that p implies, in index order: without going through p's whole
// closure when removed is much shorter (a role holding each of a long
// implies chain would take time quadratic in it).
func (r *resolver) impliedAmong(p *Permission, removed []*Permission, f func(q *Permission)) {
	if cr := r.cyclic[p]; cr != nil && p.ImpliesClosure == nil {
		for _, q := range removed {
			if q != p && cr.has(q.Index) {
				f(q)
			}
		}
		return
	}
	cl := p.ImpliesClosure
	if len(cl) <= 8*len(removed) {
		for _, q := range cl {
			if _, ok := slices.BinarySearchFunc(removed, q.Index, byIndex); ok {
				f(q)
			}
		}
		return
	}
	for _, q := range removed {
		if _, ok := slices.BinarySearchFunc(cl, q.Index, byIndex); ok {
			f(q)
		}
	}
}

func byIndex(p *Permission, i int) int { return p.Index - i }

// unmetRequirement says how the role's holding of q falls short of what
// holding p (as eg) needs, or "" when q is held under the same or a weaker
// condition.
func unmetRequirement(eg, hq *EffectiveGrant, q *Permission) string {
	switch {
	case hq == nil:
		return "not " + q.Key
	case hq.Always:
		return ""
	case eg.Always:
		return q.Key + " only " + whenText(hq.When)
	}
	var lack []string
	for _, c := range eg.When {
		if !containsCond(hq.When, c) {
			lack = append(lack, c.Key)
		}
	}
	if len(lack) > 0 {
		return "not " + q.Key + " when " + strings.Join(lack, " or ")
	}
	return ""
}

// checkRequires enforces that every held permission has what it requires
// under the same or a weaker condition. removedBy maps what the role's
// own except removed to the except item. When the role's `extends` is
// unresolved, only what its own except removes is reported: nothing it
// could inherit would bring that back.
func (r *resolver) checkRequires(ro *Role, removedBy map[*Permission]*Pattern, unresolved bool) {
	for _, eg := range ro.Effective {
		p := eg.Permission
		for _, q := range p.Requires {
			hq := ro.EffectiveOf(q)
			missing, hint := unmetRequirement(eg, hq, q), "so grant it"+condHint(eg)
			// The way p is held that lacks q, and the grant behind that way.
			var want Way
			scoped := false
			if missing != "" {
				want = lackingCondition(eg, hq)
			} else if w, ok := lackingScope(eg, hq); ok {
				want, scoped = w, true
			}
			src := sourceOfWay(ro, eg, want, scoped)
			grant := p.Key
			if src != nil && src.Grant.Pattern != nil {
				grant = src.Grant.Pattern.Text
			}
			if missing == "" {
				missing, hint = unmetScope(eg, hq, q, grant)
				if src != nil && r.scopeConflict[src.Grant] {
					// The grant's scope is the problem, and reported as such.
					continue
				}
			}
			if missing == "" || inheritedProblem(ro, p, q) {
				continue
			}
			pos, how := ro.Pos, ""
			if src != nil {
				pos = src.Grant.Pos
				if src.Role != ro {
					how = fmt.Sprintf(" (inherited from role %s, granted at %s)", src.Role.Key, src.Grant.Pos)
				}
				if src.ImpliedBy != nil {
					how += fmt.Sprintf(" (implied by %s)", src.ImpliedBy.Key)
				}
			}
			x, removed := removedBy[q]
			if unresolved && !removed {
				continue
			}
			if removed {
				r.errf(x.Pos, "requires-unmet", "role %s: except removes %s, but the role still holds %s %s%s, which requires it; except %s too, or drop this except", ro.Key, q.Key, p.Key, eg.WaysText(), how, p.Key)
				continue
			}
			r.errf(pos, "requires-unmet", "role %s holds %s %s%s but %s; %s requires %s, %s", ro.Key, p.Key, eg.WaysText(), how, missing, p.Key, q.Key, hint)
		}
	}
}

// lackingCondition is the way (only its condition matters) eg is held
// that the holding hq of what it requires does not cover, when
// unmetRequirement finds one: always when eg is held always, else the
// first of eg's conditions hq lacks.
func lackingCondition(eg, hq *EffectiveGrant) Way {
	if eg.Always {
		return Way{}
	}
	for _, c := range eg.When {
		if hq == nil || !hq.Always && !containsCond(hq.When, c) {
			return Way{When: c}
		}
	}
	return Way{}
}

// lackingScope is the first way eg is held that no way hq is held covers
// (same or weaker condition, same scope or none), as unmetScope decides.
func lackingScope(eg, hq *EffectiveGrant) (Way, bool) {
	if hq == nil {
		return Way{}, false
	}
	for _, w := range eg.Ways {
		if !slices.ContainsFunc(hq.Ways, func(x Way) bool {
			return (x.When == nil || x.When == w.When) && (x.Scope == nil || x.Scope == w.Scope)
		}) {
			return w, true
		}
	}
	return Way{}, false
}

// sourceOfWay is the source behind the role's holding eg that gives the
// way want: under its condition and, when scoped, bound to its scope. The
// role's own grant comes before an inherited one; failing an exact match,
// the one under the condition, then any grant. nil when no source has a
// grant.
func sourceOfWay(ro *Role, eg *EffectiveGrant, want Way, scoped bool) *Source {
	var best *Source
	bestRank := 0
	for i := range eg.Sources {
		s := &eg.Sources[i]
		if s.Grant == nil {
			continue
		}
		rank := 0
		if s.Role != ro {
			rank++ // inherited: after the role's own
		}
		if s.Grant.When != want.When {
			rank += 4
		}
		if scoped && sourceScope(eg.Permission, s) != want.Scope {
			rank += 2
		}
		if best == nil || rank < bestRank {
			best, bestRank = s, rank
		}
	}
	return best
}

// sourceScope is the scope a source binds the permission p to: p's own
// scope if it has one (a grant bound to another is a scope-conflict);
// else a direct grant binds the scope it names, and an implied
// permission is bound like the permission that implies it: by that one's
// own scope, else by the grant's.
func sourceScope(p *Permission, s *Source) *Scope {
	switch {
	case p.Scope != nil:
		return p.Scope
	case s.ImpliedBy == nil:
		return s.Grant.Scope
	case s.ImpliedBy.Scope != nil:
		return s.ImpliedBy.Scope
	}
	return s.Grant.Scope
}

// unmetScope says how the role's holding of q falls short in scope of
// what holding p needs (each way p is held needs a way q is held under the
// same or a weaker condition, bound to the same scope or to none), with a
// hint; "" when it does not.
func unmetScope(eg, hq *EffectiveGrant, q *Permission, grant string) (string, string) {
	if hq == nil {
		return "", ""
	}
	for _, w := range eg.Ways {
		if !slices.ContainsFunc(hq.Ways, func(x Way) bool {
			return (x.When == nil || x.When == w.When) && (x.Scope == nil || x.Scope == w.Scope)
		}) {
			hint := "so grant it everywhere"
			if w.Scope != nil {
				hint += " or per " + w.Scope.Key
			}
			switch p := eg.Permission; {
			case q.Scope != nil && p.Scope != nil && p.Scope != q.Scope:
				// Neither can be bound to another scope: no grant meets it.
				hint = fmt.Sprintf("but %s is set per %s and %s per %s, so no grant can meet the requirement; set both per the same scope, or drop the requirement", p.Key, p.Scope.Key, q.Key, q.Scope.Key)
			case q.Scope != nil && strings.Contains(grant, "*"):
				// Binding a wildcard grant would bind everything it
				// matches: the requiring permission wants the scope.
				hint = fmt.Sprintf("and %s is set per %s, so set `scope: %s` on %s (or its group)", q.Key, q.Scope.Key, q.Scope.Key, p.Key)
			case q.Scope != nil && w.Scope != nil:
				// The grant is bound to another scope already.
				hint = fmt.Sprintf("and %s is set per %s, so bind the grant %q to %s", q.Key, q.Scope.Key, grant, q.Scope.Key)
			case q.Scope != nil:
				// q is only ever held per its own scope: p must be bound
				// to it instead.
				hint = fmt.Sprintf("and %s is set per %s, so bind the grant %q to %s, or set `scope: %s` on %s", q.Key, q.Scope.Key, grant, q.Scope.Key, q.Scope.Key, p.Key)
			}
			return q.Key + " only " + hq.WaysText(), hint
		}
	}
	return "", ""
}

// WaysText says how a role holds a permission: "always", "when c1 or
// c2", and where some way is bound to a scope, which ("always per
// facility", "always per store; when c1 everywhere").
func (eg *EffectiveGrant) WaysText() string {
	bound := false
	for _, w := range eg.Ways {
		bound = bound || w.Scope != nil
	}
	if !bound {
		return whenText(eg.When)
	}
	parts := make([]string, 0, len(eg.Ways))
	for _, w := range eg.Ways {
		t := "always"
		if w.When != nil {
			t = "when " + w.When.Key
		}
		if w.Scope != nil {
			t += " per " + w.Scope.Key
		} else {
			t += " everywhere"
		}
		parts = append(parts, t)
	}
	return strings.Join(parts, "; ")
}

func condHint(eg *EffectiveGrant) string {
	if eg.Always {
		return " unconditionally"
	}
	return " unconditionally or under the same condition"
}

func whenText(cs []*Condition) string {
	if len(cs) == 0 {
		return "always"
	}
	var ks []string
	for _, c := range cs {
		ks = append(ks, c.Key)
	}
	return "when " + strings.Join(ks, " or ")
}

func containsCond(cs []*Condition, c *Condition) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}

// inheritedProblem reports whether the role only passes on a violation an
// extended role already has (and was reported for): every source of p is
// inherited, and some extended role holding p lacks q in the same way.
func inheritedProblem(ro *Role, p, q *Permission) bool {
	eg := ro.EffectiveOf(p)
	for _, s := range eg.Sources {
		if s.Role == ro {
			return false
		}
	}
	for _, b := range ro.Extends {
		if bp := b.EffectiveOf(p); bp != nil {
			if missing, _ := unmetScope(bp, b.EffectiveOf(q), q, ""); missing != "" || unmetRequirement(bp, b.EffectiveOf(q), q) != "" {
				return true
			}
		}
	}
	return false
}

func (r *resolver) profiles(c *collected) {
	for _, d := range c.profls {
		if !validSegment(d.key) {
			continue
		}
		pr := &Profile{Key: d.key, Pos: d.k.Pos, Index: len(r.cat.Profiles), GoName: "Profile" + Ident(d.key), TSName: Ident(d.key)}
		pr.Name = fieldStr(d.v, "name")
		if nv, _ := d.v.Get("name"); nv == nil && d.v.Kind == KindMap {
			r.errf(d.k.Pos, "profile-missing-name", "profile %s has no `name`", d.key)
		}
		pr.Description = fieldStr(d.v, "description")
		pr.Note = fieldStr(d.v, "note")
		goV, _ := d.v.Get("go_name")
		tsV, _ := d.v.Get("ts_name")
		r.overrideNames(goV, tsV, &pr.GoName, &pr.TSName)
		seen := map[*Permission]bool{}
		rv, rk := d.v.Get("requires")
		for _, it := range strItems(rv) {
			pr.Patterns = append(pr.Patterns, &Pattern{Text: it.Str, Pos: it.Pos})
			ps := r.expandPattern(it, "profile requirement")
			for _, p := range ps {
				seen[p] = true
			}
			// As with grants, only an exact key warns: a pattern that
			// happens to match a deprecated permission does not.
			if len(ps) == 1 && ps[0].Key == it.Str && ps[0].IsDeprecated() {
				r.warnf(it.Pos, "deprecated-requirement", "profile %s requires deprecated permission %s: %s", pr.Key, it.Str, ps[0].Deprecated)
			}
		}
		if rk == nil && d.v.Kind == KindMap {
			r.errf(d.k.Pos, "profile-empty", "profile %s has no `requires`", d.key)
		} else if rv != nil && rv.Kind == KindList && len(rv.List) == 0 {
			// Met by everyone, so it checks nothing.
			r.errf(rk.Pos, "profile-empty", "profile %s requires nothing; list the permissions it needs", d.key)
		}
		for _, p := range r.cat.Permissions {
			if seen[p] {
				pr.Requires = append(pr.Requires, p)
			}
		}
		r.cat.Profiles = append(r.cat.Profiles, pr)
	}
}

// identifiers reports derived names that collide with each other, with the
// generated API or with reserved words.
func (r *resolver) identifiers() {
	// owner says who claimed a name; the text is built only on collision.
	type owner struct {
		kind string // "permission", "group", …
		key  string
		pos  Pos
		name *string // the name's field, to find a go_name or ts_name that set it
	}
	describe := func(o owner) string {
		if o.key == "" {
			return o.kind
		}
		s := o.kind + " " + o.key
		if o.pos.Line > 0 {
			s += " (" + o.pos.String() + ")"
		}
		return s
	}
	claim := func(space map[string]owner, lang, name string, o owner) {
		if prev, ok := space[name]; ok {
			field := "go_name"
			if lang == "TypeScript" {
				field = "ts_name"
			}
			at, fix := o.pos, "set `"+field+"` to resolve it"
			if set, ok := r.setNames[o.name]; ok && o.name != nil {
				at, fix = set, "choose another `"+field+"`"
			} else if set, ok := r.setNames[prev.name]; ok && prev.name != nil {
				// The earlier claim is the one a go_name or ts_name made:
				// report it there, whatever came first in the file.
				r.errf(set, "ident-collision", "%s identifier %s of %s %s collides with %s; choose another `%s`", lang, name, prev.kind, prev.key, describe(o), field)
				return
			} else if o.kind == "condition" || o.kind == "scope" {
				fix = "rename the " + o.kind
			}
			r.errf(at, "ident-collision", "%s identifier %s of %s %s collides with %s; %s", lang, name, o.kind, o.key, describe(prev), fix)
			return
		}
		space[name] = o
	}
	n := len(r.cat.Permissions) + len(r.cat.Groups) + len(r.cat.Roles) + len(r.cat.Profiles) + len(r.cat.Scopes) + len(GoAPINames)
	goNames := make(map[string]owner, n)
	for _, name := range GoAPINames {
		goNames[name] = owner{kind: "the generated Go API"}
	}
	for _, p := range r.cat.Permissions {
		claim(goNames, "Go", p.GoName, owner{"permission", p.Key, p.Pos, &p.GoName})
	}
	for _, g := range r.cat.Groups {
		claim(goNames, "Go", g.GoName, owner{"group", g.Key, g.Pos, &g.GoName})
	}
	for _, ro := range r.cat.Roles {
		claim(goNames, "Go", ro.GoName, owner{"role", ro.Key, ro.Pos, &ro.GoName})
	}
	for _, pr := range r.cat.Profiles {
		claim(goNames, "Go", pr.GoName, owner{"profile", pr.Key, pr.Pos, &pr.GoName})
	}
	for _, s := range r.cat.Scopes {
		claim(goNames, "Go", s.GoName, owner{"scope", s.Key, s.Pos, nil})
	}
	fields := map[string]owner{}
	tsFields := map[string]owner{}
	for _, name := range objectMembers {
		tsFields[name] = owner{kind: "a member every JavaScript object has (Object.prototype)"}
	}
	for _, c := range r.cat.Conditions {
		claim(fields, "Go", c.GoName, owner{"condition", c.Key, c.Pos, nil})
		claim(tsFields, "TypeScript", c.TSName, owner{"condition", c.Key, c.Pos, nil})
	}

	perms := make(map[string]owner, len(r.cat.Permissions))
	for _, p := range r.cat.Permissions {
		claim(perms, "TypeScript", p.TSName, owner{"permission", p.Key, p.Pos, &p.TSName})
	}
	roles, profs, groups, scopes := map[string]owner{}, map[string]owner{}, map[string]owner{}, map[string]owner{}
	for _, ro := range r.cat.Roles {
		claim(roles, "TypeScript", ro.TSName, owner{"role", ro.Key, ro.Pos, &ro.TSName})
	}
	for _, pr := range r.cat.Profiles {
		claim(profs, "TypeScript", pr.TSName, owner{"profile", pr.Key, pr.Pos, &pr.TSName})
	}
	for _, g := range r.cat.Groups {
		claim(groups, "TypeScript", g.TSName, owner{"group", g.Key, g.Pos, &g.TSName})
	}
	for _, s := range r.cat.Scopes {
		claim(scopes, "TypeScript", s.TSName, owner{"scope", s.Key, s.Pos, nil})
	}
}

// assignIDs gives every permission its stable ID from the old lock, new
// keys the next free IDs, and computes the new lock.
func (r *resolver) assignIDs(old *Lock) {
	var entries []LockEntry
	var maxID uint32
	var current, former map[string]int // an entry's current key, and the keys it was once known by → entry
	if old != nil {
		entries = make([]LockEntry, len(old.Entries), len(old.Entries)+len(r.cat.Permissions))
		copy(entries, old.Entries)
		current = make(map[string]int, len(entries))
		formers := 0
		for i, e := range entries {
			current[e.Key] = i
			maxID = max(maxID, e.ID)
			formers += len(e.Former)
		}
		former = make(map[string]int, formers)
		for i, e := range entries {
			for _, f := range e.Former {
				if _, ok := former[f]; !ok {
					former[f] = i
				}
			}
		}
	}
	claimed := make([]*Permission, len(entries)) // by entry
	claim := func(p *Permission, i int) {
		claimed[i] = p
		e := &entries[i]
		p.ID = e.ID
		if e.Key != p.Key {
			e.Former = appendUnique(e.Former, e.Key)
			e.Key = p.Key
		}
		e.Retired = false
	}
	// First a permission keeps the ID its own key has; only then may it
	// take an ID through `formerly`. A key that was renamed away never
	// pulls its old ID back: that ID belongs to the permission it moved to.
	var rest []*Permission
	for _, p := range r.cat.Permissions {
		if i, ok := current[p.Key]; ok && claimed[i] == nil {
			claim(p, i)
		} else {
			rest = append(rest, p)
		}
	}
	var fresh []*Permission
	for _, p := range rest {
		// A former key that is an entry's current key (a rename) is
		// looked for before one the lock lists among an entry's former
		// keys, whatever their order in `formerly`.
		found := false
		for _, idx := range []map[string]int{current, former} {
			for _, f := range p.Formerly {
				if i, ok := idx[f]; ok && claimed[i] == nil && !found {
					claim(p, i)
					found = true
				}
			}
		}
		if !found {
			fresh = append(fresh, p)
		}
	}
	for i := range entries {
		if claimed[i] == nil {
			entries[i].Retired = true
		}
	}
	// A first run (no lock yet) counts every former key the catalog gives
	// a permission, those its groups' `formerly` give it included, and the
	// lock it writes records them: the next run, which keeps only former
	// keys the lock knows, then gives the same output.
	first := old == nil || len(old.Entries) == 0
	for _, p := range fresh {
		maxID++
		p.ID = maxID
		e := LockEntry{ID: p.ID, Key: p.Key}
		if first && len(p.Formerly) > 0 {
			e.Former = slices.Clone(p.Formerly)
		}
		entries = append(entries, e)
		if i, ok := former[p.Key]; ok {
			r.warnf(p.Pos, "key-reused", "key %s once named ID %d (now %s); the new permission gets ID %d, so rows that still store the old key now mean this permission", p.Key, entries[i].ID, entries[i].Key, p.ID)
		}
	}
	// A former key that is the key of an ID this run retires (two
	// permissions merged into one) is warned of once, in that run: stored
	// keys will mean the permission that took it, stored IDs will not.
	if !first {
		for _, p := range r.cat.Permissions {
			for _, f := range p.Formerly {
				if j, cur := current[f]; cur && entries[j].Retired && !old.Entries[j].Retired && claimed[j] == nil {
					r.warnf(p.Pos, "formerly-retired", "permission %s (ID %d) takes former key %s, whose ID %d this run retires: stored keys %s will mean %s, but a stored ID %d will not", p.Key, p.ID, f, entries[j].ID, f, p.Key, entries[j].ID)
				}
			}
		}
	}
	// The lock's entries come sorted and new IDs are above them all, so
	// this sorts nothing unless a hand-built Lock was passed in.
	if !sort.SliceIsSorted(entries, func(i, j int) bool { return entries[i].ID < entries[j].ID }) {
		sort.Slice(entries, func(i, j int) bool { return entries[i].ID < entries[j].ID })
	}
	r.cat.Lock = &Lock{Catalog: r.cat.Name, Entries: entries}
	r.cat.MaxID = maxID
	if old != nil && old.Catalog != "" && r.cat.Name != "" && old.Catalog != r.cat.Name {
		at := old.catalogAt
		if at.Line == 0 {
			at = Pos{File: lockPathFor(r.cat.Root), Line: 1, Col: 1}
		}
		r.errf(at, "lock-catalog",
			"permcat.lock belongs to catalog %q, not %q: give each catalog its own directory (if you renamed the catalog, change the lock's `catalog` line too)", old.Catalog, r.cat.Name)
	}
}

// objectMembers are names every JavaScript object already has; a
// Conditions field of that name would make `{}` fail to type-check.
var objectMembers = []string{"constructor", "toString", "valueOf", "hasOwnProperty", "isPrototypeOf",
	"propertyIsEnumerable", "toLocaleString", "__proto__", "__defineGetter__", "__defineSetter__",
	"__lookupGetter__", "__lookupSetter__"}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func (r *resolver) unused(c *collected) {
	for _, s := range r.cat.Scopes {
		if !r.usedScope[s] {
			r.warnf(s.Pos, "unused-scope", "scope %s is declared but nothing uses it", s.Key)
		}
	}
	for _, x := range r.cat.Conditions {
		if !r.usedCond[x] {
			r.warnf(x.Pos, "unused-condition", "condition %s is declared but no grant uses it", x.Key)
		}
	}
	for _, d := range c.presets {
		if !r.usedPreset[d.key] && validSegment(d.key) { // the schema reports a bad key
			r.warnf(d.k.Pos, "unused-preset", "preset %s is declared but no group uses it", d.key)
		}
	}
}

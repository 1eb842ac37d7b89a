package diff

import (
	"slices"
	"strings"

	"github.com/permcat/permcat/schema"
)

// holding is when a role holds a permission: always, or when any of the
// named conditions is true. The zero value is "never". Conditions are
// compared by key, the identity services use to set them.
type holding struct {
	always bool
	when   []string // condition keys, authored order
}

func holdingOf(g *schema.EffectiveGrant) holding {
	if g == nil {
		return holding{}
	}
	if g.Always {
		return holding{always: true}
	}
	var h holding
	for _, c := range g.When {
		if c != nil && !contains(h.when, c.Key) {
			h.when = append(h.when, c.Key)
		}
	}
	return h
}

func (h holding) held() bool { return h.always || len(h.when) > 0 }

// minus returns the conditions of h that o lacks.
func (h holding) minus(o holding) []string {
	var out []string
	for _, k := range h.when {
		if !contains(o.when, k) {
			out = append(out, k)
		}
	}
	return out
}

// gained says under which conditions n holds a permission that o did not,
// or "" when there are none. A grant holds under a set of true conditions
// when it is Always or any of its conditions is in the set, so n exceeds o
// exactly when o is not Always and n is Always or names a condition o
// lacks.
func gained(o, n holding) string {
	switch {
	case o.always || !n.held():
		return ""
	case n.always && len(o.when) == 0:
		return "always"
	case n.always:
		return "always; before only when " + or(o.when)
	}
	if extra := n.minus(o); len(extra) > 0 {
		return "when " + or(extra)
	}
	return ""
}

// lost is gained seen from the other side, worded for what goes away.
func lost(o, n holding) string {
	switch {
	case n.always || !o.held():
		return ""
	case o.always && len(n.when) == 0:
		return "always"
	case o.always:
		return "unless " + or(n.when)
	}
	if gone := o.minus(n); len(gone) > 0 {
		return "when " + or(gone)
	}
	return ""
}

func or(keys []string) string { return strings.Join(keys, " or ") }

// access compares what role o (OLD) and n (NEW) effectively hold, permission
// by permission (matched by identity, so a permission that moved is neither
// lost nor gained), in NEW's authored order, then the permissions NEW
// deleted in OLD's. A deleted permission the role held is a loss as well
// as a PERMISSION_DELETED: the role tables and --fail-on access must see
// it whatever --allow says of the deletion. Permissions NEW added show as
// gains, since who gets a new permission is what a reviewer wants to see.
func (c *comparer) access(o, n *schema.Role) {
	oldEff := effective(o)
	newEff := effective(n)
	tag := func(f *Finding, p, when string) {
		f.Role, f.Permission, f.When = n.Key, p, when
	}
	for _, p := range nonNil(c.new.Permissions) {
		ng := newEff[p]
		q := c.m.permOld[p]
		var og *schema.EffectiveGrant
		if q != nil {
			og = oldEff[q]
		}
		if ng == nil && og == nil {
			continue
		}
		// Where the permission's own scope changed, PERMISSION_SCOPE_CHANGED
		// says so once; what each role now holds where is still said
		// role by role, so that a reviewer sees who gained or lost.
		if bound(og) || bound(ng) {
			c.scopedAccess(n, p, og, ng, q != nil && scopeKey(q.Scope) != scopeKey(p.Scope), tag)
			continue
		}
		oh, nh := holdingOf(og), holdingOf(ng)
		if w := gained(oh, nh); w != "" {
			tag(c.add(RoleGainsPermission, grantPos(n, ng, gainedPart(oh, nh), "", false), false, "%s gains %s (%s)", n.Key, p.Key, w), p.Key, w)
		}
		if w := lost(oh, nh); w != "" {
			tag(c.add(RoleLosesPermission, n.Pos, false, "%s loses %s (%s)", n.Key, p.Key, w), p.Key, w)
		}
	}
	kept := make(map[*schema.Permission]bool, len(c.m.permOld))
	for _, q := range c.m.permOld {
		kept[q] = true
	}
	for _, q := range nonNil(c.old.Permissions) {
		if og := oldEff[q]; og != nil && !kept[q] {
			if w := lost(holdingOf(og), holdingOf(nil)); w != "" {
				tag(c.add(RoleLosesPermission, n.Pos, false, "%s loses %s (%s; the permission was deleted)", n.Key, q.Key, w), q.Key, w)
			}
		}
	}
}

// scopedAccess compares a role's holding of p where either side binds a
// scope. A grant that only moved from one scope (or none) to another,
// under the same conditions, is ROLE_GRANT_SCOPE_CHANGED; otherwise each
// scope (and "everywhere") is compared on its own, so that a gain or loss
// says where it is.
func (c *comparer) scopedAccess(n *schema.Role, p *schema.Permission, og, ng *schema.EffectiveGrant, ownScopeChanged bool, tag func(*Finding, string, string)) {
	ob, nb := buckets(og), buckets(ng)
	if len(ob) == 1 && len(nb) == 1 && sameConditions(og, ng) {
		if os, ns := ob[0], nb[0]; os != ns {
			what := "grant of"
			if ownScopeChanged {
				what = "hold on" // the grant is as it was; the permission's scope moved
			}
			tag(c.add(RoleGrantScopeChanged, grantPos(n, ng, holdingOf(ng), ns, true), false, "%s's %s %s %s", n.Key, what, p.Key, grantScopeChange(os, ns)), p.Key, "")
		}
		return
	}
	// Within a scope a role holds what it holds there and everywhere, so
	// each scope is compared on that; a change everywhere is reported once,
	// under "everywhere", not again in every scope it covers.
	oe, ne := holdingIn(og, ""), holdingIn(ng, "")
	all := append(slices.Clone(ob), nb...)
	all = append(all, "")
	slices.Sort(all)
	for _, b := range slices.Compact(all) {
		where := ", everywhere"
		oh, nh, gainBase, lossBase := oe, ne, oe, ne
		if b != "" {
			// What b gains beyond the gain everywhere, and loses beyond
			// the loss everywhere.
			where = ", per " + b
			oh, nh = union(oe, holdingIn(og, b)), union(ne, holdingIn(ng, b))
			gainBase, lossBase = union(oh, ne), union(nh, oe)
		}
		if w := gained(gainBase, nh); w != "" {
			// "always, everywhere; before only when a": the place goes
			// with what is held now, not after the clause on before.
			if now, before, ok := strings.Cut(w, "; "); ok {
				w = now + where + "; " + before
			} else {
				w += where
			}
			tag(c.add(RoleGainsPermission, grantPos(n, ng, gainedPart(gainBase, nh), b, true), false, "%s gains %s (%s)", n.Key, p.Key, w), p.Key, w)
		}
		if w := lost(oh, lossBase); w != "" {
			w += where
			tag(c.add(RoleLosesPermission, n.Pos, false, "%s loses %s (%s)", n.Key, p.Key, w), p.Key, w)
		}
	}
}

// grantPos is where NEW says why role n holds a permission the way want
// says (always, or under one of its conditions), bound to the scope with
// key bucket when scoped ("" for everywhere): the first grant behind it
// that holds that way, the role's own before one it inherits; failing
// that, the first that holds under the condition anywhere; then any grant
// behind it; then the role itself. A gain is annotated where the grant
// that gives it is; a loss has no such place in NEW and stays at the
// role.
func grantPos(n *schema.Role, g *schema.EffectiveGrant, want holding, bucket string, scoped bool) schema.Pos {
	if g == nil {
		return n.Pos
	}
	best, rank := n.Pos, 1<<30
	for _, src := range g.Sources {
		if src.Grant == nil {
			continue
		}
		r := 0
		if src.Role != n {
			r++ // inherited: after the role's own
		}
		if !want.holdsUnder(src.Grant.When) {
			r += 4
		}
		if scoped && scopeKey(sourceScope(g.Permission, src)) != bucket {
			r += 2
		}
		if r < rank {
			best, rank = src.Grant.Pos, r
		}
	}
	return best
}

// holdsUnder reports whether a grant under condition c (nil: always)
// holds the way h says.
func (h holding) holdsUnder(c *schema.Condition) bool {
	if h.always {
		return c == nil
	}
	return c != nil && contains(h.when, c.Key)
}

// sourceScope is about the scope a source binds its permission to: the
// grant's own, else that of the permission it is implied by, else the
// permission's own.
func sourceScope(p *schema.Permission, src schema.Source) *schema.Scope {
	switch {
	case src.Grant.Scope != nil:
		return src.Grant.Scope
	case src.ImpliedBy != nil && src.ImpliedBy.Scope != nil:
		return src.ImpliedBy.Scope
	}
	return p.Scope
}

// gainedPart is what n holds beyond base: always, when n is always and
// base is not, else n's conditions base lacks.
func gainedPart(base, n holding) holding {
	if n.always {
		if base.always {
			return holding{}
		}
		return holding{always: true}
	}
	return holding{when: n.minus(base)}
}

// union is when either holding holds.
func union(a, b holding) holding {
	if a.always || b.always {
		return holding{always: true}
	}
	out := holding{when: slices.Clone(a.when)}
	for _, k := range b.when {
		if !contains(out.when, k) {
			out.when = append(out.when, k)
		}
	}
	return out
}

// buckets lists the scope keys the ways of g bind ("" for everywhere),
// sorted, each once; none for a nil grant.
func buckets(g *schema.EffectiveGrant) []string {
	var out []string
	if g == nil {
		return out
	}
	for _, w := range g.Ways {
		if k := scopeKey(w.Scope); !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// holdingIn is when g holds its permission by ways bound to the scope
// with key b ("" for ways bound to none).
func holdingIn(g *schema.EffectiveGrant, b string) holding {
	var h holding
	if g == nil {
		return h
	}
	for _, w := range g.Ways {
		if scopeKey(w.Scope) != b {
			continue
		}
		if w.When == nil {
			return holding{always: true}
		}
		if !contains(h.when, w.When.Key) {
			h.when = append(h.when, w.When.Key)
		}
	}
	return h
}

func effective(r *schema.Role) map[*schema.Permission]*schema.EffectiveGrant {
	m := map[*schema.Permission]*schema.EffectiveGrant{}
	for _, g := range r.Effective {
		if g != nil && g.Permission != nil && (g.Always || len(g.When) > 0) {
			m[g.Permission] = g
		}
	}
	return m
}

// bound reports whether some way of holding the grant is bound to a scope.
func bound(g *schema.EffectiveGrant) bool {
	if g == nil {
		return false
	}
	for _, w := range g.Ways {
		if w.Scope != nil {
			return true
		}
	}
	return false
}

func sameConditions(o, n *schema.EffectiveGrant) bool {
	oh, nh := holdingOf(o), holdingOf(n)
	return oh.always == nh.always && strings.Join(oh.when, " ") == strings.Join(nh.when, " ")
}

func grantScopeChange(old, new string) string {
	switch {
	case old == "":
		return "is now bound per " + new + " (was unbound)"
	case new == "":
		return "is no longer bound per " + old
	default:
		return "is now bound per " + new + " (was per " + old + ")"
	}
}

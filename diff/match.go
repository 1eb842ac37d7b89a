package diff

import (
	"sort"
	"strings"

	"github.com/permcat/permcat/schema"
)

// how says why an OLD and a NEW permission count as the same one. The order
// is the order of trust: each step only looks at what earlier ones left.
type how int

const (
	byKey      how = iota + 1 // same key
	byFormerly                // NEW lists OLD's key in `formerly`
	// byLock: same ID, and NEW's lock records OLD's key under it. IDs alone
	// would be wrong when the NEW lock does not descend from OLD's (both
	// regenerated, or no lock at all and IDs follow authored order).
	byLock
	byGroupShape // OLD's group vanished and a new group has the same permission segments
	byName       // same display name, same segment or same group
)

// matching pairs the elements of OLD and NEW that are the same thing.
type matching struct {
	old, new *schema.Catalog

	permNew map[*schema.Permission]*schema.Permission // OLD → NEW
	permOld map[*schema.Permission]*schema.Permission // NEW → OLD
	permHow map[*schema.Permission]how                // keyed by NEW

	groupNew map[*schema.Group]*schema.Group // OLD → NEW
	groupOld map[*schema.Group]*schema.Group // NEW → OLD
	groupHow map[*schema.Group]how           // keyed by NEW
}

func match(old, new *schema.Catalog) *matching {
	m := &matching{
		old: old, new: new,
		permNew:  map[*schema.Permission]*schema.Permission{},
		permOld:  map[*schema.Permission]*schema.Permission{},
		permHow:  map[*schema.Permission]how{},
		groupNew: map[*schema.Group]*schema.Group{},
		groupOld: map[*schema.Group]*schema.Group{},
		groupHow: map[*schema.Group]how{},
	}
	m.matchGroups()
	m.matchPermissions()
	return m
}

func (m *matching) pairGroup(g, h *schema.Group, why how) {
	m.groupNew[g] = h
	m.groupOld[h] = g
	m.groupHow[h] = why
}

func (m *matching) pairPerm(q, p *schema.Permission, why how) {
	m.permNew[q] = p
	m.permOld[p] = q
	m.permHow[p] = why
}

func (m *matching) matchGroups() {
	oldByKey := map[string]*schema.Group{}
	for _, g := range m.old.Groups {
		if g != nil {
			oldByKey[g.Key] = g
		}
	}
	for _, h := range m.new.Groups {
		if h == nil {
			continue
		}
		if g := oldByKey[h.Key]; g != nil && m.groupNew[g] == nil {
			m.pairGroup(g, h, byKey)
		}
	}
	for _, h := range m.new.Groups {
		if h == nil || m.groupOld[h] != nil {
			continue
		}
		for _, f := range h.Formerly {
			if g := oldByKey[f]; g != nil && m.groupNew[g] == nil {
				m.pairGroup(g, h, byFormerly)
				break
			}
		}
	}
}

func (m *matching) matchPermissions() {
	oldByKey := map[string]*schema.Permission{}
	for _, q := range m.old.Permissions {
		if q != nil {
			oldByKey[q.Key] = q
		}
	}
	newPerms := nonNil(m.new.Permissions)
	for _, p := range newPerms {
		if q := oldByKey[p.Key]; q != nil && m.permNew[q] == nil {
			m.pairPerm(q, p, byKey)
		}
	}
	for _, p := range newPerms {
		if m.permOld[p] != nil {
			continue
		}
		for _, f := range p.Formerly {
			if q := oldByKey[f]; q != nil && m.permNew[q] == nil {
				m.pairPerm(q, p, byFormerly)
				break
			}
		}
	}
	m.matchByLock(newPerms)
	m.matchByGroupShape()
	m.matchByName()
}

func (m *matching) matchByLock(newPerms []*schema.Permission) {
	if m.new.Lock == nil {
		return
	}
	entries := map[uint32]schema.LockEntry{}
	for _, e := range m.new.Lock.Entries {
		entries[e.ID] = e
	}
	oldByID := map[uint32]*schema.Permission{}
	for _, q := range m.unmatchedOld() {
		oldByID[q.ID] = q
	}
	for _, p := range newPerms {
		if m.permOld[p] != nil {
			continue
		}
		q := oldByID[p.ID]
		e, ok := entries[p.ID]
		if q == nil || !ok || m.permNew[q] != nil {
			continue
		}
		if e.Key == q.Key || contains(e.Former, q.Key) {
			m.pairPerm(q, p, byLock)
		}
	}
}

// matchByGroupShape catches the rename of a whole group without `formerly`
// (Hypur → POSaBit Pay): OLD's group is gone, a group NEW adds has exactly
// the same permission segments. When several groups qualify, the one whose
// names read the same after swapping the group names (presets make that
// common), or that lists the old name among its aliases, wins; a tie pairs
// nothing, which leaves plain deletions — breaking just the same.
func (m *matching) matchByGroupShape() {
	deleted := map[*schema.Group][]*schema.Permission{}
	var oldGroups []*schema.Group
	for _, q := range m.unmatchedOld() {
		g := q.Group
		if g == nil || m.groupNew[g] != nil {
			continue
		}
		if deleted[g] == nil {
			oldGroups = append(oldGroups, g)
		}
		deleted[g] = append(deleted[g], q)
	}
	added := map[*schema.Group][]*schema.Permission{}
	var newGroups []*schema.Group
	for _, p := range m.unmatchedNew() {
		h := p.Group
		if h == nil || m.groupOld[h] != nil {
			continue
		}
		if added[h] == nil {
			newGroups = append(newGroups, h)
		}
		added[h] = append(added[h], p)
	}
	taken := map[*schema.Group]bool{}
	for _, g := range oldGroups {
		shape := segments(deleted[g])
		best, bestScore, tie := (*schema.Group)(nil), -1, false
		for _, h := range newGroups {
			if taken[h] || segments(added[h]) != shape {
				continue
			}
			s := similarity(g, h, deleted[g], added[h])
			switch {
			case s > bestScore:
				best, bestScore, tie = h, s, false
			case s == bestScore:
				tie = true
			}
		}
		if best == nil || tie {
			continue
		}
		taken[best] = true
		bySeg := map[string]*schema.Permission{}
		for _, p := range added[best] {
			bySeg[p.Segment] = p
		}
		for _, q := range deleted[g] {
			m.pairPerm(q, bySeg[q.Segment], byGroupShape)
		}
	}
}

func segments(ps []*schema.Permission) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.Segment
	}
	sort.Strings(s)
	return strings.Join(s, ",")
}

// similarity scores how much NEW group h reads like OLD group g renamed.
func similarity(g, h *schema.Group, qs, ps []*schema.Permission) int {
	score := 0
	for _, a := range h.Aliases {
		if g.Name != "" && strings.EqualFold(a, g.Name) {
			score += len(qs) + 1
		}
	}
	swap := func(s string) string {
		if g.Name == "" {
			return s
		}
		return strings.ReplaceAll(s, g.Name, h.Name)
	}
	bySeg := map[string]*schema.Permission{}
	for _, p := range ps {
		bySeg[p.Segment] = p
	}
	for _, q := range qs {
		p := bySeg[q.Segment]
		if p == nil {
			continue
		}
		if q.Name != "" && swap(q.Name) == p.Name {
			score++
		}
		if q.Description != "" && swap(q.Description) == p.Description {
			score++
		}
	}
	return score
}

// matchByName pairs a deleted and an added permission with the same display
// name when they also share their segment or their group: a key renamed in
// place. Only unambiguous pairs count.
func (m *matching) matchByName() {
	related := func(q, p *schema.Permission) bool {
		if q.Name == "" || q.Name != p.Name {
			return false
		}
		return q.Segment == p.Segment || (q.Group != nil && m.groupNew[q.Group] == p.Group)
	}
	olds, news := m.unmatchedOld(), m.unmatchedNew()
	for _, q := range olds {
		var cand []*schema.Permission
		for _, p := range news {
			if m.permOld[p] == nil && related(q, p) {
				cand = append(cand, p)
			}
		}
		if len(cand) != 1 {
			continue
		}
		p := cand[0]
		rivals := 0
		for _, q2 := range olds {
			if m.permNew[q2] == nil && related(q2, p) {
				rivals++
			}
		}
		if rivals == 1 {
			m.pairPerm(q, p, byName)
		}
	}
}

func (m *matching) unmatchedOld() []*schema.Permission {
	var out []*schema.Permission
	for _, q := range nonNil(m.old.Permissions) {
		if m.permNew[q] == nil {
			out = append(out, q)
		}
	}
	return out
}

func (m *matching) unmatchedNew() []*schema.Permission {
	var out []*schema.Permission
	for _, p := range nonNil(m.new.Permissions) {
		if m.permOld[p] == nil {
			out = append(out, p)
		}
	}
	return out
}

func nonNil[T any](xs []*T) []*T {
	out := make([]*T, 0, len(xs))
	for _, x := range xs {
		if x != nil {
			out = append(out, x)
		}
	}
	return out
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

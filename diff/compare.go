package diff

import (
	"fmt"
	"strings"

	"github.com/permcat/permcat/schema"
)

// Compare reports every change from old to new, sorted by category (WIRE
// first), then position (file, line, column); findings at one position keep
// the catalogs' authored order.
// Breaking is set for the default options (WIRE only); Mark recomputes it.
// A nil catalog counts as an empty one, so a catalog that did not exist at
// the base ref compares as all additions.
func Compare(old, new *schema.Catalog) []Finding {
	if old == nil {
		old = &schema.Catalog{}
	}
	if new == nil {
		new = &schema.Catalog{}
	}
	c := &comparer{old: old, new: new, m: match(old, new)}
	c.scopes()
	c.conditions()
	c.groups()
	c.permissions()
	c.roles()
	c.profiles()
	out := make([]Finding, len(c.out))
	for i, f := range c.out {
		out[i] = *f
	}
	sortFindings(out)
	return out
}

type comparer struct {
	old, new *schema.Catalog
	m        *matching
	out      []*Finding // pointers, so callers can tag the subject after add
}

// add records a finding; subject fields are set by the caller on the result.
func (c *comparer) add(rule string, pos schema.Pos, inOld bool, format string, args ...any) *Finding {
	cat := categoryOf(rule)
	f := &Finding{
		Rule:     rule,
		Category: cat,
		Pos:      pos,
		InOld:    inOld,
		Message:  fmt.Sprintf(format, args...),
		Breaking: cat == Wire,
	}
	c.out = append(c.out, f)
	return f
}

// names reports changed generated identifiers of one element. what names
// the element ("permission integrations.metrc.edit").
func (c *comparer) names(pos schema.Pos, what, oldGo, newGo, oldTS, newTS string) []*Finding {
	var out []*Finding
	if oldGo != newGo {
		out = append(out, c.add(GoNameChanged, pos, false, "Go identifier of %s changed from %s to %s", what, orNone(oldGo), orNone(newGo)))
	}
	if oldTS != newTS {
		out = append(out, c.add(TSNameChanged, pos, false, "TypeScript identifier of %s changed from %s to %s", what, orNone(oldTS), orNone(newTS)))
	}
	return out
}

func (c *comparer) texts(pos schema.Pos, what, oldName, newName, oldDesc, newDesc string) []*Finding {
	var out []*Finding
	if oldName != newName {
		out = append(out, c.add(NameChanged, pos, false, "name of %s changed from %q to %q", what, oldName, newName))
	}
	if oldDesc != newDesc {
		out = append(out, c.add(DescriptionChanged, pos, false, "description of %s changed", what))
	}
	return out
}

func (c *comparer) scopes() {
	newByKey := map[string]*schema.Scope{}
	for _, s := range nonNil(c.new.Scopes) {
		newByKey[s.Key] = s
	}
	oldByKey := map[string]*schema.Scope{}
	for _, o := range nonNil(c.old.Scopes) {
		oldByKey[o.Key] = o
		n := newByKey[o.Key]
		if n == nil {
			c.add(ScopeDeleted, o.Pos, true, "scope %s was deleted; grants stored per %s lose their meaning", o.Key, o.Key)
			continue
		}
		what := "scope " + n.Key
		c.names(n.Pos, what, o.GoName, n.GoName, o.TSName, n.TSName)
		c.texts(n.Pos, what, "", "", o.Description, n.Description)
	}
	for _, n := range nonNil(c.new.Scopes) {
		if oldByKey[n.Key] == nil {
			c.add(ScopeAdded, n.Pos, false, "scope %s was added", n.Key)
		}
	}
}

func (c *comparer) conditions() {
	newByKey := map[string]*schema.Condition{}
	for _, x := range nonNil(c.new.Conditions) {
		newByKey[x.Key] = x
	}
	oldByKey := map[string]*schema.Condition{}
	for _, o := range nonNil(c.old.Conditions) {
		oldByKey[o.Key] = o
		n := newByKey[o.Key]
		if n == nil {
			c.add(ConditionDeleted, o.Pos, true, "condition %s was deleted: rows of yours that reference its key in permcat_conditions block the seed, and services that set it (Conditions.%s) stop compiling; a rename is a deletion too (conditions have no `formerly`), so pass --allow CONDITION_DELETED once nothing stores the key", o.Key, o.GoName)
			continue
		}
		what := "condition " + n.Key
		c.names(n.Pos, what, o.GoName, n.GoName, o.TSName, n.TSName)
		c.texts(n.Pos, what, "", "", o.Description, n.Description)
	}
	for _, n := range nonNil(c.new.Conditions) {
		if oldByKey[n.Key] == nil {
			c.add(ConditionAdded, n.Pos, false, "condition %s was added", n.Key)
		}
	}
}

func (c *comparer) groups() {
	for _, g := range nonNil(c.old.Groups) {
		if c.m.groupNew[g] == nil {
			c.add(GroupDeleted, g.Pos, true, "group %s was deleted; code that uses %s (Go) or %s (TypeScript) stops compiling", g.Key, g.GoName, g.TSName)
		}
	}
	for _, h := range nonNil(c.new.Groups) {
		g := c.m.groupOld[h]
		if g == nil {
			c.add(GroupAdded, h.Pos, false, "group %s was added", h.Key)
			continue
		}
		if c.m.groupHow[h] == byFormerly {
			c.add(GroupMoved, h.Pos, false, "group %s moved to %s; `formerly` keeps its old keys parsing", g.Key, h.Key)
		}
		// A stored group key (a landing section, a Group value) parses
		// through the group's former keys as a permission key does.
		accepted := map[string]bool{h.Key: true}
		for _, f := range h.Formerly {
			accepted[f] = true
		}
		for _, f := range g.Formerly {
			if !accepted[f] {
				c.add(FormerlyKeyDropped, h.Pos, false, "group %s no longer accepts its former key %s, which the old catalog still parsed (stored group keys and the permission keys under it); keep it in `formerly` until no stored data holds it", h.Key, f)
			}
		}
		what := "group " + h.Key
		c.names(h.Pos, what, g.GoName, h.GoName, g.TSName, h.TSName)
		c.texts(h.Pos, what, g.Name, h.Name, g.Description, h.Description)
	}
}

func (c *comparer) permissions() {
	oldIDs := c.oldIDs()
	for _, q := range c.m.unmatchedOld() {
		if q.IsDeprecated() {
			c.add(DeprecatedPermissionDeleted, q.Pos, true, "deprecated permission %s (ID %d) was deleted: code that uses %s (Go) or %s (TypeScript) stops compiling, and stored keys and IDs stop parsing (the seed fails while a row of yours references it); its deprecation announced this", q.Key, q.ID, q.GoName, q.TSName).Permission = q.Key
			continue
		}
		c.add(PermissionDeleted, q.Pos, true, "permission %s (ID %d) was deleted without being deprecated first; stored keys and IDs stop parsing (deprecate it in one release, delete it in a later one)", q.Key, q.ID).Permission = q.Key
	}
	for _, p := range nonNil(c.new.Permissions) {
		q := c.m.permOld[p]
		if q == nil {
			c.add(PermissionAdded, p.Pos, false, "permission %s was added with ID %d", p.Key, p.ID).Permission = p.Key
			if k, used := oldIDs[p.ID]; used && k != p.Key {
				c.add(IDReused, p.Pos, false, "new permission %s has ID %d, which the old catalog gave to %s; stored IDs now mean another permission%s", p.Key, p.ID, k, c.lockHint(IDReused)).Permission = p.Key
			}
			continue
		}
		c.permission(q, p)
	}
}

// oldIDs maps every ID OLD ever used (its lock, retired keys too) to the key
// it was used for.
func (c *comparer) oldIDs() map[uint32]string {
	ids := map[uint32]string{}
	if c.old.Lock != nil {
		for _, e := range c.old.Lock.Entries {
			ids[e.ID] = e.Key
		}
	}
	for _, q := range nonNil(c.old.Permissions) {
		ids[q.ID] = q.Key
	}
	return ids
}

// lockHint explains how IDs came to churn, and how to undo it. Without a
// lock on disk NEW numbers in authored order. With one, an ID changes
// when generate ran on a rename before its formerly was added (the old
// ID retired, the key got the next), and an ID is reused when two
// branches each gave a new permission the next free ID and the merge kept
// one lock: in both cases the base branch's lock, regenerated, is right.
func (c *comparer) lockHint(rule string) string {
	switch {
	case c.new.OldLock == nil:
		return " (the new catalog has no permcat.lock, so IDs follow authored order: run `permcat generate` and commit permcat.lock)"
	case rule == IDChanged:
		return "; most likely `permcat generate` ran before `formerly` was added, which retired the old ID: restore permcat.lock from the base branch (git checkout BASE -- permcat.lock) and run `permcat generate` again"
	case rule == IDReused:
		return "; most likely another branch took the same next ID and this lock was merged over it: restore permcat.lock from the base branch (git checkout BASE -- permcat.lock) and run `permcat generate` again, which numbers this branch's permissions after the base's"
	}
	return ""
}

func (c *comparer) permission(q, p *schema.Permission) {
	why := c.m.permHow[p]
	tag := func(f *Finding) { f.Permission = p.Key }
	switch why {
	case byFormerly:
		tag(c.add(PermissionMoved, p.Pos, false, "permission %s moved to %s; `formerly` keeps the old key parsing as ID %d", q.Key, p.Key, p.ID))
	case byLock:
		tag(c.add(PermissionRenamedWithoutFormerly, p.Pos, false, "permission %s was renamed to %s without `formerly`: permcat.lock keeps ID %d, but stored keys stop parsing; add `formerly: [%s]` to %s", q.Key, p.Key, p.ID, q.Key, p.Key))
	case byGroupShape:
		gk, hk := groupKey(q.Group), groupKey(p.Group)
		tag(c.add(PermissionRenamedWithoutFormerly, p.Pos, false, "permission %s looks renamed to %s (group %s is gone and %s has the same permissions) without `formerly`: stored keys and IDs (%s) stop parsing; add `formerly: [%s]` to group %s", q.Key, p.Key, gk, hk, idChange(q.ID, p.ID), gk, hk))
	case byName:
		tag(c.add(PermissionRenamedWithoutFormerly, p.Pos, false, "permission %s looks renamed to %s (same name %q) without `formerly`: stored keys and IDs (%s) stop parsing; add `formerly: [%s]` to %s", q.Key, p.Key, p.Name, idChange(q.ID, p.ID), q.Key, p.Key))
	}
	// A rename without formerly already reports the new ID and names; the
	// rest below still applies to it.
	kept := why == byKey || why == byFormerly
	if kept && q.ID != p.ID {
		tag(c.add(IDChanged, p.Pos, false, "permission %s changed ID from %d to %d; stored IDs and bitmasks now mean something else%s", p.Key, q.ID, p.ID, c.lockHint(IDChanged)))
	}
	accepted := map[string]bool{p.Key: true}
	for _, f := range p.Formerly {
		accepted[f] = true
	}
	for _, f := range q.Formerly {
		if !accepted[f] {
			tag(c.add(FormerlyKeyDropped, p.Pos, false, "permission %s no longer accepts its former key %s, which the old catalog still parsed; keep it in `formerly` until no stored data holds it", p.Key, f))
		}
	}
	if os, ns := scopeKey(q.Scope), scopeKey(p.Scope); os != ns {
		tag(c.add(PermissionScopeChanged, p.Pos, false, "permission %s %s; grants stored for it change shape", p.Key, scopeChange(os, ns)))
	}
	if kept {
		for _, f := range c.names(p.Pos, "permission "+p.Key, q.GoName, p.GoName, q.TSName, p.TSName) {
			tag(f)
		}
	}
	for _, f := range c.texts(p.Pos, "permission "+p.Key, q.Name, p.Name, q.Description, p.Description) {
		tag(f)
	}
	switch {
	case !q.IsDeprecated() && p.IsDeprecated():
		tag(c.add(PermissionDeprecated, p.Pos, false, "permission %s is deprecated: %s", p.Key, p.Deprecated))
	case q.IsDeprecated() && !p.IsDeprecated():
		tag(c.add(PermissionUndeprecated, p.Pos, false, "permission %s is no longer deprecated", p.Key))
	}
	added, removed := c.relDiff(q.Requires, p.Requires)
	for _, r := range added {
		tag(c.add(RequirementAdded, p.Pos, false, "permission %s now requires %s; sets that hold it without %s become invalid", p.Key, r, r))
	}
	for _, r := range removed {
		tag(c.add(RequirementRemoved, p.Pos, false, "permission %s no longer requires %s", p.Key, r))
	}
	added, removed = c.relDiff(q.Implies, p.Implies)
	for _, r := range added {
		tag(c.add(ImpliesAdded, p.Pos, false, "permission %s now implies %s; whoever holds it also holds %s", p.Key, r, r))
	}
	for _, r := range removed {
		tag(c.add(ImpliesRemoved, p.Pos, false, "permission %s no longer implies %s", p.Key, r))
	}
}

// relDiff compares two relation lists (requires, implies) by identity, so a
// related permission that only moved does not count as a change. It returns
// keys: NEW's for additions, OLD's (or NEW's, if it survived) for removals.
func (c *comparer) relDiff(olds, news []*schema.Permission) (added, removed []string) {
	had := map[*schema.Permission]bool{}
	for _, q := range olds {
		if q != nil {
			had[q] = true
		}
	}
	has := map[*schema.Permission]bool{}
	for _, p := range news {
		if p == nil {
			continue
		}
		has[p] = true
		if q := c.m.permOld[p]; q == nil || !had[q] {
			added = append(added, p.Key)
		}
	}
	for _, q := range olds {
		if q == nil {
			continue
		}
		p := c.m.permNew[q]
		switch {
		case p == nil:
			removed = append(removed, q.Key)
		case !has[p]:
			removed = append(removed, p.Key)
		}
	}
	return added, removed
}

func (c *comparer) roles() {
	newByKey := map[string]*schema.Role{}
	for _, r := range nonNil(c.new.Roles) {
		newByKey[r.Key] = r
	}
	oldByKey := map[string]*schema.Role{}
	for _, o := range nonNil(c.old.Roles) {
		oldByKey[o.Key] = o
		if newByKey[o.Key] == nil {
			c.add(RoleDeleted, o.Pos, true, "role %s was deleted; stored role assignments stop parsing", o.Key).Role = o.Key
		}
	}
	for _, n := range nonNil(c.new.Roles) {
		o := oldByKey[n.Key]
		if o == nil {
			c.add(RoleAdded, n.Pos, false, "role %s was added", n.Key).Role = n.Key
			continue
		}
		what := "role " + n.Key
		for _, f := range c.names(n.Pos, what, o.GoName, n.GoName, o.TSName, n.TSName) {
			f.Role = n.Key
		}
		for _, f := range c.texts(n.Pos, what, o.Name, n.Name, o.Description, n.Description) {
			f.Role = n.Key
		}
		// The second test catches an old landing group that was deleted
		// while the role now has none: both sides of the first are nil.
		if c.m.groupNew[o.Landing] != n.Landing || (o.Landing == nil) != (n.Landing == nil) {
			c.add(RoleLandingChanged, n.Pos, false, "role %s now lands on %s (was %s)", n.Key, landing(n.Landing), landing(o.Landing)).Role = n.Key
		}
		c.access(o, n)
	}
}

func (c *comparer) profiles() {
	newByKey := map[string]*schema.Profile{}
	for _, p := range nonNil(c.new.Profiles) {
		newByKey[p.Key] = p
	}
	oldByKey := map[string]*schema.Profile{}
	for _, o := range nonNil(c.old.Profiles) {
		oldByKey[o.Key] = o
		if newByKey[o.Key] == nil {
			c.add(ProfileDeleted, o.Pos, true, "profile %s was deleted; services that check it break", o.Key)
		}
	}
	for _, n := range nonNil(c.new.Profiles) {
		o := oldByKey[n.Key]
		if o == nil {
			c.add(ProfileAdded, n.Pos, false, "profile %s was added", n.Key)
			continue
		}
		what := "profile " + n.Key
		c.names(n.Pos, what, o.GoName, n.GoName, o.TSName, n.TSName)
		c.texts(n.Pos, what, o.Name, n.Name, o.Description, n.Description)
		added, removed := c.relDiff(o.Requires, n.Requires)
		for _, k := range added {
			c.add(ProfileTightened, n.Pos, false, "profile %s now also requires %s; holders that satisfied it may no longer", n.Key, k).Permission = k
		}
		for _, k := range removed {
			c.add(ProfileLoosened, n.Pos, false, "profile %s no longer requires %s", n.Key, k).Permission = k
		}
	}
}

func groupKey(g *schema.Group) string {
	if g == nil {
		return "(none)"
	}
	return g.Key
}

func landing(g *schema.Group) string {
	if g == nil {
		return "no landing section"
	}
	return g.Key
}

func scopeKey(s *schema.Scope) string {
	if s == nil {
		return ""
	}
	return s.Key
}

func scopeChange(old, new string) string {
	switch {
	case old == "":
		return "is now per " + new + " (was not scoped)"
	case new == "":
		return "is no longer per " + old
	default:
		return "is now per " + new + " (was per " + old + ")"
	}
}

func idChange(old, new uint32) string {
	if old == new {
		return fmt.Sprintf("ID %d", old)
	}
	return fmt.Sprintf("ID %d → %d", old, new)
}

func orNone(s string) string {
	if strings.TrimSpace(s) == "" {
		return "(none)"
	}
	return s
}

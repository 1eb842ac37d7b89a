package schema

// The resolved model. schema.Resolve produces it; every generator consumes it
// and never works out names, closures or orders itself. All slices are in
// authored order (root file first, then fragments in lexical path order)
// unless a comment says otherwise. Pointers between elements are shared, so
// generators may compare them with ==.

// Catalog is a fully resolved permission catalog.
type Catalog struct {
	Name        string // the `catalog:` key segment
	Title       string // display title; defaults to Name
	Description string
	Root        string // path of the root file as given to Load
	Files       []string

	Scopes      []*Scope
	Conditions  []*Condition
	Groups      []*Group      // every group, pre-order (a parent before its children)
	TopGroups   []*Group      // the groups at the top level
	Permissions []*Permission // every permission, pre-order by group, each group's own permissions first
	Roles       []*Role
	Profiles    []*Profile

	// Lock is the lock as it must be after this compile (new keys assigned,
	// retired keys kept). OldLock is what was read from disk (nil if absent).
	Lock    *Lock
	OldLock *Lock
	MaxID   uint32 // largest ID ever assigned (active or retired); sizes the Set

	// Warnings found while resolving (unused conditions, deprecated grants…).
	Warnings []Error
}

// Scope is something a grant can be bound to (a facility, a store…).
type Scope struct {
	Key         string
	Description string
	Note        string
	GoName      string // "ScopeFacility"
	TSName      string // "Facility"
	Index       int    // position in Catalog.Scopes
	Pos         Pos
}

// Condition is a runtime switch that gates grants.
type Condition struct {
	Key         string
	Description string
	Note        string
	GoName      string // field of the Go Conditions struct: "SalespersonSeesAllCustomers"
	TSName      string // field of the TS Conditions interface: "salespersonSeesAllCustomers"
	Index       int    // position in Catalog.Conditions; bit index in condition masks
	Pos         Pos
}

// Group is a section of permissions; groups nest.
type Group struct {
	Key         string // full dotted key: "integrations.metrc"
	Segment     string // last segment: "metrc"
	Parent      *Group // nil at the top level
	Name        string
	Description string
	Location    string
	Note        string
	Preset      string // the preset it expanded, if any
	Aliases     []string
	Formerly    []string // former full keys: its own `formerly`, then the keys it had under each former key of an ancestor (those the lock knows, when there is one)
	Scope       *Scope   // the group's own scope (permissions inherit it)
	Groups      []*Group // direct subgroups
	Permissions []*Permission
	GoName      string // "GroupIntegrationsMetrc"
	TSName      string // "IntegrationsMetrc"
	Index       int    // position in Catalog.Groups
	Pos         Pos    // the group's key in YAML (first definition)
}

// Permission is one grantable permission.
type Permission struct {
	Key         string // "integrations.metrc.edit"
	Segment     string // "edit"
	Group       *Group
	ID          uint32 // stable ID from permcat.lock (>= 1)
	Name        string
	Description string
	Note        string
	Location    string // own location, empty when it is the group's
	Aliases     []string
	Formerly    []string // former full keys: its own `formerly`, then each key it had (current or former) under each former key of its group (those the lock knows, when there is one)
	Tags        []string
	Deprecated  string // reason; empty when not deprecated
	Scope       *Scope // effective scope: own, else the nearest group's; nil if none

	Implies  []*Permission // direct, as written (resolved)
	Requires []*Permission // direct, as written (resolved)
	// ImpliesClosure is everything holding this permission grants besides
	// itself (transitive), in authored order.
	ImpliesClosure []*Permission

	GoName string // "IntegrationsMetrcEdit"
	TSName string // "IntegrationsMetrcEdit"
	Index  int    // position in Catalog.Permissions
	Pos    Pos    // the permission's key in YAML (or the group's preset field for preset-only permissions)
}

// IsDeprecated reports whether the permission carries a deprecation reason.
func (p *Permission) IsDeprecated() bool { return p.Deprecated != "" }

// Role is a named bundle of grants.
type Role struct {
	Key         string
	Name        string
	Description string
	Note        string
	Landing     *Group // effective landing (own or inherited through extends); nil if none
	Extends     []*Role
	Grants      []*Grant // own grants as written
	Except      []*Pattern

	// Effective is the closed, effective permission set: one entry per held
	// permission, in Catalog.Permissions order.
	Effective []*EffectiveGrant

	GoName string // "RoleAdmin"
	TSName string // "Admin"
	Index  int
	Pos    Pos
}

// Grant is one entry of a role's `grants` as written.
type Grant struct {
	Pattern *Pattern
	When    *Condition // nil: unconditional
	Scope   *Scope     // nil: not bound
	Note    string
	Matches []*Permission // what the pattern matched, authored order
	Pos     Pos
}

// Pattern is a permission pattern (exact key, `*`, `**`).
type Pattern struct {
	Text string
	Pos  Pos
}

// EffectiveGrant says under which conditions a role holds a permission.
// The role holds it when Always is true, or when any condition in When is true.
type EffectiveGrant struct {
	Permission *Permission
	Always     bool
	When       []*Condition // sorted by Condition.Index; empty when Always
	Scope      *Scope       // the scope every way binds, when they all bind the same one; nil otherwise
	// Ways are the ways the role holds it: under which condition and bound
	// to which scope. No way is implied by another ((c, s) is dropped when
	// (always, s), (c, everywhere) or (always, everywhere) is there). Sorted
	// by condition (always first, then Condition.Index), then scope
	// (everywhere first, then Scope.Index).
	Ways    []Way
	Notes   []string // notes of the grants that produced it, deduplicated, in order
	Sources []Source // why the role holds it (for explain)
}

// Way is one way a role holds a permission: while When is true (nil:
// always) and bound to Scope (nil: everywhere). A grant binds the scope it
// names, else the permission's own scope; a permission held by implication
// is bound like the permission that implies it, unless it has a scope of
// its own.
type Way struct {
	When  *Condition
	Scope *Scope
}

// Within reports whether the effective grant holds when the conditions
// for which on returns true hold, within scope s: by a way bound to s or
// to no scope. With s nil it reports whether the grant holds everywhere,
// by a way bound to no scope.
func (g *EffectiveGrant) Within(on func(*Condition) bool, s *Scope) bool {
	for _, w := range g.Ways {
		if (w.Scope == nil || w.Scope == s) && (w.When == nil || on(w.When)) {
			return true
		}
	}
	return false
}

// Source explains one reason a role holds a permission.
type Source struct {
	Role      *Role       // the role whose grant it is (the role itself or one it extends)
	Grant     *Grant      // the grant that matched
	ImpliedBy *Permission // non-nil when held because this permission implies it
}

// Profile is a named requirement set (e.g. the Metrc Reverse Sync User).
type Profile struct {
	Key         string
	Name        string
	Description string
	Note        string
	Patterns    []*Pattern
	Requires    []*Permission // expanded, authored order
	GoName      string        // "ProfileReverseSyncUser"
	TSName      string        // "ReverseSyncUser"
	Index       int
	Pos         Pos
}

// HoldsUnder reports whether the effective grant holds when exactly the
// given conditions are true (indexed by Condition.Index).
func (g *EffectiveGrant) HoldsUnder(on func(*Condition) bool) bool {
	if g.Always {
		return true
	}
	for _, c := range g.When {
		if on(c) {
			return true
		}
	}
	return false
}

// PermissionsUnder returns the role's permissions when the conditions for
// which on returns true hold, in authored order.
func (r *Role) PermissionsUnder(on func(*Condition) bool) []*Permission {
	var out []*Permission
	for _, g := range r.Effective {
		if g.HoldsUnder(on) {
			out = append(out, g.Permission)
		}
	}
	return out
}

// Grant returns the role's effective grant of p, or nil.
func (r *Role) EffectiveOf(p *Permission) *EffectiveGrant {
	for _, g := range r.Effective {
		if g.Permission == p {
			return g
		}
	}
	return nil
}

// RelevantConditions returns the conditions that gate any way the role
// holds any of its effective grants (a grant held always within a scope
// may still be held everywhere only under a condition), sorted by index.
func (r *Role) RelevantConditions() []*Condition {
	seen := map[*Condition]bool{}
	var out []*Condition
	add := func(c *Condition) {
		if c != nil && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	for _, g := range r.Effective {
		for _, c := range g.When {
			add(c)
		}
		for _, w := range g.Ways {
			add(w.When)
		}
	}
	sortConditions(out)
	return out
}

func sortConditions(cs []*Condition) {
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && cs[j].Index < cs[j-1].Index; j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}

// PermissionByKey finds a permission by its canonical key.
func (c *Catalog) PermissionByKey(key string) *Permission {
	for _, p := range c.Permissions {
		if p.Key == key {
			return p
		}
	}
	return nil
}

// RoleByKey finds a role by key.
func (c *Catalog) RoleByKey(key string) *Role {
	for _, r := range c.Roles {
		if r.Key == key {
			return r
		}
	}
	return nil
}

// GroupByKey finds a group by key.
func (c *Catalog) GroupByKey(key string) *Group {
	for _, g := range c.Groups {
		if g.Key == key {
			return g
		}
	}
	return nil
}

// ProfileByKey finds a profile by key.
func (c *Catalog) ProfileByKey(key string) *Profile {
	for _, p := range c.Profiles {
		if p.Key == key {
			return p
		}
	}
	return nil
}

// ConditionByKey finds a condition by key.
func (c *Catalog) ConditionByKey(key string) *Condition {
	for _, x := range c.Conditions {
		if x.Key == key {
			return x
		}
	}
	return nil
}

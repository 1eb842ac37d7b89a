package query

import (
	"fmt"
	"io"
	"strings"

	"github.com/permcat/permcat/schema"
)

// WhoCanResult is every role that holds one permission.
type WhoCanResult struct {
	// Permission is the canonical key; Asked is the key as given, which
	// differs when it was a former key.
	Permission string `json:"permission"`
	Name       string `json:"name"`
	Asked      string `json:"asked"`
	// Renamed is true when Asked is a former key of Permission.
	Renamed    bool   `json:"renamed"`
	Deprecated string `json:"deprecated,omitempty"`
	// Roles hold it, in authored order.
	Roles []RoleHolding `json:"roles"`
	// NotHeldBy lists the keys of the other roles.
	NotHeldBy []string `json:"not_held_by"`
}

// RoleHolding is one role's hold on a permission.
type RoleHolding struct {
	Role string `json:"role"`
	Name string `json:"role_name"`
	// Always and AlwaysEverywhere are as in Holding.
	Always           bool     `json:"always"`
	AlwaysEverywhere bool     `json:"always_everywhere"`
	When             []string `json:"when"`
	Scope            string   `json:"scope,omitempty"`
	// Ways are the ways the role holds it (see Holding.Ways).
	Ways    []Way    `json:"ways"`
	Notes   []string `json:"notes"`
	Reasons []Reason `json:"reasons"`
}

// WhoCan lists the roles that hold the permission and under which
// conditions. A former key (`formerly`) is accepted and reported as
// renamed; an unknown key is an error that suggests the closest key.
func WhoCan(cat *schema.Catalog, permKey string) (*WhoCanResult, error) {
	if cat == nil {
		return nil, fmt.Errorf("no catalog")
	}
	p, renamed := lookupPermission(cat, permKey)
	if p == nil {
		return nil, unknownPermission(cat, permKey)
	}
	res := &WhoCanResult{
		Permission: p.Key,
		Name:       p.Name,
		Asked:      permKey,
		Renamed:    renamed,
		Deprecated: p.Deprecated,
		Roles:      []RoleHolding{},
		NotHeldBy:  []string{},
	}
	for _, r := range cat.Roles {
		g := r.EffectiveOf(p)
		if g == nil {
			res.NotHeldBy = append(res.NotHeldBy, r.Key)
			continue
		}
		h := holdingOf(r, g, nil)
		res.Roles = append(res.Roles, RoleHolding{
			Role: r.Key, Name: r.Name,
			Always: h.Always, AlwaysEverywhere: h.AlwaysEverywhere, When: h.When, Scope: h.Scope, Ways: h.Ways, Notes: h.Notes, Reasons: h.Reasons,
		})
	}
	return res, nil
}

// lookupPermission finds a permission by its key or a former key.
func lookupPermission(cat *schema.Catalog, key string) (p *schema.Permission, former bool) {
	if p := cat.PermissionByKey(key); p != nil {
		return p, false
	}
	for _, p := range cat.Permissions {
		for _, f := range p.Formerly {
			if f == key {
				return p, true
			}
		}
	}
	return nil, false
}

// unknownPermission builds the error for a key that is neither current nor
// former, suggesting a key by display name or by spelling.
func unknownPermission(cat *schema.Catalog, key string) error {
	return fmt.Errorf("unknown permission %q%s", key, permissionHint(cat, key))
}

func permissionHint(cat *schema.Catalog, key string) string {
	trimmed := strings.TrimSpace(key)
	// A key the catalog had once is not a typo: say what became of it.
	if cat.Lock != nil {
		for _, e := range cat.Lock.Entries {
			if e.Retired && e.Key == trimmed {
				return fmt.Sprintf(" (it was deleted from the catalog; permcat.lock keeps its ID %d retired)", e.ID)
			}
		}
	}
	var keys []string
	for _, p := range cat.Permissions {
		if strings.EqualFold(p.Name, trimmed) {
			return fmt.Sprintf(" (did you mean %q, the key of %q?)", p.Key, p.Name)
		}
		keys = append(keys, p.Key)
	}
	if trimmed != key {
		if p, _ := lookupPermission(cat, trimmed); p != nil {
			return fmt.Sprintf(" (did you mean %q, without the spaces?)", p.Key)
		}
	}
	return didYouMean(trimmed, keys)
}

// Text writes the result for a terminal.
func (r *WhoCanResult) Text(w io.Writer) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "%s  %s\n", r.Permission, oneLine(r.Name))
	if r.Renamed {
		fmt.Fprintf(ew, "(%s is a former key; the permission is now %s)\n", r.Asked, r.Permission)
	}
	if r.Deprecated != "" {
		fmt.Fprintf(ew, "Deprecated: %s\n", oneLine(r.Deprecated))
	}
	total := len(r.Roles) + len(r.NotHeldBy)
	if len(r.Roles) == 0 {
		fmt.Fprintf(ew, "\nNo role holds it (%s in the catalog).\n", count(total, "role"))
	} else {
		fmt.Fprintf(ew, "\nHeld by %d of %s:\n", len(r.Roles), count(total, "role"))
	}
	for _, h := range r.Roles {
		writeHolding(ew, "  ", h.Role, Holding{
			Name: h.Name, Always: h.Always, AlwaysEverywhere: h.AlwaysEverywhere, When: h.When, Scope: h.Scope, Ways: h.Ways, Notes: h.Notes, Reasons: h.Reasons,
		})
	}
	if len(r.NotHeldBy) > 0 && len(r.Roles) > 0 {
		fmt.Fprintf(ew, "\nNot held by: %s\n", strings.Join(r.NotHeldBy, ", "))
	}
	return ew.err
}

// JSON writes the result as indented JSON.
func (r *WhoCanResult) JSON(w io.Writer) error { return writeJSON(w, r) }

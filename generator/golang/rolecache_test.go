package golang

import (
	"fmt"
	"testing"

	"github.com/permcat/permcat/schema"
)

// The role cache keeps a view while roles × 2^conditions fits in
// roleCacheLimit slots, 2^16 included; the scope views only when all fit.
func TestRoleCacheKeepsWhatFits(t *testing.T) {
	for _, c := range []struct {
		roles, conds, scopes int
		want                 int
	}{
		{1, 16, 0, 1},   // exactly 65,536 slots
		{2, 16, 0, 0},   // one past
		{1, 17, 0, 0},   // 2^17 alone is too many
		{4, 4, 2, 4},    // every view: 4 roles × 4 views × 16
		{300, 4, 20, 1}, // 300 × 22 × 16 > 65,536 ≥ 300 × 16
	} {
		b := newCatalog("cache", "Cache")
		g := b.group(nil, "g", "G")
		p := b.perm(g, "view", "View")
		for i := 0; i < c.conds; i++ {
			b.condition(fmt.Sprintf("c%d", i), "C.")
		}
		var last = b.scopeOrNil(c.scopes)
		for i := 0; i < c.roles; i++ {
			r := b.role(fmt.Sprintf("r%d", i), "R", nil)
			b.grantIn(r, nil, last, p)
		}
		gen, err := newGen(b.done(), Options{Package: "cache"})
		if err != nil {
			t.Fatal(err)
		}
		if got := gen.roleCachedViews(); got != c.want {
			t.Errorf("%d roles, %d conditions, %d scopes: %d views cached, want %d", c.roles, c.conds, c.scopes, got, c.want)
		}
	}
}

// scopeOrNil declares n scopes and returns the last, or nil for none.
func (b *catalogBuilder) scopeOrNil(n int) (last *schema.Scope) {
	for i := 0; i < n; i++ {
		last = b.scope(fmt.Sprintf("s%d", i), "S.")
	}
	return last
}

package golang

import (
	"fmt"
	"testing"

	"github.com/permcat/permcat/schema"
)

// largeCatalog has n permissions in groups of 100, every other one implying
// and requiring the one before it, an admin holding everything and a role
// holding a twentieth of it under a condition.
func largeCatalog(n int) *schema.Catalog {
	b := newCatalog("large", "Large")
	c := b.condition("on_call", "The user is on call.")
	var all []*schema.Permission
	for i := 0; len(all) < n; i++ {
		g := b.group(nil, fmt.Sprintf("area_%d", i), fmt.Sprintf("Area %d", i))
		var prev *schema.Permission
		for j := 0; j < 100 && len(all) < n; j++ {
			p := b.perm(g, fmt.Sprintf("action_%d", j), fmt.Sprintf("Action %d", j))
			if j%2 == 1 {
				p.Implies = []*schema.Permission{prev}
				p.Requires = []*schema.Permission{prev}
			}
			prev = p
			all = append(all, p)
		}
	}
	b.grant(b.role("admin", "Admin", nil), nil, all...)
	b.grant(b.role("on_call", "On call", nil), c, all[:n/20]...)
	b.profile("auditor", "Auditor", all[:min(n, 100)]...)
	return b.done()
}

func BenchmarkGenerate(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		cat := largeCatalog(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Generate(cat, Options{Package: "large"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

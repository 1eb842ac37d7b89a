package golang

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/permcat/permcat/schema"
)

// integrationsCatalog is a small catalog in the shape of the seeds: nested
// groups, a scope, a condition, a renamed group (formerly), a deprecated
// permission, implies and requires, extends, a profile, a retired ID and a
// permission added in the middle after the fact (IDs out of authored order).
func integrationsCatalog() *schema.Catalog {
	b := newCatalog("dutchie_pos", "Dutchie POS integrations")
	b.cat.Description = "Permissions for the Dutchie POS integrations."
	facility := b.scope("facility", "A licensed facility; Metrc permissions are set per facility.")
	sees := b.condition("salesperson_sees_all_customers", `The team member's "view all customers" option is on.`)

	customers := b.group(nil, "customers", "Customers")
	customers.Location = "Backoffice > Customers"
	assigned := b.perm(customers, "view_assigned", "View Assigned Customers")
	all := b.perm(customers, "view_all", "View All Customers")
	all.Implies = []*schema.Permission{assigned}
	export := b.perm(customers, "export", "Export Customers")
	export.Requires = []*schema.Permission{all}
	export.Deprecated = "Exports moved to the reports group."

	integrations := b.group(nil, "integrations", "Integrations")
	integrations.Location = "Backoffice > Settings > Integrations"
	metrc := b.group(integrations, "metrc", "Metrc")
	metrc.Scope = facility
	mView := b.perm(metrc, "view", "View METRC Integration")
	mEdit := b.perm(metrc, "edit", "Edit METRC Integration")
	mEdit.Description = "Allows users to configure and edit the METRC integration.\n\nAlso required to edit the Mode field (batch or real time)."
	mEdit.Requires = []*schema.Permission{mView}
	mManage := b.perm(metrc, "manage", "Manage METRC")
	mManage.Implies = []*schema.Permission{mView, mEdit}
	b.nextID++ // a retired permission kept ID 7
	pay := b.group(integrations, "posabit_pay", "POSaBit Pay")
	pay.Aliases = []string{"Hypur"}
	pay.Formerly = []string{"integrations.hypur"}
	pView := b.perm(pay, "view", "View POSaBit Pay Integration")
	pView.Formerly = []string{"integrations.hypur.view"}
	pEdit := b.perm(pay, "edit", "Edit POSaBit Pay Integration")
	pEdit.Formerly = []string{"integrations.hypur.edit", "integrations.hypur.configure"}
	pEdit.Requires = []*schema.Permission{pView}
	// Added later in the middle of customers: a new, higher ID.
	notes := b.perm(customers, "notes", "Edit Customer Notes")
	notes.Requires = []*schema.Permission{assigned}

	admin := b.role("admin", "Admin", customers)
	b.grant(admin, nil, assigned, all, export, mView, mEdit, mManage, pView, pEdit, notes)
	sales := b.role("salesperson", "Salesperson", customers)
	sales.Description = "Sells to customers; sees all of them only when the option is on."
	b.grant(sales, nil, assigned, notes)
	b.grant(sales, sees, all)
	regional := b.role("regional_admin", "Regional admin", nil, sales)
	b.grant(regional, nil, mView, pView)
	b.role("auditor", "Auditor", nil)

	b.profile("reverse_sync_user", "Reverse Sync User", mManage, pEdit)
	return b.done()
}

// lengthsCatalog has keys of every length from 1 to 100 bytes, so each way
// the generated hash reads a key is taken: groups of 1 to 8 bytes,
// permissions of 3 to 100, former keys as short as 3 and as long as 120.
// Two permission keys agree on their first and last 16 bytes, which makes
// the permission hash read every byte.
func lengthsCatalog() *schema.Catalog {
	b := newCatalog("lengths", "Keys of every length")
	var groups []*schema.Group
	for l := 1; l <= 8; l++ {
		groups = append(groups, b.group(nil, strings.Repeat(string(rune('a'+l-1)), l), fmt.Sprintf("Group of %d", l)))
	}
	var perms []*schema.Permission
	for n := 3; n <= 100; n++ {
		g := groups[n%len(groups)]
		if n < len(g.Key)+2 {
			g = groups[0]
		}
		p := b.perm(g, "p"+strings.Repeat("q", n-len(g.Key)-2), fmt.Sprintf("Key of %d bytes", n))
		perms = append(perms, p)
	}
	perms[0].Formerly = []string{"z.y"}
	perms[50].Formerly = []string{strings.Repeat("former.", 17) + "x"}
	twins := b.group(nil, "twins_and_more_bytes", "Twins")
	t1 := b.perm(twins, "aaaa_middle_one_zzzz_the_end_of_it", "One")
	t2 := b.perm(twins, "aaaa_middle_two_zzzz_the_end_of_it", "Two")
	r := b.role("r", "R", nil)
	b.grant(r, nil, append(perms, t1, t2)...)
	b.role(strings.Repeat("long_role_", 8), "Long", nil)
	b.profile("p", "P", t1)
	b.profile(strings.Repeat("profile_", 5), "P2", t2)
	return b.done()
}

// onePermissionCatalog is the smallest catalog there is: no scopes,
// conditions, roles or profiles.
func onePermissionCatalog() *schema.Catalog {
	b := newCatalog("tiny", "")
	g := b.group(nil, "reports", "Reports")
	b.perm(g, "view", "View Reports")
	return b.done()
}

// randomCatalog builds a valid catalog of varied shape from a seed: deep
// groups, implies chains (acyclic: a permission only implies earlier ones),
// requires met by every role (roles are closed over requires before their
// implies are), conditions, scopes, formerly keys, deprecations, retired
// IDs and, when bigIDs is set, IDs past 65535 so Permission is a uint32.
func randomCatalog(seed uint64, bigIDs bool) *schema.Catalog {
	r := rand.New(rand.NewPCG(seed, seed*7+1))
	b := newCatalog(fmt.Sprintf("random_%d", seed), fmt.Sprintf("Random catalog %d", seed))
	if bigIDs {
		b.nextID = 65530
	}
	var scopes []*schema.Scope
	for i := r.IntN(3); i > 0; i-- {
		scopes = append(scopes, b.scope(fmt.Sprintf("scope_%d", i), "A scope."))
	}
	var conds []*schema.Condition
	for i := r.IntN(6); i > 0; i-- {
		conds = append(conds, b.condition(fmt.Sprintf("cond_%d", i), "A condition."))
	}
	var groups []*schema.Group
	var perms []*schema.Permission
	nGroups := 1 + r.IntN(12)
	for i := 0; i < nGroups; i++ {
		var parent *schema.Group
		if len(groups) > 0 && r.IntN(3) > 0 {
			parent = groups[r.IntN(len(groups))]
		}
		g := b.group(parent, fmt.Sprintf("g%d", i), fmt.Sprintf("Group %d", i))
		if len(scopes) > 0 && r.IntN(4) == 0 {
			g.Scope = scopes[r.IntN(len(scopes))]
		}
		if r.IntN(5) == 0 {
			g.Location = fmt.Sprintf("Settings > Group %d", i)
		}
		groups = append(groups, g)
		for j := r.IntN(6); j >= 0; j-- {
			if r.IntN(8) == 0 {
				b.nextID += uint32(1 + r.IntN(40)) // retired IDs
			}
			p := b.perm(g, fmt.Sprintf("p%d_%d", i, j), fmt.Sprintf("Do thing %d of group %d", j, i))
			if r.IntN(6) == 0 {
				p.Deprecated = "Use something else."
			}
			if r.IntN(6) == 0 {
				p.Formerly = []string{fmt.Sprintf("old.g%d.p%d", i, j)}
			}
			if len(scopes) > 0 && r.IntN(6) == 0 {
				p.Scope = scopes[r.IntN(len(scopes))]
			}
			for k := r.IntN(3); k > 0 && len(perms) > 0; k-- {
				q := perms[r.IntN(len(perms))]
				if r.IntN(2) == 0 {
					p.Implies = appendOnce(p.Implies, q)
				} else {
					p.Requires = appendOnce(p.Requires, q)
				}
			}
			perms = append(perms, p)
		}
	}
	if r.IntN(3) == 0 && len(perms) > 1 {
		// Shuffle IDs so authored order is not ID order.
		i, j := r.IntN(len(perms)), r.IntN(len(perms))
		perms[i].ID, perms[j].ID = perms[j].ID, perms[i].ID
	}
	nRoles := r.IntN(6)
	if seed%5 == 4 {
		nRoles = 300 // Role becomes a uint16
	}
	var roles []*schema.Role
	for i := 0; i < nRoles; i++ {
		var extends []*schema.Role
		if len(roles) > 0 && r.IntN(3) == 0 {
			extends = append(extends, roles[r.IntN(len(roles))])
		}
		var landing *schema.Group
		if r.IntN(2) == 0 {
			landing = groups[r.IntN(len(groups))]
		}
		role := b.role(fmt.Sprintf("role_%d", i), fmt.Sprintf("Role %d", i), landing, extends...)
		for k := r.IntN(8); k > 0; k-- {
			var when *schema.Condition
			if len(conds) > 0 && r.IntN(3) == 0 {
				when = conds[r.IntN(len(conds))]
			}
			// Granting what a permission requires under the same
			// condition keeps the role valid.
			ps := withRequires(perms[r.IntN(len(perms))])
			var scope *schema.Scope
			if len(scopes) > 0 && r.IntN(3) == 0 {
				scope = scopes[r.IntN(len(scopes))]
				// Only permissions without a scope of their own can be
				// bound to another; what they require follows them.
				if slices.ContainsFunc(ps, func(p *schema.Permission) bool { return p.Scope != nil && p.Scope != scope }) {
					scope = nil
				}
			}
			b.grantIn(role, when, scope, ps...)
		}
		roles = append(roles, role)
	}
	for i := r.IntN(4); i > 0; i-- {
		var req []*schema.Permission
		for k := 1 + r.IntN(4); k > 0; k-- {
			req = appendOnce(req, perms[r.IntN(len(perms))])
		}
		b.profile(fmt.Sprintf("profile_%d", i), fmt.Sprintf("Profile %d", i), req...)
	}
	return b.done()
}

func appendOnce(ps []*schema.Permission, p *schema.Permission) []*schema.Permission {
	for _, q := range ps {
		if q == p {
			return ps
		}
	}
	return append(ps, p)
}

// withRequires is p plus everything it needs, transitively through requires
// and implies.
func withRequires(p *schema.Permission) []*schema.Permission {
	var out []*schema.Permission
	seen := map[*schema.Permission]bool{}
	var visit func(q *schema.Permission)
	visit = func(q *schema.Permission) {
		if seen[q] {
			return
		}
		seen[q] = true
		out = append(out, q)
		for _, x := range q.Requires {
			visit(x)
		}
		for _, x := range q.Implies {
			visit(x)
		}
	}
	visit(p)
	return out
}

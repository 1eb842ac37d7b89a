package sql

import (
	"slices"
	"strconv"
	"strings"

	"github.com/permcat/permcat/schema"
)

// fixture builds a resolved catalog by hand, wiring parents, indexes and IDs
// the way schema.Compile does, so tests can shape exactly the catalog a case
// needs (renames, hostile strings, thousands of permissions).
type fixture struct {
	cat    *schema.Catalog
	nextID uint32
}

func newFixture(name string) *fixture {
	return &fixture{cat: &schema.Catalog{Name: name, Title: name}, nextID: 1}
}

func (f *fixture) scope(key, desc string) *schema.Scope {
	s := &schema.Scope{Key: key, Description: desc, Index: len(f.cat.Scopes)}
	f.cat.Scopes = append(f.cat.Scopes, s)
	return s
}

func (f *fixture) condition(key, desc string) *schema.Condition {
	c := &schema.Condition{Key: key, Description: desc, Index: len(f.cat.Conditions)}
	f.cat.Conditions = append(f.cat.Conditions, c)
	return c
}

// group adds a group; its parent (by key) must already exist.
func (f *fixture) group(key, name string) *schema.Group {
	g := &schema.Group{Key: key, Name: name, Index: len(f.cat.Groups)}
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		g.Parent = f.cat.GroupByKey(key[:i])
		g.Segment = key[i+1:]
		g.Parent.Groups = append(g.Parent.Groups, g)
	} else {
		g.Segment = key
		f.cat.TopGroups = append(f.cat.TopGroups, g)
	}
	f.cat.Groups = append(f.cat.Groups, g)
	return g
}

// perm adds a permission to the group its key names, with the next ID.
func (f *fixture) perm(key, name, desc string) *schema.Permission {
	i := strings.LastIndexByte(key, '.')
	g := f.cat.GroupByKey(key[:i])
	p := &schema.Permission{Key: key, Segment: key[i+1:], Group: g, ID: f.nextID, Name: name, Description: desc}
	f.nextID++
	g.Permissions = append(g.Permissions, p)
	f.cat.Permissions = append(f.cat.Permissions, p)
	return p
}

func (f *fixture) p(key string) *schema.Permission { return f.cat.PermissionByKey(key) }

func (f *fixture) scopeByKey(key string) *schema.Scope {
	for _, s := range f.cat.Scopes {
		if s.Key == key {
			return s
		}
	}
	return nil
}

func (f *fixture) implies(from string, to ...string) {
	p := f.p(from)
	for _, k := range to {
		p.Implies = append(p.Implies, f.p(k))
	}
}

func (f *fixture) requires(from string, to ...string) {
	p := f.p(from)
	for _, k := range to {
		p.Requires = append(p.Requires, f.p(k))
	}
}

func (f *fixture) role(key, name string, landing string) *schema.Role {
	r := &schema.Role{Key: key, Name: name, Index: len(f.cat.Roles)}
	if landing != "" {
		r.Landing = f.cat.GroupByKey(landing)
	}
	f.cat.Roles = append(f.cat.Roles, r)
	return r
}

// grant gives role r permission key, always when no condition is named,
// else while any of the conditions holds, bound to the permission's own
// scope (if any) as the resolver binds it.
func (f *fixture) grant(r *schema.Role, key string, conditions ...string) {
	p := f.p(key)
	if len(conditions) == 0 {
		f.grantWays(r, key, schema.Way{Scope: p.Scope})
		return
	}
	ways := make([]schema.Way, len(conditions))
	for i, c := range conditions {
		ways[i] = schema.Way{When: f.cat.ConditionByKey(c), Scope: p.Scope}
	}
	f.grantWays(r, key, ways...)
}

// grantWays gives role r permission key in exactly the ways given, which
// the caller keeps minimal and sorted as the resolver does; Always, When
// and Scope are derived from them.
func (f *fixture) grantWays(r *schema.Role, key string, ways ...schema.Way) {
	g := &schema.EffectiveGrant{Permission: f.p(key), Ways: ways}
	if len(ways) > 0 {
		g.Scope = ways[0].Scope
	}
	for _, w := range ways {
		if w.When == nil {
			g.Always = true
		} else if !slices.Contains(g.When, w.When) {
			g.When = append(g.When, w.When)
		}
		if w.Scope != g.Scope {
			g.Scope = nil
		}
	}
	if g.Always {
		g.When = nil
	}
	r.Effective = append(r.Effective, g)
}

func (f *fixture) profile(key, name string, perms ...string) *schema.Profile {
	p := &schema.Profile{Key: key, Name: name, Index: len(f.cat.Profiles)}
	for _, k := range perms {
		p.Requires = append(p.Requires, f.p(k))
	}
	f.cat.Profiles = append(f.cat.Profiles, p)
	return p
}

// done renumbers positions in authored order and sets MaxID.
func (f *fixture) done() *schema.Catalog {
	for i, p := range f.cat.Permissions {
		p.Index = i
		if p.ID > f.cat.MaxID {
			f.cat.MaxID = p.ID
		}
	}
	return f.cat
}

// shopV1 is a small catalog in the shape of the seeds: nested groups, a
// preset-like view/edit pair, a scope, a condition, a profile, a renamed
// group's former key waiting to be used by v2.
func shopV1() *schema.Catalog {
	f := newFixture("shop")
	f.scope("facility", "A licensed facility.")
	f.condition("sees_all_customers", `The team member's "view all customers" option is on.`)
	f.group("customers", "Customers").Location = "Customers"
	f.perm("customers.view_all", "View all customers", "")
	f.perm("customers.view_assigned", "View assigned customers", "")
	f.perm("customers.edit", "Edit a customer's profile info", "Varies from integration to integration.")
	f.implies("customers.view_all", "customers.view_assigned")
	f.group("integrations", "Integrations").Location = `Backoffice > Settings > Integrations`
	f.group("integrations.hypur", "Hypur")
	f.perm("integrations.hypur.view", "View Hypur Integration", "Allows users to view the Hypur integration.")
	f.perm("integrations.hypur.edit", "Edit Hypur Integration", "Allows users to configure and edit the Hypur integration.")
	f.requires("integrations.hypur.edit", "integrations.hypur.view")
	f.group("integrations.metrc", "Metrc").Scope = f.cat.Scopes[0]
	f.perm("integrations.metrc.view", "View Metrc Integration", "")
	f.perm("integrations.metrc.edit", "Edit Metrc Integration", "Also required to edit the Mode field.")
	f.perm("integrations.metrc.batch", "METRC Batch Mode", "Batch sync data to METRC instead of real time.")
	for _, k := range []string{"integrations.metrc.view", "integrations.metrc.edit", "integrations.metrc.batch"} {
		f.p(k).Scope = f.cat.Scopes[0]
	}
	f.requires("integrations.metrc.edit", "integrations.metrc.view")
	f.requires("integrations.metrc.batch", "integrations.metrc.edit")
	f.perm("integrations.metrc.legacy_sync", "Legacy sync", "").Deprecated = "Replaced by batch mode."
	f.scope("store", "A store.")
	f.group("reports", "Reports")
	f.group("reports.sales", "Sales reports")
	f.perm("reports.sales.run", "View and run reports", "").Scope = f.cat.Scopes[1]
	admin := f.role("admin", "Admin", "customers")
	for _, p := range f.cat.Permissions {
		f.grant(admin, p.Key)
	}
	sales := f.role("salesperson", "Salesperson", "customers")
	f.grant(sales, "customers.view_all", "sees_all_customers")
	f.grant(sales, "customers.view_assigned")
	f.grant(sales, "integrations.metrc.view")
	dispatcher := f.role("dispatcher", "Dispatcher", "reports.sales")
	f.grant(dispatcher, "reports.sales.run", "sees_all_customers")
	f.profile("reverse_sync_user", "Reverse Sync User", "integrations.metrc.view", "integrations.metrc.edit")
	f.profile("auditor", "Auditor", "reports.sales.run")
	return f.done()
}

// shopV2 is shopV1 one release later: the Hypur group moved to
// integrations.posabit_pay (`formerly`), customers.edit became
// customers.edit_profile, legacy_sync and the reports group are gone,
// Manage is new, a condition and a scope were added and one removed, the
// dispatcher role left and a viewer role arrived, and several names,
// links and grants changed.
func shopV2() *schema.Catalog {
	f := newFixture("shop")
	f.scope("facility", "A licensed facility; permissions vary per facility.")
	f.condition("sees_all_customers", `The team member's "view all customers" option is on.`)
	f.condition("on_shift", "The team member is on shift.")
	f.group("customers", "Customers").Location = "Customers"
	f.perm("customers.view_all", "View all customers", "")
	f.perm("customers.view_assigned", "View assigned customers", "")
	e := f.perm("customers.edit_profile", "Edit a customer's profile info", "Varies from integration to integration.")
	e.ID = 3
	e.Formerly = []string{"customers.edit"}
	f.implies("customers.view_all", "customers.view_assigned")
	f.group("integrations", "Integrations").Location = `Backoffice > Settings > Integrations`
	g := f.group("integrations.posabit_pay", "POSaBit Pay")
	g.Aliases = []string{"Hypur"}
	g.Formerly = []string{"integrations.hypur"}
	v := f.perm("integrations.posabit_pay.view", "View POSaBit Pay Integration", "Allows users to view the POSaBit Pay integration.")
	v.ID, v.Formerly = 4, []string{"integrations.hypur.view"}
	ed := f.perm("integrations.posabit_pay.edit", "Edit POSaBit Pay Integration", "Allows users to configure and edit the POSaBit Pay integration.")
	ed.ID, ed.Formerly = 5, []string{"integrations.hypur.edit"}
	f.requires("integrations.posabit_pay.edit", "integrations.posabit_pay.view")
	m := f.group("integrations.metrc", "Metrc")
	m.Description = "State traceability."
	m.Scope = f.cat.Scopes[0]
	f.perm("integrations.metrc.view", "View Metrc Integration", "").ID = 6
	f.perm("integrations.metrc.edit", "Edit Metrc Integration", "Also required to edit the Mode field.").ID = 7
	f.perm("integrations.metrc.batch", "METRC Batch Mode", "Batch sync data to METRC instead of real time.").ID = 8
	f.perm("integrations.metrc.manage", "Manage Metrc", "Full access.").ID = 11
	for _, k := range []string{"integrations.metrc.view", "integrations.metrc.edit", "integrations.metrc.batch", "integrations.metrc.manage"} {
		f.p(k).Scope = f.cat.Scopes[0]
	}
	f.requires("integrations.metrc.edit", "integrations.metrc.view")
	f.requires("integrations.metrc.batch", "integrations.metrc.manage")
	f.implies("integrations.metrc.manage", "integrations.metrc.view", "integrations.metrc.edit")
	admin := f.role("admin", "Administrator", "customers")
	for _, p := range f.cat.Permissions {
		f.grant(admin, p.Key)
	}
	sales := f.role("salesperson", "Salesperson", "integrations.posabit_pay")
	sales.Note = "Sees every customer now."
	f.grant(sales, "customers.view_all")
	f.grant(sales, "customers.view_assigned")
	f.grant(sales, "integrations.metrc.view", "sees_all_customers", "on_shift")
	viewer := f.role("viewer", "Viewer", "")
	f.grant(viewer, "integrations.posabit_pay.view", "on_shift")
	f.profile("reverse_sync_user", "Reverse Sync User", "integrations.metrc.manage")
	return f.done()
}

// hostileStrings are texts that break naive quoting in at least one
// dialect: quotes, backslashes (MySQL escapes), dollar quotes (PostgreSQL),
// comment openers, statement separators, client meta-commands, line breaks,
// control characters, non-BMP characters and long text.
var hostileStrings = []string{
	`O'Brien's "quoted" name`,
	`back\slash \\ double \' escaped quote \n not a newline \0 not a NUL`,
	`\`, `'`, `''`, `\'`, `'\`, `\\'`, "\\ at the end\\",
	`$$ dollar $$`, `$permcat$ tag $permcat$`, `$1 ?`,
	`-- not a comment`, `/* not a comment */`, `*/ closes nothing /*`,
	`'; DROP TABLE permcat_permissions; --`, `; COMMIT; ROLLBACK;`,
	"line one\nline two\r\nline three\n",
	"\n\n\nblank lines\n\n",
	"tab\there and trailing spaces   ",
	"U+2028\u2028and U+2029\u2029 and NEL\u0085",
	"emoji 😀 🏳️‍🌈 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
	"ümlaut façade 日本語 עברית",
	"control \x01\x1b[31m\x7f chars",
	`:var :'var' :"var" \set x \gexec \! ls`,
	"E'\\x41' and _utf8mb4 X'41' and char(65)",
	"%s %d {name} {{.Header}}",
	"NULL", "null", "",
	"\uFEFFbyte order mark",
	strings.Repeat("long text with a quote ' and a backslash \\ ", 2000),
}

// hostileCatalog spreads hostileStrings over every text column.
func hostileCatalog() *schema.Catalog {
	f := newFixture("hostile")
	next := 0
	h := func() string {
		s := hostileStrings[next%len(hostileStrings)]
		next++
		return s
	}
	f.scope("facility", h())
	f.condition("flag", h())
	g := f.group("weird", h())
	g.Description, g.Location, g.Note = h(), h(), h()
	sub := f.group("weird.sub", h())
	sub.Description = h()
	for i := 0; i < len(hostileStrings); i++ {
		p := f.perm("weird.sub.p"+strconv.Itoa(i), h(), h())
		p.Note, p.Location = h(), h()
		if i%3 == 0 {
			p.Deprecated = h()
		}
		if i%4 == 0 {
			p.Scope = f.cat.Scopes[0]
		}
	}
	r := f.role("odd", h(), "weird")
	r.Description, r.Note = h(), h()
	for i, p := range f.cat.Permissions {
		if i%2 == 0 {
			f.grant(r, p.Key)
		} else {
			f.grant(r, p.Key, "flag")
		}
	}
	pr := f.profile("odd_profile", h(), f.cat.Permissions[0].Key)
	pr.Description, pr.Note = h(), h()
	return f.done()
}

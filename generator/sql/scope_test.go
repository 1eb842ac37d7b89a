package sql

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/permcat/permcat/schema"
)

// scopedYAML is a catalog whose roles hold permissions bound to scopes in
// every way the resolver knows: a grant naming a scope, a permission with
// a scope of its own (its group's), a scope carried by implication, a
// permission held both always within a store and everywhere while a
// condition holds, a way with both a condition and a scope, and a role
// holding one permission bound to two different scopes through extends.
// The first %s is where further scopes go, the second the options of the
// supervisor's orders.view grant, so that releases differ in just those.
const scopedYAML = `permcat: 1
catalog: scoped
conditions:
  on_shift:
    description: The user is on shift.
scopes:
  facility:
    description: A licensed facility.
  store:
    description: A store.
%s
groups:
  orders:
    name: Orders
    permissions:
      view: {name: View orders}
      refund: {name: Refund orders, implies: [view]}
  metrc:
    name: Metrc
    scope: facility
    permissions:
      sync: {name: Sync with Metrc}
  reports:
    name: Reports
    permissions:
      run: {name: Run reports}
roles:
  owner:
    name: Owner
    grants: ["**"]
  clerk:
    name: Clerk
    grants:
      - orders.view: {scope: store}
      - metrc.sync
  supervisor:
    name: Supervisor
    grants:
      - orders.view: %s
      - reports.run: {scope: store}
      - reports.run: {when: on_shift}
  area_manager:
    name: Area manager
    extends: [clerk, supervisor]
  night_cashier:
    name: Night cashier
    grants:
      - orders.refund: {when: on_shift, scope: store}
`

const regionScope = `  region:
    description: A sales region.`

// compileScoped compiles scopedYAML with the supervisor's orders.view
// grant options and the extra scopes given.
func compileScoped(t *testing.T, supervisorView, extraScopes string) *schema.Catalog {
	t.Helper()
	dir := t.TempDir()
	src := fmt.Sprintf(scopedYAML, extraScopes, supervisorView)
	if err := os.WriteFile(filepath.Join(dir, "permcat.yaml"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	cat, errs := schema.Compile(dir, schema.Options{NoLock: true})
	if errs.HasErrors() || cat == nil {
		t.Fatalf("compiling the scoped catalog:\n%v", errs)
	}
	return cat
}

// The three releases of the scoped catalog: v2 only moves the
// supervisor's orders.view grant from the region to the store scope; v3
// drops the region scope, which nothing refers to any more.
func scopedV1(t *testing.T) *schema.Catalog {
	return compileScoped(t, "{scope: region}", regionScope)
}
func scopedV2(t *testing.T) *schema.Catalog { return compileScoped(t, "{scope: store}", regionScope) }
func scopedV3(t *testing.T) *schema.Catalog { return compileScoped(t, "{scope: store}", "") }

// way is one expected row of role_permissions; "" stands for NULL.
type way struct{ role, perm, cond, scope string }

func (w way) encode() string {
	cell := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	return encodeRow([]*string{cell(w.role), cell(w.perm), cell(w.cond), cell(w.scope)})
}

// scopedRows are the rows each release must leave, written out by hand
// rather than derived from the model, so that a generator (or a model)
// that drops or moves a scope is caught.
func scopedRows(release int) []string {
	common := []way{
		{"owner", "orders.view", "", ""},
		{"owner", "orders.refund", "", ""},
		{"owner", "metrc.sync", "", "facility"}, // the permission's own scope
		{"owner", "reports.run", "", ""},
		{"clerk", "orders.view", "", "store"},
		{"clerk", "metrc.sync", "", "facility"},
		{"supervisor", "reports.run", "", "store"},    // always, within a store
		{"supervisor", "reports.run", "on_shift", ""}, // everywhere while on shift
		{"area_manager", "orders.view", "", "store"},
		{"area_manager", "metrc.sync", "", "facility"},
		{"area_manager", "reports.run", "", "store"},
		{"area_manager", "reports.run", "on_shift", ""},
		{"night_cashier", "orders.view", "on_shift", "store"}, // implied, bound like its implier
		{"night_cashier", "orders.refund", "on_shift", "store"},
	}
	var rows []way
	if release == 1 {
		rows = []way{
			{"supervisor", "orders.view", "", "region"},
			{"area_manager", "orders.view", "", "region"}, // a second scope, from the other extended role
		}
	} else {
		rows = []way{{"supervisor", "orders.view", "", "store"}}
	}
	var out []string
	for _, w := range append(common, rows...) {
		out = append(out, w.encode())
	}
	return out
}

// checkScopedRows fails unless role_permissions holds exactly rows, and
// every other table exactly what cat says.
func checkScopedRows(t *testing.T, db testDB, cat *schema.Catalog, rows []string) {
	t.Helper()
	got, err := db.table(DefaultPrefix+"role_permissions", []string{"role_key", "permission_key", "condition_key", "scope_key"})
	if err != nil {
		t.Fatal(err)
	}
	sameRows(t, db.dialect()+": role_permissions", got, rows)
	checkContents(t, db, DefaultPrefix, cat)
}

func TestTheModelHoldsTheScopedWaysTheSeedIsCheckedAgainst(t *testing.T) {
	// If the resolver changes its mind about these ways, the expected rows
	// below are what must change, not the generator.
	for release, cat := range map[int]*schema.Catalog{1: scopedV1(t), 2: scopedV2(t), 3: scopedV3(t)} {
		var fromModel []string
		for _, r := range cat.Roles {
			for _, g := range r.Effective {
				for _, w := range g.Ways {
					x := way{role: r.Key, perm: g.Permission.Key}
					if w.When != nil {
						x.cond = w.When.Key
					}
					if w.Scope != nil {
						x.scope = w.Scope.Key
					}
					fromModel = append(fromModel, x.encode())
				}
			}
		}
		sameRows(t, fmt.Sprintf("v%d: the model's ways", release), fromModel, scopedRows(release))
	}
}

func TestScopedGrantsLoadAsOneRowPerWayAndUpgradeExactly(t *testing.T) {
	eachDialect(t, func(t *testing.T, db testDB) {
		v1, v2, v3 := scopedV1(t), scopedV2(t), scopedV3(t)
		for _, step := range []struct {
			cat     *schema.Catalog
			release int
		}{
			{v1, 1},
			// Only a grant's scope changes: a row whose role, permission
			// and condition stay must still go.
			{v2, 2},
			// And back: a second scope joins a row that stays.
			{v1, 1},
			// The region scope goes, after the rows that referred to it.
			{v3, 3},
		} {
			apply(t, db, step.cat, DefaultPrefix)
			checkScopedRows(t, db, step.cat, scopedRows(step.release))
			apply(t, db, step.cat, DefaultPrefix)
			checkScopedRows(t, db, step.cat, scopedRows(step.release))
			if t.Failed() {
				t.Fatalf("after loading v%d", step.release)
			}
		}
		scopes, err := db.table(DefaultPrefix+"scopes", []string{"key"})
		if err != nil {
			t.Fatal(err)
		}
		if s := "region"; slices.Contains(scopes, encodeRow([]*string{&s})) {
			t.Error("the region scope outlived v3")
		}
	})
}

func TestTheSeedOnPostgresRewritesNoScopedRowOnASecondRun(t *testing.T) {
	db := openDB(t, "postgres").(*pgDB)
	apply(t, db, scopedV1(t), DefaultPrefix)
	cat := scopedV2(t)
	apply(t, db, cat, DefaultPrefix)
	cols := []string{"xmin", "role_key", "permission_key", "condition_key", "scope_key"}
	before, err := db.table(DefaultPrefix+"role_permissions", cols)
	if err != nil {
		t.Fatal(err)
	}
	apply(t, db, cat, DefaultPrefix)
	after, err := db.table(DefaultPrefix+"role_permissions", cols)
	if err != nil {
		t.Fatal(err)
	}
	sameRows(t, "row versions of role_permissions after a second run", after, before)
}

func TestRolePermissionsRejectsARepeatedWayWhateverItsNulls(t *testing.T) {
	eachDialect(t, func(t *testing.T, db testDB) {
		apply(t, db, scopedV1(t), DefaultPrefix)
		insert := func(w way) error {
			lit := func(s string) string {
				if s == "" {
					return "NULL"
				}
				return "'" + s + "'"
			}
			return db.exec(fmt.Sprintf("INSERT INTO %srole_permissions (role_key, permission_key, condition_key, scope_key) VALUES (%s, %s, %s, %s);",
				DefaultPrefix, lit(w.role), lit(w.perm), lit(w.cond), lit(w.scope)))
		}
		// Each is already there: every combination of NULLs.
		for _, w := range []way{
			{"owner", "orders.view", "", ""},
			{"clerk", "orders.view", "", "store"},
			{"supervisor", "reports.run", "on_shift", ""},
			{"night_cashier", "orders.refund", "on_shift", "store"},
		} {
			err := insert(w)
			if err == nil {
				t.Errorf("%s: a second row %v was accepted", db.dialect(), w)
				continue
			}
			if msg := strings.ToLower(err.Error()); !strings.Contains(msg, "unique") && !strings.Contains(msg, "duplicate") {
				t.Errorf("%s: inserting %v again failed, but not on uniqueness: %v", db.dialect(), w, err)
			}
		}
		// A row that differs in its scope alone is another way.
		if err := insert(way{"clerk", "orders.view", "", "facility"}); err != nil {
			t.Errorf("%s: a way differing only in scope was refused: %v", db.dialect(), err)
		}
		if err := insert(way{"clerk", "orders.view", "", ""}); err != nil {
			t.Errorf("%s: a way differing only in scope (NULL) was refused: %v", db.dialect(), err)
		}
		// The seed takes them out again.
		cat := scopedV1(t)
		apply(t, db, cat, DefaultPrefix)
		checkScopedRows(t, db, cat, scopedRows(1))
	})
}

// An application enforcing access from the seed asks whether a role holds
// a permission under the conditions that are on, within an instance of a
// scope (or outside every scope): that must answer as
// EffectiveGrant.Within does.
func TestScopedQueriesOnTheSeedAnswerAsTheModelDoes(t *testing.T) {
	cat := scopedV1(t)
	onShift := cat.ConditionByKey("on_shift")
	scopes := append([]*schema.Scope{nil}, cat.Scopes...)
	eachDialect(t, func(t *testing.T, db testDB) {
		apply(t, db, cat, DefaultPrefix)
		k := keyCol(db.dialect())
		for _, shift := range []bool{false, true} {
			for _, s := range scopes {
				cond := "rp.condition_key IS NULL"
				if shift {
					cond = "(rp.condition_key IS NULL OR rp.condition_key = 'on_shift')"
				}
				scope, where := "rp.scope_key IS NULL", "outside every scope"
				if s != nil {
					scope = "(rp.scope_key IS NULL OR rp.scope_key = '" + s.Key + "')"
					where = "within a " + s.Key
				}
				rows, err := db.query(`SELECT r.` + k + `, p.` + k + ` FROM permcat_roles r CROSS JOIN permcat_permissions p
WHERE EXISTS (SELECT 1 FROM permcat_role_permissions rp
    WHERE rp.role_key = r.` + k + ` AND rp.permission_key = p.` + k + ` AND ` + cond + ` AND ` + scope + `)`)
				if err != nil {
					t.Fatal(err)
				}
				var got, want []string
				for _, r := range rows {
					got = append(got, r[0]+" "+r[1])
				}
				for _, r := range cat.Roles {
					for _, g := range r.Effective {
						if g.Within(func(c *schema.Condition) bool { return shift && c == onShift }, s) {
							want = append(want, r.Key+" "+g.Permission.Key)
						}
					}
				}
				slices.Sort(got)
				slices.Sort(want)
				if !slices.Equal(got, want) {
					t.Errorf("%s: on shift %v, %s: SQL says\n  %v\nthe model\n  %v", db.dialect(), shift, where, got, want)
				}
				if s != nil && s.Key == "store" && !shift && !slices.Contains(want, "clerk orders.view") {
					t.Error("the model no longer lets a clerk view orders within a store; the check proves less than it should")
				}
			}
		}
	})
}

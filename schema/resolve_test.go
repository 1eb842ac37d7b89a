package schema

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// compileText compiles a catalog given as file name → content.
func compileText(t *testing.T, files map[string]string) (*Catalog, Errors, string) {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cat, errs := Compile(dir, Options{})
	return cat, errs, dir
}

func mustCompile(t *testing.T, files map[string]string) *Catalog {
	t.Helper()
	cat, errs, _ := compileText(t, files)
	if errs.HasErrors() {
		t.Fatalf("unexpected errors:\n%s", errs)
	}
	return cat
}

func effectiveText(r *Role) string {
	var parts []string
	for _, g := range r.Effective {
		s := g.Permission.Key
		if !g.Always {
			var cs []string
			for _, c := range g.When {
				cs = append(cs, c.Key)
			}
			s += "?" + strings.Join(cs, "|")
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

const shop = `permcat: 1
catalog: shop
conditions:
  senior: {description: The clerk is senior.}
  night: {description: It is night.}
groups:
  orders:
    name: Orders
    permissions:
      view: {name: View}
      edit: {name: Edit, requires: [view]}
      manage: {name: Manage, implies: [edit, view]}
      export: {name: Export}
  refunds:
    name: Refunds
    groups:
      card:
        name: Card
        permissions:
          issue: {name: Issue, requires: [orders.view]}
`

func TestRoleSetsAreClosedUnderImpliesAndKeepConditionsThroughExtends(t *testing.T) {
	cat := mustCompile(t, map[string]string{"permcat.yaml": shop + `roles:
  clerk:
    name: Clerk
    landing: orders
    grants:
      - orders.view
      - orders.manage: {when: senior}
  lead:
    name: Lead
    extends: [clerk]
    grants:
      - refunds.**
      - orders.export: {when: night}
  auditor:
    name: Auditor
    extends: [lead]
    grants: ["**"]
    except: [orders.export]
`})
	clerk, lead, auditor := cat.RoleByKey("clerk"), cat.RoleByKey("lead"), cat.RoleByKey("auditor")
	if got, want := effectiveText(clerk), "orders.view orders.edit?senior orders.manage?senior"; got != want {
		t.Errorf("clerk = %s, want %s", got, want)
	}
	if got, want := effectiveText(lead), "orders.view orders.edit?senior orders.manage?senior orders.export?night refunds.card.issue"; got != want {
		t.Errorf("lead = %s, want %s", got, want)
	}
	if got, want := effectiveText(auditor), "orders.view orders.edit orders.manage refunds.card.issue"; got != want {
		t.Errorf("auditor = %s, want %s", got, want)
	}
	if lead.Landing == nil || lead.Landing.Key != "orders" {
		t.Errorf("landing is inherited through extends, got %v", lead.Landing)
	}
	eg := clerk.EffectiveOf(cat.PermissionByKey("orders.edit"))
	if len(eg.Sources) == 0 || eg.Sources[0].ImpliedBy == nil || eg.Sources[0].ImpliedBy.Key != "orders.manage" {
		t.Errorf("orders.edit should be explained as implied by orders.manage, got %+v", eg.Sources)
	}
	on := func(c *Condition) bool { return c.Key == "senior" }
	if got := len(clerk.PermissionsUnder(on)); got != 3 {
		t.Errorf("clerk under senior holds %d permissions, want 3", got)
	}
	if got := len(clerk.PermissionsUnder(func(*Condition) bool { return false })); got != 1 {
		t.Errorf("clerk with no conditions holds %d permissions, want 1", got)
	}
}

func TestPresetsExpandPlaceholdersAndGroupFieldsOverride(t *testing.T) {
	cat := mustCompile(t, map[string]string{"permcat.yaml": `permcat: 1
catalog: pos
presets:
  integration:
    permissions:
      view: {name: "View {name} Integration", description: "Allows users to view the {name} integration ({key})."}
      edit: {name: "Edit {name} Integration", requires: [view], description: "Braces {{literal}}."}
groups:
  integrations:
    name: Integrations
    groups:
      metrc:
        name: Metrc
        preset: integration
        vars: {name: METRC}
        permissions:
          edit: {description: "Also edits the Mode field {not a placeholder}."}
          batch_mode: {name: METRC Batch Mode, requires: [edit]}
      ccrs:
        name: CCRS
        preset: integration
        omit: [edit]
      birchmount:
        name: Birchmount
        preset: integration
        permissions:
          edit: {requires: []}
`})
	get := func(k string) *Permission {
		p := cat.PermissionByKey(k)
		if p == nil {
			t.Fatalf("no permission %s", k)
		}
		return p
	}
	if got := get("integrations.metrc.view").Name; got != "View METRC Integration" {
		t.Errorf("vars override {name}: got %q", got)
	}
	if got := get("integrations.metrc.view").Description; got != "Allows users to view the METRC integration (integrations.metrc)." {
		t.Errorf("{key} expands to the group key: got %q", got)
	}
	if got := get("integrations.metrc.edit").Description; got != "Also edits the Mode field {not a placeholder}." {
		t.Errorf("strings outside presets are literal: got %q", got)
	}
	if got := get("integrations.metrc.edit").Name; got != "Edit METRC Integration" {
		t.Errorf("fields the group does not set come from the preset: got %q", got)
	}
	if got := get("integrations.ccrs.view").Description; !strings.Contains(got, "CCRS") {
		t.Errorf("got %q", got)
	}
	if cat.PermissionByKey("integrations.ccrs.edit") != nil {
		t.Error("omit drops the preset permission")
	}
	if got := len(get("integrations.birchmount.edit").Requires); got != 0 {
		t.Errorf("requires: [] clears the preset's list, got %d", got)
	}
	if got := get("integrations.metrc.edit").Requires; len(got) != 1 || got[0].Key != "integrations.metrc.view" {
		t.Errorf("local references resolve in the group: %v", got)
	}
	var order []string
	for _, p := range cat.Permissions[:3] {
		order = append(order, p.Segment)
	}
	if strings.Join(order, ",") != "view,edit,batch_mode" {
		t.Errorf("preset permissions come first, then the group's own: %v", order)
	}
	if get("integrations.metrc.edit").Group.Preset != "integration" {
		t.Error("group's preset is recorded")
	}
}

func TestFragmentsReopenGroupsInLexicalOrder(t *testing.T) {
	cat := mustCompile(t, map[string]string{
		"permcat.yaml":            "permcat: 1\ncatalog: pos\ninclude: [\"integrations/*.yaml\"]\ngroups:\n  integrations:\n    name: Integrations\n    groups:\n      quickbooks: {name: Quickbooks, permissions: {view: {name: View}}}\n",
		"integrations/zeta.yaml":  "groups:\n  integrations:\n    groups:\n      zeta: {name: Zeta, permissions: {view: {name: View}}}\n",
		"integrations/alpha.yaml": "groups:\n  integrations:\n    groups:\n      alpha: {name: Alpha, permissions: {view: {name: View}}}\n",
	})
	var keys []string
	for _, g := range cat.Groups {
		keys = append(keys, g.Key)
	}
	if got := strings.Join(keys, " "); got != "integrations integrations.quickbooks integrations.alpha integrations.zeta" {
		t.Errorf("group order = %s", got)
	}
}

func TestLockKeepsIDsAcrossRenamesRemovalsAndReadditions(t *testing.T) {
	dir := t.TempDir()
	write := func(content string) *Catalog {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, "permcat.yaml"), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		cat, errs := Compile(dir, Options{})
		if errs.HasErrors() {
			t.Fatal(errs)
		}
		if err := os.WriteFile(filepath.Join(dir, LockFileName), cat.Lock.Format(), 0o644); err != nil {
			t.Fatal(err)
		}
		return cat
	}
	ids := func(c *Catalog) string {
		var parts []string
		for _, p := range c.Permissions {
			parts = append(parts, p.Key+"="+itoa(p.ID))
		}
		return strings.Join(parts, " ")
	}
	v1 := write("permcat: 1\ncatalog: pos\ngroups:\n  integrations:\n    name: I\n    groups:\n      hypur:\n        name: Hypur\n        permissions: {view: {name: V}, edit: {name: E}}\n      metrc:\n        name: Metrc\n        permissions: {view: {name: V}}\n")
	if got := ids(v1); got != "integrations.hypur.view=1 integrations.hypur.edit=2 integrations.metrc.view=3" {
		t.Fatalf("v1 ids: %s", got)
	}
	// Rename a group with formerly, remove a permission, add one in front.
	v2 := write("permcat: 1\ncatalog: pos\ngroups:\n  integrations:\n    name: I\n    groups:\n      leafly:\n        name: Leafly\n        permissions: {view: {name: V}}\n      posabit_pay:\n        name: POSaBit Pay\n        formerly: [integrations.hypur]\n        permissions: {view: {name: V}, edit: {name: E}}\n")
	if got := ids(v2); got != "integrations.leafly.view=4 integrations.posabit_pay.view=1 integrations.posabit_pay.edit=2" {
		t.Fatalf("v2 ids: %s", got)
	}
	lock := string(v2.Lock.Format())
	for _, want := range []string{"1 integrations.posabit_pay.view formerly=integrations.hypur.view\n", "3 integrations.metrc.view retired\n", "4 integrations.leafly.view\n"} {
		if !strings.Contains(lock, want) {
			t.Errorf("lock lacks %q:\n%s", want, lock)
		}
	}
	// Bring metrc back: it revives its old ID; a brand-new key gets 5, never 3.
	v3 := write("permcat: 1\ncatalog: pos\ngroups:\n  integrations:\n    name: I\n    groups:\n      metrc:\n        name: Metrc\n        permissions: {view: {name: V}, edit: {name: E}}\n")
	if got := ids(v3); got != "integrations.metrc.view=3 integrations.metrc.edit=5" {
		t.Fatalf("v3 ids: %s", got)
	}
	if v3.MaxID != 5 {
		t.Errorf("MaxID = %d, want 5", v3.MaxID)
	}
	// The lock round-trips through its own parser.
	l, errs := ParseLock("permcat.lock", v3.Lock.Format())
	if len(errs) > 0 || !l.Equal(v3.Lock) {
		t.Errorf("lock does not round-trip: %v", errs)
	}
}

func itoa(n uint32) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

func TestExamplesCompileCleanly(t *testing.T) {
	for _, ex := range []string{"dutchie", "metrc", "cutdry"} {
		t.Run(ex, func(t *testing.T) {
			dir := filepath.Join("..", "examples", ex)
			cat, errs := Compile(dir, Options{})
			if len(errs) > 0 {
				t.Fatalf("findings:\n%s", errs)
			}
			golden(t, filepath.Join("testdata", "resolved", ex+".json"), Dump(cat, dir))
		})
	}
}

func TestCompileIsDeterministic(t *testing.T) {
	a, _ := Compile("../examples/dutchie", Options{})
	b, _ := Compile("../examples/dutchie", Options{})
	if string(Dump(a, "")) != string(Dump(b, "")) {
		t.Fatal("two compiles of the same catalog differ")
	}
}

func TestAKeyRenamedAwayNeverTakesBackItsIDWhenReused(t *testing.T) {
	dir := t.TempDir()
	step := func(perms string) (*Catalog, Errors) {
		t.Helper()
		os.WriteFile(filepath.Join(dir, "permcat.yaml"), []byte("permcat: 1\ncatalog: shop\ngroups:\n  reports:\n    name: Reports\n    permissions:\n"+perms), 0o644)
		cat, errs := Compile(dir, Options{})
		if errs.HasErrors() {
			t.Fatal(errs)
		}
		os.WriteFile(filepath.Join(dir, LockFileName), cat.Lock.Format(), 0o644)
		return cat, errs
	}
	step("      run: {name: Run}\n      export: {name: Export}\n")
	step("      run: {name: Run}\n      download: {name: Export, formerly: [reports.export]}\n")
	cat, warns := step("      run: {name: Run}\n      export: {name: New export}\n      download: {name: Export}\n")
	if got := cat.PermissionByKey("reports.download").ID; got != 2 {
		t.Errorf("reports.download keeps ID 2, got %d", got)
	}
	if got := cat.PermissionByKey("reports.export").ID; got != 3 {
		t.Errorf("the new reports.export gets a fresh ID 3, got %d", got)
	}
	if len(warns) != 1 || warns[0].Rule != "key-reused" {
		t.Errorf("reusing a former key warns, got %v", warns)
	}
}

func TestALockOfAnotherCatalogIsAnError(t *testing.T) {
	_, errs, _ := compileText(t, map[string]string{
		"permcat.yaml": "permcat: 1\ncatalog: beta\ngroups:\n  a: {name: A, permissions: {v: {name: V}}}\n",
		LockFileName:   "permcat-lock 1\ncatalog alpha\n1 a.v\n",
	})
	if !errs.HasErrors() || errs[0].Rule != "lock-catalog" {
		t.Errorf("want lock-catalog error, got %v", errs)
	}
}

func TestPresetReferencesExpandPlaceholders(t *testing.T) {
	cat := mustCompile(t, map[string]string{"permcat.yaml": `permcat: 1
catalog: shop
presets:
  audited:
    permissions:
      view: {name: "View {name}"}
      audit: {name: "Audit {name}", implies: ["{key}.view"], formerly: ["{key}.review"]}
groups:
  orders: {name: Orders, preset: audited}
`})
	p := cat.PermissionByKey("orders.audit")
	if len(p.Implies) != 1 || p.Implies[0].Key != "orders.view" || len(p.Formerly) != 1 || p.Formerly[0] != "orders.review" {
		t.Errorf("implies %v formerly %v", p.Implies, p.Formerly)
	}
}

func TestAPresetAttachedInAFragmentFollowsTheRootFilesPermissions(t *testing.T) {
	cat := mustCompile(t, map[string]string{
		"permcat.yaml": "permcat: 1\ncatalog: shop\ninclude: [\"f/*.yaml\"]\npresets:\n  crud:\n    permissions:\n      view: {name: View}\ngroups:\n  a:\n    name: A\n    permissions:\n      export: {name: Export}\n",
		"f/x.yaml":     "groups:\n  a:\n    preset: crud\n",
	})
	if got := cat.Permissions[0].Key + " " + cat.Permissions[1].Key; got != "a.export a.view" {
		t.Errorf("order = %s", got)
	}
}

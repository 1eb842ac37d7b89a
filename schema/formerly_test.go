package schema

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// compileVersions compiles each version of a catalog in turn in one
// directory, writing the lock after each as generate does, and returns the
// last catalog and its findings.
func compileVersions(t *testing.T, versions ...string) (*Catalog, string) {
	t.Helper()
	dir := t.TempDir()
	var cat *Catalog
	var errs Errors
	for i, v := range versions {
		if err := os.WriteFile(filepath.Join(dir, "permcat.yaml"), []byte(v), 0o644); err != nil {
			t.Fatal(err)
		}
		cat, errs = Compile(dir, Options{})
		if i < len(versions)-1 {
			if cat == nil {
				t.Fatalf("version %d: %v", i+1, errs)
			}
			if err := os.WriteFile(filepath.Join(dir, LockFileName), cat.Lock.Format(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return cat, relErrors(dir, errs)
}

func formerOf(t *testing.T, cat *Catalog, key string) []string {
	t.Helper()
	if cat == nil {
		t.Fatal("no catalog")
	}
	if p := cat.PermissionByKey(key); p != nil {
		return p.Formerly
	}
	if g := cat.GroupByKey(key); g != nil {
		return g.Formerly
	}
	t.Fatalf("no permission or group %s", key)
	return nil
}

func TestAMovedGroupCarriesItsSubgroupsAndPermissionsAlong(t *testing.T) {
	cat, errs := compileVersions(t, `permcat: 1
catalog: moves
groups:
  top:
    name: Top
    formerly: [old_top]
    permissions:
      q: {name: Q, formerly: [elsewhere.q]}
    groups:
      sub:
        name: Sub
        permissions:
          p: {name: P}
`)
	if errs != "" {
		t.Fatal(errs)
	}
	for key, want := range map[string][]string{
		"top":       {"old_top"},
		"top.sub":   {"old_top.sub"},
		"top.sub.p": {"old_top.sub.p"},
		"top.q":     {"elsewhere.q", "old_top.q"},
	} {
		if got := formerOf(t, cat, key); !slices.Equal(got, want) {
			t.Errorf("%s formerly = %v, want %v", key, got, want)
		}
	}
}

// A permission renamed after its group moved keeps the key it had before
// the move, and gains none it never had; one added after the move gains
// none at all. The lock says which keys existed.
func TestRenamesAfterAMoveComeFromTheLock(t *testing.T) {
	v1 := `permcat: 1
catalog: ch
groups:
  payments:
    name: Payments
    permissions:
      refund_override: {name: Override refund}
`
	v2 := `permcat: 1
catalog: ch
groups:
  billing:
    name: Billing
    formerly: [payments]
    permissions:
      refund_override: {name: Override refund}
`
	v3 := `permcat: 1
catalog: ch
groups:
  billing:
    name: Billing
    formerly: [payments]
    permissions:
      override: {name: Override refund, formerly: [billing.refund_override]}
      void: {name: Void}
`
	cat, errs := compileVersions(t, v1, v2, v3)
	if errs != "" {
		t.Fatal(errs)
	}
	if got, want := formerOf(t, cat, "billing.override"), []string{"billing.refund_override", "payments.refund_override"}; !slices.Equal(got, want) {
		t.Errorf("billing.override formerly = %v, want %v", got, want)
	}
	if got := formerOf(t, cat, "billing.void"); len(got) != 0 {
		t.Errorf("billing.void formerly = %v, want none: it never had another key", got)
	}
	if p := cat.PermissionByKey("billing.override"); p.ID != 1 {
		t.Errorf("billing.override has ID %d, want 1", p.ID)
	}
	// Without a lock every combination counts.
	cat, _ = compileVersions(t, v3)
	if got, want := formerOf(t, cat, "billing.override"), []string{"billing.refund_override", "payments.override", "payments.refund_override"}; !slices.Equal(got, want) {
		t.Errorf("without a lock, billing.override formerly = %v, want %v", got, want)
	}
}

// A group and its subgroup renamed in one release: the key the permission
// had before both renames is a former key of it.
func TestAGroupAndItsSubgroupRenamedTogether(t *testing.T) {
	v1 := `permcat: 1
catalog: both
groups:
  old:
    name: Old
    groups:
      s:
        name: S
        permissions:
          z: {name: Z}
`
	v2 := `permcat: 1
catalog: both
groups:
  new:
    name: New
    formerly: [old]
    groups:
      s2:
        name: S2
        formerly: [new.s]
        permissions:
          z: {name: Z}
`
	cat, errs := compileVersions(t, v1, v2)
	if errs != "" {
		t.Fatal(errs)
	}
	if got := formerOf(t, cat, "new.s2.z"); !slices.Contains(got, "old.s.z") {
		t.Errorf("new.s2.z formerly = %v, want old.s.z among them", got)
	}
	if got := formerOf(t, cat, "new.s2"); !slices.Contains(got, "old.s") {
		t.Errorf("new.s2 formerly = %v, want old.s among them", got)
	}
	if p := cat.PermissionByKey("new.s2.z"); p.ID != 1 {
		t.Errorf("new.s2.z has ID %d, want 1", p.ID)
	}
}

func TestFormerGroupKeysMustBeFree(t *testing.T) {
	_, errs := compileVersions(t, `permcat: 1
catalog: fm
groups:
  g: {name: G, formerly: [old], permissions: {a: {name: A}}}
  h: {name: H, formerly: [old, g], permissions: {q: {name: Q}}}
  a:
    name: A
    permissions: {x: {name: X}}
    groups:
      sub: {name: Sub, formerly: [a], permissions: {y: {name: Y}}}
`)
	wantFindings(t, errs,
		"permcat.yaml:5:27: former group key old is already claimed by g (",
		"permcat.yaml:5:32: group h lists former key g, but that is the key of a current group (",
		"permcat.yaml:10:35: group a.sub lists former key a, but that is the key of a current group (",
	)
}

func TestPresetPlaceholdersBesideLiteralBraces(t *testing.T) {
	for in, want := range map[string]string{
		"View {{{name}}}":   "View {CRM}",
		"View {name}}}":     "View CRM}",
		"View {{{{name}}}}": "View {{name}}",
		"{{name}} {key}":    "{name} crm",
		"{{}}":              "{}",
		"{x}-{name}":        "X-CRM",
	} {
		vars := "" // a var no string uses is a warning
		if strings.Contains(in, "{x}") {
			vars = ", vars: {x: X}"
		}
		cat, errs := compileVersions(t, `permcat: 1
catalog: br
presets:
  tpl: {permissions: {view: {name: "`+in+`"}}}
groups:
  crm: {name: CRM, preset: tpl`+vars+`}
`)
		if errs != "" {
			t.Errorf("%q: %s", in, errs)
			continue
		}
		if got := cat.PermissionByKey("crm.view").Name; got != want {
			t.Errorf("%q expands to %q, want %q", in, got, want)
		}
	}
	for _, in := range []string{"View {name", "View name}", "{a{b}}", "}}}", "{{{name"} {
		_, errs := compileVersions(t, `permcat: 1
catalog: br
presets:
  tpl: {permissions: {view: {name: "`+in+`"}}}
groups:
  crm: {name: CRM, preset: tpl}
`)
		if !strings.Contains(errs, "unbalanced brace") || strings.Contains(errs, "\x00") {
			t.Errorf("%q: want one unbalanced-brace finding, got:\n%s", in, errs)
		}
	}
}

func TestWhatAPresetBringsInIsChecked(t *testing.T) {
	_, errs := compileVersions(t, `permcat: 1
catalog: pr
presets:
  p: {permissions: {view: {name: "View {name}"}, v: {name: V}}}
  q: {permissions: {}}
groups:
  g:
    name: G
    preset: p
    groups: {view: {name: View sub, permissions: {x: {name: X}}}}
  e: {name: E, preset: p, omit: [view, v]}
  h: {name: H, preset: q}
profiles:
  none: {name: None, requires: []}
`)
	wantFindings(t, errs,
		"permcat.yaml:10:14: g.view is both a permission (from preset \"p\", ",
		"permcat.yaml:11:24: group e has no permissions and no subgroups: preset \"p\" gives it none",
		"permcat.yaml:12:24: group h has no permissions and no subgroups: preset \"q\" gives it none",
		"permcat.yaml:14:22: profile none requires nothing",
	)
}

func TestKeysLongerThanAMySQLKeyColumnAreRejected(t *testing.T) {
	long := strings.Repeat("g", 252)
	_, errs := compileVersions(t, `permcat: 1
catalog: lk
groups:
  `+long+`:
    name: G
    permissions:
      v: {name: V}
      view: {name: View}
roles:
  `+strings.Repeat("r", 256)+`: {name: R, grants: [`+long+`.v]}
`)
	wantFindings(t, errs,
		"permcat.yaml:8:7: permission key "+long[:40]+"… is 257 characters long; keys are limited to 255",
		"permcat.yaml:10:3: role key",
	)
	if strings.Contains(errs, "permcat.yaml:7:7") {
		t.Errorf("a key of 254 characters is rejected:\n%s", errs)
	}
}

func TestACollisionCausedByGoNameIsReportedAtIt(t *testing.T) {
	_, errs := compileVersions(t, `permcat: 1
catalog: gn
groups:
  g:
    name: G
    permissions:
      a: {name: A, go_name: Set}
      b: {name: B, ts_name: GA}
      c: {name: C}
`)
	wantFindings(t, errs,
		"permcat.yaml:7:29: Go identifier Set of permission g.a collides with the generated Go API; choose another `go_name`",
		"permcat.yaml:8:29: TypeScript identifier GA of permission g.b collides with",
	)
}

func TestRoleReferencesGetPreciseFindings(t *testing.T) {
	_, errs := compileVersions(t, `permcat: 1
catalog: rr
groups:
  integ:
    name: Integrations
    formerly: [old_integ]
    permissions: {view: {name: View}}
roles:
  admin: {name: Admin, grants: [integ.view]}
  adm2: {name: Adm2, extends: [admn], landing: old_integ, grants: [integ.view]}
  x: {name: X, extends: [y], grants: [integ.view]}
  y: {name: Y, extends: [x], grants: [integ.view]}
`)
	wantFindings(t, errs,
		`permcat.yaml:10:32: role adm2 extends unknown role "admn" (did you mean "admin"?)`,
		`permcat.yaml:10:48: landing "old_integ": old_integ was renamed to integ; use the new key`,
		"permcat.yaml:12:26: cycle in `extends`: x → y → x",
	)
}

// wantFindings fails unless errs holds each of wants.
func wantFindings(t *testing.T, errs string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(errs, w) {
			t.Errorf("want a finding starting %q, got:\n%s", w, errs)
		}
	}
}

// A group moved twice, and a permission renamed after the second move:
// every key the lock knows it by stays a former key of it.
func TestASecondMoveKeepsEveryKeyTheLockKnows(t *testing.T) {
	v1 := `permcat: 1
catalog: mv
groups:
  a:
    name: A
    permissions: {view: {name: View}, edit: {name: Edit}}
`
	v2 := `permcat: 1
catalog: mv
groups:
  b:
    name: B
    formerly: [a]
    permissions: {view: {name: View}, edit: {name: Edit}}
`
	v3 := `permcat: 1
catalog: mv
groups:
  c:
    name: C
    formerly: [b, a]
    permissions: {view: {name: View}, manage: {name: Manage, formerly: [b.edit]}}
`
	cat, errs := compileVersions(t, v1, v2, v3)
	if errs != "" {
		t.Fatal(errs)
	}
	got := formerOf(t, cat, "c.manage")
	for _, want := range []string{"b.edit", "a.edit"} {
		if !slices.Contains(got, want) {
			t.Errorf("c.manage formerly = %v, want %s among them", got, want)
		}
	}
	for _, never := range []string{"a.manage", "b.manage", "c.edit"} {
		if slices.Contains(got, never) {
			t.Errorf("c.manage formerly = %v: %s never existed", got, never)
		}
	}
	if got := formerOf(t, cat, "c.view"); !slices.Contains(got, "a.view") || !slices.Contains(got, "b.view") {
		t.Errorf("c.view formerly = %v, want a.view and b.view", got)
	}
	if p := cat.PermissionByKey("c.manage"); p.ID != 2 {
		t.Errorf("c.manage has ID %d, want 2 (a.edit's)", p.ID)
	}
}

func TestFindingsAboutNamesAreReportedAtTheOverrideAndPrintable(t *testing.T) {
	_, errs := compileVersions(t, `permcat: 1
catalog: gn
presets:
  tpl: {permissions: {view: {name: "nl {a\nb} esc {\u001b[31m}"}}}
groups:
  orders:
    name: Orders
    preset: tpl
    permissions:
      pack: {name: Pack, go_name: GroupShip}
  ship:
    name: Ship
    permissions: {go: {name: Go}}
`)
	wantFindings(t, errs,
		"permcat.yaml:10:35: Go identifier GroupShip of permission orders.pack collides with group ship",
		`placeholder "{a\nb}" in preset "tpl"`,
		`placeholder "{\x1b[31m}" in preset "tpl"`,
	)
	if strings.ContainsAny(errs, "\x1b") {
		t.Errorf("a finding carries an escape character:\n%q", errs)
	}
}

func TestATooLongFormerKeyIsReportedAtItsFormerlyItem(t *testing.T) {
	long := strings.Repeat("o", 253)
	_, errs := compileVersions(t, `permcat: 1
catalog: lk
groups:
  g:
    name: G
    formerly: [`+long+`]
    permissions:
      view: {name: View}
`)
	wantFindings(t, errs, "permcat.yaml:6:16: former permission key "+long[:40]+"… is 258 characters long")
}

// A former key permcat.lock never had is most likely a typo: a warning at
// the item, for a group's and a permission's; a key the lock knew, under
// the group's current key or a former one, passes quietly.
func TestAFormerKeyTheLockNeverHadIsAWarning(t *testing.T) {
	v1 := `permcat: 1
catalog: typo
groups:
  pay:
    name: Pay
    permissions:
      refund: {name: Refund}
      void: {name: Void}
`
	v2 := `permcat: 1
catalog: typo
groups:
  billing:
    name: Billing
    formerly: [payy]
    permissions:
      refund: {name: Refund, formerly: [billing.refnd]}
      void: {name: Void}
`
	_, errs := compileVersions(t, v1, v2)
	wantFindings(t, errs,
		"permcat.yaml:6:16: warning: group billing lists former key payy, but permcat.lock never had a permission under it; check it for a typo (for a group key from before permcat, give the keys it had to their IDs' lines in permcat.lock: ID KEY formerly=OLD) [formerly-unknown]",
		"permcat.yaml:8:41: warning: permission billing.refund lists former key billing.refnd, but permcat.lock never had it; check it for a typo (for a key from before permcat, add it to the permission's line in permcat.lock: ID billing.refund formerly=billing.refnd) [formerly-unknown]",
	)
	v3 := `permcat: 1
catalog: typo
groups:
  billing:
    name: Billing
    formerly: [pay]
    permissions:
      money_back: {name: Refund, formerly: [billing.refund]}
      void: {name: Void}
`
	if _, errs := compileVersions(t, v1, v3); strings.Contains(errs, "formerly-unknown") {
		t.Errorf("billing.refund was pay.refund, which the lock knew:\n%s", errs)
	}
}

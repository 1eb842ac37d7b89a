package schema

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A catalog migrated from an older system, with a lock written by hand:
// former keys from before permcat (a permission's own, and those a
// group's legacy key gives) are warned of once, recorded by the run that
// warns, and accepted the same way on every run after, which is then
// silent. A former key that names a retired ID is a warning of its own.
func TestLegacyFormerKeysAreRecordedOnce(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("permcat.yaml", `permcat: 1
catalog: shop
groups:
  orders:
    name: Orders
    formerly: [legacy_orders]
    permissions:
      view: {name: View, formerly: [legacy.order_view]}
      edit: {name: Edit}
  coupons:
    name: Coupons
    permissions:
      edit: {name: Edit, formerly: [legacy.coupon_edit]}
`)
	write(LockFileName, "permcat-lock 1\ncatalog shop\n100 orders.view\n101 orders.edit\n150 coupons.edit\n195 legacy.coupon_edit retired\n")
	var formers [3]map[string][]string
	for run := range formers {
		cat, errs := Compile(dir, Options{})
		if errs.HasErrors() {
			t.Fatal(errs)
		}
		var warned []string
		for _, w := range cat.Warnings {
			warned = append(warned, w.Rule)
		}
		switch run {
		case 0:
			for _, want := range []string{"formerly-unknown", "formerly-retired"} {
				if !slices.Contains(warned, want) {
					t.Errorf("first run: no %s warning among %v", want, warned)
				}
			}
		default:
			if slices.Contains(warned, "formerly-unknown") {
				t.Errorf("run %d: %v", run+1, cat.Warnings)
			}
		}
		formers[run] = map[string][]string{}
		for _, p := range cat.Permissions {
			formers[run][p.Key] = p.Formerly
		}
		write(LockFileName, string(cat.Lock.Format()))
	}
	for k, want := range map[string][]string{
		"orders.view": {"legacy.order_view", "legacy_orders.view"},
		"orders.edit": {"legacy_orders.edit"},
	} {
		for _, f := range want {
			if !slices.Contains(formers[0][k], f) {
				t.Errorf("%s: formerly %v lacks %s", k, formers[0][k], f)
			}
		}
	}
	for run := 1; run < len(formers); run++ {
		for k, f := range formers[0] {
			if !slices.Equal(f, formers[run][k]) {
				t.Errorf("%s: formerly %v on the first run, %v on run %d", k, f, formers[run][k], run+1)
			}
		}
	}
	lock, err := os.ReadFile(filepath.Join(dir, LockFileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"100 orders.view formerly=legacy.order_view,legacy_orders.view", "101 orders.edit formerly=legacy_orders.edit", "150 coupons.edit\n", "195 legacy.coupon_edit retired"} {
		if !strings.Contains(string(lock), want) {
			t.Errorf("lock lacks %q:\n%s", want, lock)
		}
	}
}

package schema

import (
	"slices"
	"strings"
	"testing"
)

// A catalog migrated from an older system, with a lock written by hand.
// Every run resolves the same former keys (a group key the lock knows
// nothing under gives its keys as on a first run), and the lock is never
// given a key the catalog's author did not write in it: a former key it
// never had is warned of (most likely a typo) with the line that says it
// is a key from before permcat, and that line silences it.
func TestLegacyFormerKeysResolveTheSameOnEveryRun(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "permcat.yaml", `permcat: 1
catalog: shop
groups:
  orders:
    name: Orders
    formerly: [legacy_orders]
    permissions:
      view: {name: View, formerly: [legacy.order_view]}
      edit: {name: Edit}
`)
	lock := "permcat-lock 1\ncatalog shop\n100 orders.view\n101 orders.edit\n"
	writeFile(t, dir, LockFileName, lock)
	var formers [2]map[string][]string
	for run := range formers {
		cat, errs := Compile(dir, Options{})
		if errs.HasErrors() {
			t.Fatal(errs)
		}
		text := ""
		for _, w := range cat.Warnings {
			text += w.Error() + "\n"
		}
		if !strings.Contains(text, "add it to the permission's line in permcat.lock: ID orders.view formerly=legacy.order_view") {
			t.Errorf("run %d: the warning does not say how to record a key from before permcat:\n%s", run+1, text)
		}
		formers[run] = map[string][]string{}
		for _, p := range cat.Permissions {
			formers[run][p.Key] = p.Formerly
		}
		if got := string(cat.Lock.Format()); !strings.Contains(got, "100 orders.view\n101 orders.edit\n") {
			t.Errorf("run %d: the lock was given keys nobody wrote in it:\n%s", run+1, got)
		}
		writeFile(t, dir, LockFileName, string(cat.Lock.Format()))
	}
	for k, want := range map[string][]string{
		"orders.view": {"legacy.order_view", "legacy_orders.view"},
		"orders.edit": {"legacy_orders.edit"},
	} {
		if !slices.Equal(formers[0][k], want) || !slices.Equal(formers[1][k], want) {
			t.Errorf("%s: formerly %v, then %v; want %v both times", k, formers[0][k], formers[1][k], want)
		}
	}
	// Said in the lock, the keys are known: no warning.
	writeFile(t, dir, LockFileName, "permcat-lock 1\ncatalog shop\n100 orders.view formerly=legacy.order_view,legacy_orders.view\n101 orders.edit formerly=legacy_orders.edit\n")
	cat, errs := Compile(dir, Options{})
	if errs.HasErrors() || len(cat.Warnings) != 0 {
		t.Errorf("with the keys in the lock: %v %v", errs, cat.Warnings)
	}
}

// Two permissions merged into one: the one that takes the other's key as
// a former key is warned of once, in the run that retires the other's ID,
// not on every run after.
func TestAMergeIsWarnedOfOnce(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "permcat.yaml", "permcat: 1\ncatalog: shop\ngroups:\n  orders:\n    name: Orders\n    permissions:\n      view: {name: View, formerly: [orders.read]}\n")
	writeFile(t, dir, LockFileName, "permcat-lock 1\ncatalog shop\n1 orders.view\n2 orders.read\n")
	for run := range 3 {
		cat, errs := Compile(dir, Options{})
		if errs.HasErrors() {
			t.Fatal(errs)
		}
		n := 0
		for _, w := range cat.Warnings {
			if w.Rule == "formerly-retired" {
				n++
			}
		}
		if want := map[bool]int{true: 1, false: 0}[run == 0]; n != want {
			t.Errorf("run %d: %d formerly-retired warnings, want %d: %v", run+1, n, want, cat.Warnings)
		}
		writeFile(t, dir, LockFileName, string(cat.Lock.Format()))
	}
}

// A rename is found through the lock's current keys before its former
// keys, whatever the order of `formerly`: a stale former key the lock
// lists under another ID never takes that ID.
func TestARenameTakesItsOwnIDBeforeAFormerKeysID(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "permcat.yaml", "permcat: 1\ncatalog: shop\ngroups:\n  orders:\n    name: Orders\n    permissions:\n      change: {name: Change, formerly: [legacy.order_edit, orders.edit]}\n")
	writeFile(t, dir, LockFileName, "permcat-lock 1\ncatalog shop\n3 orders.view formerly=legacy.order_edit\n9 orders.edit\n")
	cat, errs := Compile(dir, Options{})
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	if p := cat.PermissionByKey("orders.change"); p == nil || p.ID != 9 {
		t.Errorf("orders.change has ID %v, want 9 (it was orders.edit)", p)
	}
}

// writeFile writes one file of a test catalog.
func writeFile(t *testing.T, dir, name, text string) {
	t.Helper()
	writeTree(t, dir, map[string]string{name: text})
}

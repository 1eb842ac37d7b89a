package schema

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// The first run, with no lock, counts every former key a group's
// `formerly` gives its permissions; the lock it writes records them, so
// the next run (which counts only former keys the lock knows) resolves
// the same keys, and `generate --check` right after `generate` is clean.
func TestTheRunAfterTheFirstKeepsTheSameFormerKeys(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "permcat.yaml"), []byte(`permcat: 1
catalog: shop
groups:
  orders:
    name: Orders
    formerly: [sales]
    permissions:
      view: {name: View}
      edit: {name: Edit, formerly: [orders.modify]}
    groups:
      returns:
        name: Returns
        permissions:
          open: {name: Open}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	var runs [2]map[string][]string
	for i := range runs {
		cat, errs := Compile(dir, Options{})
		if errs.HasErrors() {
			t.Fatal(errs)
		}
		if i == 1 {
			for _, w := range cat.Warnings {
				t.Errorf("second run: %v", w)
			}
		}
		runs[i] = map[string][]string{}
		for _, p := range cat.Permissions {
			runs[i][p.Key] = p.Formerly
		}
		for _, g := range cat.Groups {
			runs[i]["group "+g.Key] = g.Formerly
		}
		if err := os.WriteFile(filepath.Join(dir, LockFileName), cat.Lock.Format(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for k, first := range runs[0] {
		if !slices.Equal(first, runs[1][k]) {
			t.Errorf("%s: formerly %v on the first run, %v on the second", k, first, runs[1][k])
		}
	}
	if got := runs[0]["orders.edit"]; !slices.Contains(got, "sales.edit") || !slices.Contains(got, "sales.modify") {
		t.Errorf("orders.edit formerly = %v, want sales.edit and sales.modify among them", got)
	}
	if got := runs[0]["group orders.returns"]; !slices.Equal(got, []string{"sales.returns"}) {
		t.Errorf("orders.returns formerly = %v, want [sales.returns]", got)
	}
}

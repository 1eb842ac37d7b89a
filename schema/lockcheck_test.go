package schema

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// lockFindings is every finding ParseLock makes of lock, one a line.
func lockFindings(lock string) string {
	_, errs := ParseLock("permcat.lock", []byte(lock))
	got := ""
	for _, e := range errs {
		got += e.Error() + "\n"
	}
	return got
}

const emptyLockFinding = "permcat.lock:1:1: the lock is empty; permission IDs are stored by the programs and databases that use this catalog, so permcat will not assign them afresh: restore permcat.lock from version control (to really start over with new IDs, delete the file) [lock-empty]\n"

// A lock file that is there but empty, blank or only comments (a bad
// merge, a `> permcat.lock`) is an error, not a first run: numbering
// from 1 again would give stored IDs to other permissions.
func TestAnEmptyLockIsAnError(t *testing.T) {
	for _, lock := range []string{"", "\n", " \t\r\n\n", "# just a comment\n", lockHeader} {
		if got := lockFindings(lock); got != emptyLockFinding {
			t.Errorf("%q:\ngot  %q\nwant %q", lock, got, emptyLockFinding)
		}
	}
}

// Compile (what generate and validate run) reports the empty lock and
// gives no catalog; with no lock file at all it is a first run.
func TestCompileRejectsAnEmptyLockButNotAMissingOne(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "permcat.yaml", "permcat: 1\ncatalog: shop\ngroups:\n  orders:\n    name: Orders\n    permissions:\n      view: {name: View}\n      edit: {name: Edit}\n")
	cat, errs := Compile(dir, Options{})
	if errs.HasErrors() || cat.PermissionByKey("orders.edit").ID != 2 {
		t.Fatalf("first run: %v", errs)
	}
	writeFile(t, dir, LockFileName, "\n")
	cat, errs = Compile(dir, Options{})
	want := filepath.Join(dir, LockFileName) + ":" + strings.TrimSuffix(strings.TrimPrefix(emptyLockFinding, "permcat.lock:"), "\n")
	if cat != nil || len(errs) != 1 || errs[0].Error() != want {
		t.Errorf("empty lock: catalog %v, findings:\n%v\nwant:\n%s", cat != nil, errs, want)
	}
}

// Keys in the lock, and its former keys, follow the catalog's key
// syntax: two segments at least, each `[a-z][a-z0-9_]*`, 255 bytes at
// most. Every bad key is reported, at its field.
func TestLockKeysFollowTheCatalogsKeySyntax(t *testing.T) {
	long := "g." + strings.Repeat("k", 254) // 256 bytes
	for _, c := range []struct{ lock, want string }{
		{"1 g\n", `permcat.lock:3:3: "g" is not a permission key: a key has at least two segments (group.permission) [lock-syntax]`},
		{"1 g.Bad\n", `permcat.lock:3:3: "g.Bad" is not a permission key [lock-syntax]`},
		{"1 g..a\n", `permcat.lock:3:3: "g..a" is not a permission key [lock-syntax]`},
		{"1 " + long + "\n", `permcat.lock:3:3: "g.kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk…" is not a permission key: it is 256 bytes long, and keys are limited to 255 [lock-syntax]`},
		{"1 g.a formerly=g\n", `permcat.lock:3:7: "g" is not a permission key: a key has at least two segments (group.permission) [lock-syntax]`},
		{"1 g.a retired formerly=g.b,G.c\n", `permcat.lock:3:15: "G.c" is not a permission key [lock-syntax]`},
		{"1 g.a formerly=" + long + "\n", `permcat.lock:3:7: "g.kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk…" is not a permission key: it is 256 bytes long, and keys are limited to 255 [lock-syntax]`},
	} {
		if got := lockFindings("permcat-lock 1\ncatalog shop\n" + c.lock); got != c.want+"\n" {
			t.Errorf("%.60q:\ngot  %q\nwant %q", c.lock, got, c.want)
		}
	}
	// 255 bytes is fine, as a key and as a former key.
	ok := "g." + strings.Repeat("k", 253)
	if got := lockFindings("permcat-lock 1\ncatalog shop\n1 " + ok + "\n2 g.b formerly=" + ok[:254] + "x\n"); got != "" {
		t.Errorf("keys of 255 bytes: %s", got)
	}
	// All at once, each at its line.
	got := lockFindings("permcat-lock 1\ncatalog shop\n1 g\n2 g.b formerly=h\n3 g.c\n")
	want := `permcat.lock:3:3: "g" is not a permission key: a key has at least two segments (group.permission) [lock-syntax]` + "\n" +
		`permcat.lock:4:7: "h" is not a permission key: a key has at least two segments (group.permission) [lock-syntax]` + "\n"
	if got != want {
		t.Errorf("several bad keys:\ngot  %q\nwant %q", got, want)
	}
}

const noCatalogFinding = "missing `catalog NAME` line (the lock says which catalog it belongs to): add `catalog NAME` after `permcat-lock 1`, with NAME the root file's `catalog:` [lock-catalog]"

// The lock names its catalog; a lock without the line is an error at the
// `permcat-lock` line, which the missing line should follow.
func TestALockWithoutItsCatalogLineIsAnError(t *testing.T) {
	for _, c := range []struct{ lock, want string }{
		{"permcat-lock 1\n1 g.a\n", "permcat.lock:1:1: " + noCatalogFinding},
		{lockHeader + "permcat-lock 1\n1 g.a\n2 g.b retired\n", "permcat.lock:4:1: " + noCatalogFinding},
		{"permcat-lock 1\n", "permcat.lock:1:1: " + noCatalogFinding},
		// Without the version line either, both are missing.
		{"1 g.a\n", "permcat.lock:1:1: missing `permcat-lock 1` line [lock-syntax]\npermcat.lock:1:1: " + noCatalogFinding},
		// A catalog line without the version line is no lock either.
		{"catalog shop\n", "permcat.lock:1:1: missing `permcat-lock 1` line [lock-syntax]"},
	} {
		if got := lockFindings(c.lock); got != c.want+"\n" {
			t.Errorf("%q:\ngot  %q\nwant %q", c.lock, got, c.want)
		}
	}
	// Through Compile: no catalog, the finding at the lock's path.
	dir := t.TempDir()
	writeFile(t, dir, "permcat.yaml", "permcat: 1\ncatalog: shop\ngroups:\n  g: {name: G, permissions: {a: {name: A}}}\n")
	writeFile(t, dir, LockFileName, "permcat-lock 1\n1 g.a\n")
	cat, errs := Compile(dir, Options{})
	if cat != nil || len(errs) != 1 || errs[0].Error() != filepath.Join(dir, LockFileName)+":1:1: "+noCatalogFinding {
		t.Errorf("Compile without the catalog line: %v", errs)
	}
}

// A lock written by hand, with gaps, retired keys, comments and former
// keys from before permcat, is read as written and kept as it is.
func TestAGoodHandWrittenLockPasses(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "permcat.yaml", `permcat: 1
catalog: shop
groups:
  orders:
    name: Orders
    permissions:
      view: {name: View, formerly: [legacy.order_view]}
      edit: {name: Edit}
      refund: {name: Refund, formerly: [orders.money_back]}
`)
	lock := "# kept from the old system's table\npermcat-lock 1\ncatalog shop\n\n" +
		"5 orders.view formerly=legacy.order_view\n" +
		"17 orders.edit formerly=legacy.order_edit,legacy.order_change\n" +
		"40 orders.refund formerly=orders.money_back\n" +
		"65540 orders.ancient retired formerly=legacy.order_ancient\n"
	if got := lockFindings(lock); got != "" {
		t.Fatalf("ParseLock: %s", got)
	}
	writeFile(t, dir, LockFileName, lock)
	cat, errs := Compile(dir, Options{})
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	for key, id := range map[string]uint32{"orders.view": 5, "orders.edit": 17, "orders.refund": 40} {
		if got := cat.PermissionByKey(key).ID; got != id {
			t.Errorf("%s has ID %d, want %d", key, got, id)
		}
	}
	if got := lockFindings(string(cat.Lock.Format())); got != "" {
		t.Errorf("the lock written back: %s", got)
	}
}

// Every lock permcat writes passes the lock's checks: the first run, and
// runs that rename, reuse a former key for a new permission (a key that
// then names one ID and is a former key of another, as the README
// describes), rename again and back, and retire.
func TestLocksPermcatWritesPassItsChecks(t *testing.T) {
	dir := t.TempDir()
	steps := []string{
		"  g:\n    name: G\n    formerly: [old_g]\n    permissions:\n      b: {name: B, formerly: [g.before]}\n",
		"  g:\n    name: G\n    permissions:\n      a: {name: A, formerly: [g.b]}\n",
		"  g:\n    name: G\n    permissions:\n      a: {name: A}\n      b: {name: B}\n",
		"  g:\n    name: G\n    permissions:\n      a: {name: A}\n      e: {name: E, formerly: [g.b]}\n",
		"  g:\n    name: G\n    permissions:\n      a: {name: A}\n      b: {name: B, formerly: [g.e]}\n",
		"  g:\n    name: G\n    permissions:\n      a: {name: A}\n",
	}
	for i, groups := range steps {
		writeFile(t, dir, "permcat.yaml", "permcat: 1\ncatalog: shop\ngroups:\n"+groups)
		cat, errs := Compile(dir, Options{})
		if errs.HasErrors() {
			t.Fatalf("step %d: %v", i+1, errs)
		}
		lock := cat.Lock.Format()
		if got := lockFindings(string(lock)); got != "" {
			t.Fatalf("step %d: the lock permcat wrote does not pass:\n%s\n%s", i+1, got, lock)
		}
		if err := os.WriteFile(filepath.Join(dir, LockFileName), lock, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestARepeatedRetiredOrCatalogLineIsAnError(t *testing.T) {
	_, errs := ParseLock("permcat.lock", []byte("permcat-lock 1\ncatalog shop\ncatalog other\n1 g.a retired retired\n"))
	got := errs.Error()
	for _, want := range []string{
		"permcat.lock:3:1: a second `catalog` line (first on line 2); a lock belongs to one catalog [lock-syntax]",
		"permcat.lock:4:15: `retired` appears twice on this line [lock-syntax]",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
}

package schema

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzCompile feeds arbitrary bytes as a root file plus a fragment and a
// lock, and requires that Compile never panics, that errors always carry a
// rule, and that a returned catalog is internally consistent.
func FuzzCompile(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/errors/*/permcat.yaml")
	ex, _ := filepath.Glob("../examples/*/permcat.yaml")
	for _, s := range append(seeds, ex...) {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b, []byte("groups:\n  extra: {name: Extra, permissions: {view: {name: V}}}\n"), []byte(""))
		}
	}
	f.Add([]byte(shop+"roles:\n  r: {name: R, grants: ['**']}\n"), []byte("roles:\n  s: {name: S, extends: [r]}\n"), []byte("permcat-lock 1\ncatalog shop\n1 orders.view\n9 orders.gone retired\n"))
	f.Fuzz(func(t *testing.T, root, frag, lock []byte) {
		dir := t.TempDir()
		content := string(root)
		if !strings.Contains(content, "include") {
			content += "\ninclude: [\"parts/*.yaml\"]\n"
		}
		must := func(err error) {
			if err != nil {
				t.Fatal(err)
			}
		}
		must(os.MkdirAll(filepath.Join(dir, "parts"), 0o755))
		must(os.WriteFile(filepath.Join(dir, "permcat.yaml"), []byte(content), 0o644))
		must(os.WriteFile(filepath.Join(dir, "parts", "a.yaml"), frag, 0o644))
		if len(lock) > 0 {
			must(os.WriteFile(filepath.Join(dir, LockFileName), lock, 0o644))
		}
		cat, errs := Compile(dir, Options{})
		for _, e := range errs {
			if e.Rule == "" || e.Msg == "" {
				t.Fatalf("finding without rule or message: %#v", e)
			}
		}
		if cat == nil {
			if !errs.HasErrors() {
				t.Fatal("nil catalog without errors")
			}
			return
		}
		ids := map[uint32]bool{}
		for i, p := range cat.Permissions {
			if p.Index != i || p.ID == 0 || p.ID > cat.MaxID || ids[p.ID] {
				t.Fatalf("inconsistent permission %s: index %d id %d max %d", p.Key, p.Index, p.ID, cat.MaxID)
			}
			ids[p.ID] = true
		}
		_ = Dump(cat, dir)
		if _, lerrs := ParseLock("lock", cat.Lock.Format()); len(lerrs) > 0 {
			t.Fatalf("lock written by permcat does not parse: %v", lerrs)
		}
	})
}

// FuzzParseLock: the lock parser never panics.
func FuzzParseLock(f *testing.F) {
	f.Add([]byte("permcat-lock 1\ncatalog x\n1 a.b\n2 a.c retired formerly=a.d,a.e\n"))
	f.Add([]byte("1\n\n# c\n4294967295 a.b\n"))
	f.Add([]byte("\v\n")) // found by FuzzParseLockAgrees: whitespace TrimRight keeps, and no field
	f.Fuzz(func(t *testing.T, data []byte) {
		l, _ := ParseLock("permcat.lock", data)
		_ = l.Format()
	})
}

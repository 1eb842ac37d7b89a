package build

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/permcat/permcat/schema"
)

// No target may write over a file the catalog is read from: the root
// file, a fragment, or the generate config beside them.
func TestNoTargetOverwritesTheCatalogsOwnFiles(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"permcat.yaml":     "permcat: 1\ncatalog: shop\ninclude: [\"inc/*.yaml\"]\ngroups:\n  orders:\n    name: Orders\n    permissions:\n      view: {name: View}\n",
		"inc/roles.yaml":   "roles:\n  admin:\n    name: Admin\n    grants: [\"**\"]\n",
		"permcat.gen.yaml": "docs: docs\n",
	}
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cat, errs := schema.Compile(dir, schema.Options{})
	if cat == nil {
		t.Fatal(errs)
	}
	lockPath := schema.LockPath(cat.Root)
	for name := range files {
		targets := Targets{TSFile: filepath.Join(dir, name)}
		err := Write(cat, targets, lockPath)
		if err == nil || !strings.Contains(err.Error(), "a file of the catalog") {
			t.Errorf("Write with --ts %s: %v, want a refusal", name, err)
		}
		if _, err := Render(cat, targets); err == nil || !strings.Contains(err.Error(), "a file of the catalog") {
			t.Errorf("Render with --ts %s: %v, want a refusal", name, err)
		}
	}
	for name, content := range files {
		if got, _ := os.ReadFile(filepath.Join(dir, name)); string(got) != content {
			t.Errorf("%s was changed:\n%s", name, got)
		}
	}
	if _, err := os.Stat(lockPath); err == nil {
		t.Error("a lock was written")
	}
}

// Two targets that reach one file through a symbolic link overlap.
func TestOverlapsThroughASymlinkAreFound(t *testing.T) {
	dir := t.TempDir()
	cat := compileExample(t, "metrc", dir)
	out := filepath.Join(dir, "out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(out, filepath.Join(dir, "alias")); err != nil {
		t.Skip("no symlinks here:", err)
	}
	targets := Targets{SQLDir: out, SQLDialect: []string{"sqlite"}, TSFile: filepath.Join(dir, "alias", "sqlite", "seed.sql")}
	if err := Write(cat, targets, ""); err == nil || !strings.Contains(err.Error(), "both write") {
		t.Errorf("Write: %v, want an overlap", err)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("something was written: %v", entries)
	}
}

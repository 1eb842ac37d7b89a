package schema

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// symlinkTree writes files and links frags/sub/loop to its parent
// directory, frags: frags/sub/loop/sub/x is frags/sub/x again.
func symlinkTree(t *testing.T, include string, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files["permcat.yaml"] = "permcat: 1\ncatalog: shop\ninclude: " + include + "\n" + group("orders")
	writeTree(t, dir, files)
	if err := os.Symlink("..", filepath.Join(dir, "frags", "sub", "loop")); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	return dir
}

// A file that globs reach under two spellings, one of them through a
// symlink, is one file: read once, its findings reported once.
func TestAFileReachedThroughASymlinkIsReadOnce(t *testing.T) {
	dir := symlinkTree(t, `["frags/**", "frags/sub/loop/sub/*", "frags/sub/loop/sub/loop/sub/*"]`, map[string]string{
		"frags/sub/b.yaml":     group("billing"),
		"frags/sub/readme.txt": "hello: [\n",
	})
	_, errs := Compile(dir, Options{})
	got := relErrors(dir, errs)
	want := "frags/sub/readme.txt:1:8: invalid YAML: did not find expected node content [yaml-syntax]\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	// Without the bad file the catalog compiles, billing defined once.
	if err := os.Remove(filepath.Join(dir, "frags", "sub", "readme.txt")); err != nil {
		t.Fatal(err)
	}
	cat, errs := Compile(dir, Options{})
	if errs.HasErrors() {
		t.Fatalf("unexpected errors:\n%s", relErrors(dir, errs))
	}
	if frags := strings.Join(fragmentsOf(t, dir, cat), " "); frags != "frags/sub/b.yaml" {
		t.Errorf("fragments read: %s", frags)
	}
}

// `**` does not follow a symlink that loops back: the walk ends and the
// bad file beside it is reported once.
func TestDoubleStarOverASymlinkLoopReportsEachFileOnce(t *testing.T) {
	dir := symlinkTree(t, `["frags/**"]`, map[string]string{
		"frags/readme.txt": "hello: [\n",
		"frags/sub/b.yaml": group("billing"),
	})
	_, errs := Compile(dir, Options{})
	got := relErrors(dir, errs)
	want := "frags/readme.txt:1:8: invalid YAML: did not find expected node content [yaml-syntax]\n"
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// A catalog compiled through a symlinked directory whose glob reaches
// its own directory by the real name still skips the root file.
func TestTheRootFileUnderItsRealNameIsNotAFragment(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"real/permcat.yaml": "permcat: 1\ncatalog: shop\ninclude: [\"../real/*.yaml\"]\n" + group("orders"),
		"real/b.yaml":       group("billing"),
	})
	link := filepath.Join(dir, "link")
	if err := os.Symlink("real", link); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	cat, errs := Compile(link, Options{})
	if errs.HasErrors() {
		t.Fatalf("unexpected errors:\n%s", relErrors(dir, errs))
	}
	if frags := strings.Join(fragmentsOf(t, dir, cat), " "); frags != "link/permcat.yaml real/b.yaml" {
		t.Errorf("files read (the root, then fragments): %s", frags)
	}
}

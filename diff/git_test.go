package diff

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/permcat/permcat/schema"
)

// gitRepo is a throwaway repository whose history the test writes.
type gitRepo struct {
	t   *testing.T
	dir string
}

func newGitRepo(t *testing.T) *gitRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("permcat diff --against needs git on PATH, and so does this test")
	}
	// Keep the user's configuration (signing, hooks) out of the test.
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	r := &gitRepo{t: t, dir: t.TempDir()}
	r.git("init", "-q")
	return r
}

func (r *gitRepo) git(args ...string) {
	r.t.Helper()
	cmd := exec.Command("git", append([]string{"-C", r.dir,
		"-c", "user.name=permcat", "-c", "user.email=permcat@example.com", "-c", "commit.gpgsign=false"}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func (r *gitRepo) write(rel, content string) {
	r.t.Helper()
	p := filepath.Join(r.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

func (r *gitRepo) commit(msg string) {
	r.t.Helper()
	r.git("add", "-A")
	r.git("commit", "-q", "-m", msg)
}

func readCase(t *testing.T, rel string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(caseDir, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// shopHistory commits a README, then the role_access case's old catalog
// (with a role in a fragment outside the catalog directory), then its new
// catalog with the fragment's role widened. The working tree is the last
// commit.
func shopHistory(t *testing.T) *gitRepo {
	r := newGitRepo(t)
	r.write("README.md", "shop\n")
	r.commit("start")
	include := "include: [\"../shared/*.yaml\"]\n"
	r.write("catalogs/shop/permcat.yaml", readCase(t, "role_access/old/permcat.yaml")+include)
	r.write("catalogs/shop/permcat.lock", readCase(t, "role_access/old/permcat.lock"))
	r.write("catalogs/shared/auditor.yaml", "roles:\n  auditor:\n    name: Auditor\n    grants: [customers.view_assigned]\n")
	r.commit("v1")
	r.write("catalogs/shop/permcat.yaml", readCase(t, "role_access/new/permcat.yaml")+include)
	r.write("catalogs/shared/auditor.yaml", "roles:\n  auditor:\n    name: Auditor\n    grants: [customers.view_assigned, customers.view_all]\n")
	r.commit("v2")
	return r
}

func TestTheCatalogAtTheParentCommitComparesWithTheWorkingTree(t *testing.T) {
	r := shopHistory(t)
	t.Chdir(r.dir)
	snap, err := Checkout("HEAD~1", "catalogs/shop")
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close()
	fs := snap.Relabel(Compare(compileDir(t, snap.Path), compileDir(t, "catalogs/shop")))

	want := strings.Join([]string{
		// A gain is placed at the grant that gives it (salesperson's, for
		// what integrations_viewer inherits); a loss at the role.
		"catalogs/shared/auditor.yaml:4:39: ROLE_GAINS_PERMISSION [ACCESS, safe]: auditor gains customers.view_all (always)",
		"catalogs/shop/permcat.yaml:45:3: ROLE_LOSES_PERMISSION [ACCESS, safe]: salesperson loses customers.edit (always)",
		"catalogs/shop/permcat.yaml:49:9: ROLE_GAINS_PERMISSION [ACCESS, safe]: integrations_viewer gains customers.view_assigned (always)",
		"catalogs/shop/permcat.yaml:50:9: ROLE_GAINS_PERMISSION [ACCESS, safe]: integrations_viewer gains customers.view_all (when sees_all)",
		"catalogs/shop/permcat.yaml:53:9: ROLE_GAINS_PERMISSION [ACCESS, safe]: salesperson gains integrations.quickbooks.view (always)",
		"catalogs/shop/permcat.yaml:53:9: ROLE_GAINS_PERMISSION [ACCESS, safe]: salesperson gains integrations.hypur.view (always)",
	}, "\n") + "\n"
	if got := render(t, fs); got != want {
		t.Errorf("got:\n%swant:\n%s", got, want)
	}
}

func TestARemovedPositionIsShownAtItsWorkingTreePath(t *testing.T) {
	r := newGitRepo(t)
	r.write("shop/permcat.yaml", readCase(t, "role_deleted/old/permcat.yaml"))
	r.commit("v1")
	r.write("shop/permcat.yaml", readCase(t, "role_deleted/new/permcat.yaml"))
	r.commit("v2")
	// An absolute path keeps positions absolute.
	snap, err := Checkout("HEAD~1", filepath.Join(r.dir, "shop", "permcat.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close()
	if filepath.Base(snap.Path) != "permcat.yaml" {
		t.Errorf("a root file path should give a root file path, got %s", snap.Path)
	}
	fs := snap.Relabel(Compare(compileDir(t, snap.Path), compileDir(t, filepath.Join(r.dir, "shop"))))
	if len(fs) != 1 || fs[0].Rule != RoleDeleted || !fs[0].InOld {
		t.Fatalf("want one ROLE_DELETED in OLD, got:\n%s", render(t, fs))
	}
	resolved, err := filepath.EvalSymlinks(r.dir)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(resolved, "shop", "permcat.yaml"); fs[0].Pos.File != want {
		t.Errorf("position file = %s, want %s", fs[0].Pos.File, want)
	}
}

// A deletion's line is the ref's: in the working tree the same line of
// the same file holds something else, so no format may present it as a
// working-tree position.
func TestAPositionInTheRefIsNeverShownAsAWorkingTreeLine(t *testing.T) {
	r := newGitRepo(t)
	r.write("shop/permcat.yaml", readCase(t, "permission_deleted/old/permcat.yaml"))
	r.write("shop/permcat.lock", readCase(t, "permission_deleted/old/permcat.lock"))
	r.commit("v1")
	r.write("shop/permcat.yaml", readCase(t, "permission_deleted/new/permcat.yaml"))
	t.Chdir(r.dir)
	snap, err := Checkout("HEAD", "shop")
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close()
	all := snap.Relabel(Compare(compileDir(t, snap.Path), compileDir(t, "shop")))
	// The roles that held it lose it too; those findings are in NEW.
	var fs []Finding
	for _, f := range all {
		if f.Rule != RoleLosesPermission {
			fs = append(fs, f)
		} else if f.Ref != "" {
			t.Errorf("a role's loss is placed in the ref: %v", f)
		}
	}
	if len(fs) != 1 || fs[0].Rule != PermissionDeleted || fs[0].Ref != "HEAD" {
		t.Fatalf("want one PERMISSION_DELETED in HEAD, got:\n%s", render(t, all))
	}
	// The deleted permission's line in HEAD is another permission's in
	// the working tree.
	line := fs[0].Pos.Line
	now, err := os.ReadFile(filepath.Join("shop", "permcat.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if l := strings.Split(string(now), "\n")[line-1]; strings.Contains(l, "view_all") {
		t.Fatalf("the case no longer shows the problem: line %d is %q in the working tree too", line, l)
	}
	pos := fmt.Sprintf("shop/permcat.yaml:%d:%d", line, fs[0].Pos.Col)
	for _, tc := range []struct {
		format string
		want   []string
		not    string // how the bare working-tree position would read
	}{
		{"text", []string{"HEAD:" + pos + ": PERMISSION_DELETED"}, "\n" + pos},
		{"markdown", []string{"`HEAD:" + pos + "` (old)"}, "`" + pos},
		{"json", []string{`"file": "shop/permcat.yaml"`, `"in": "old"`, `"ref": "HEAD"`}, ""},
		// An annotation can only point at the working tree's file: the
		// file alone, without the ref's line.
		{"github", []string{"::error file=shop/permcat.yaml,title=PERMISSION_DELETED::"}, "line="},
	} {
		var b strings.Builder
		b.WriteString("\n")
		if err := Write(&b, tc.format, fs, Options{}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s output lacks %q:%s", tc.format, w, out)
			}
		}
		if tc.not != "" && strings.Contains(out, tc.not) {
			t.Errorf("%s output shows the position as the working tree's:%s", tc.format, out)
		}
	}
}

func TestARefWithoutTheCatalogSaysSo(t *testing.T) {
	r := shopHistory(t)
	t.Chdir(r.dir)
	_, err := Checkout("HEAD~2", "catalogs/shop")
	if !errors.Is(err, ErrNoCatalogAtRef) {
		t.Errorf("a catalog added after the ref: err = %v, want ErrNoCatalogAtRef", err)
	}
	for _, ref := range []string{"no-such-branch", "-x", ""} {
		if _, err := Checkout(ref, "catalogs/shop"); err == nil || errors.Is(err, ErrNoCatalogAtRef) {
			t.Errorf("ref %q: err = %v, want an invalid or unknown ref error", ref, err)
		}
	}
	outside := t.TempDir()
	if _, err := Checkout("HEAD", outside); err == nil {
		t.Errorf("a path outside any repository: want an error")
	}
}

func TestCatalogAtRefCleansUpAfterItself(t *testing.T) {
	r := shopHistory(t)
	t.Chdir(r.dir)
	path, cleanup, err := CatalogAtRef("HEAD~1", "catalogs/shop")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"permcat.yaml", "permcat.lock", "../shared/auditor.yaml"} {
		if _, err := os.Stat(filepath.Join(path, f)); err != nil {
			t.Errorf("the snapshot lacks %s: %v", f, err)
		}
	}
	if _, err := os.Stat(filepath.Join(path, "..", "..", "README.md")); err == nil {
		t.Errorf("the snapshot holds files the catalog does not use")
	}
	cleanup()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("cleanup left %s behind", path)
	}
}

func TestACatalogAtTheRepositoryRootIsExtractedWithoutTheRestOfTheTree(t *testing.T) {
	r := newGitRepo(t)
	r.write("permcat.yaml", readCase(t, "profile_deleted/old/permcat.yaml"))
	r.write("src/main.go", "package main\n")
	r.commit("v1")
	r.write("permcat.yaml", readCase(t, "profile_deleted/new/permcat.yaml"))
	r.commit("v2")
	t.Chdir(filepath.Join(r.dir, "src"))
	snap, err := Checkout("HEAD~1", "..")
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close()
	if _, err := os.Stat(filepath.Join(snap.Dir, "src", "main.go")); err == nil {
		t.Error("the snapshot of a root catalog holds source files")
	}
	fs := snap.Relabel(Compare(compileDir(t, snap.Path), compileDir(t, "..")))
	if got, want := render(t, fs), "HEAD~1:permcat.yaml:58:3: PROFILE_DELETED [WIRE, breaking]: profile customer_manager was deleted; services that check it break\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// Findings about the catalog at the ref name its files as git does at the
// ref, not by the temporary directory they were read from.
func TestRefLabelNamesAFileAtTheRef(t *testing.T) {
	r := shopHistory(t)
	r.write("catalogs/shared/auditor.yaml", "roles:\n  auditor:\n    grants: [customers.view_assigned]\n")
	r.commit("v3: a role without a name")
	t.Chdir(r.dir)
	snap, err := Checkout("HEAD", "catalogs/shop")
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close()
	_, errs := schema.Compile(snap.Path, schema.Options{})
	if !errs.HasErrors() {
		t.Fatal("the broken catalog at HEAD compiled")
	}
	label, ok := snap.RefLabel(errs[0].Pos.File)
	if !ok || label != "HEAD:catalogs/shared/auditor.yaml" {
		t.Errorf("RefLabel(%q) = %q, %v; want HEAD:catalogs/shared/auditor.yaml", errs[0].Pos.File, label, ok)
	}
	if _, ok := snap.RefLabel(filepath.Join(r.dir, "catalogs/shop/permcat.yaml")); ok {
		t.Error("a working-tree file got a ref label")
	}
}

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Workflow annotations name files by their path from the repository's
// root, which is how GitHub places them, wherever permcat ran (a CI step
// with working-directory: catalog/modules, say); the JSON of a diff says
// where git finds a deleted place at the ref (ref_path).
func TestAnnotationsNameFilesFromTheRepositoryRoot(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("this test needs git on PATH: ", err)
	}
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GITHUB_WORKSPACE", "")
	repo := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", repo, "-c", "user.name=p", "-c", "user.email=p@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	cat := filepath.Join(repo, "svc", "catalog")
	writeFiles(t, cat, map[string]string{
		"permcat.yaml":         "permcat: 1\ncatalog: shop\ninclude: [\"modules/*.yaml\"]\n",
		"modules/orders.yaml":  "groups:\n  orders:\n    name: Orders\n    permissions:\n      view: {name: View}\n",
		"modules/billing.yaml": "groups:\n  billing:\n    name: Billing\n    permissions:\n      view: {name: View}\n",
	})
	git("add", ".")
	git("commit", "-q", "-m", "v1")
	os.Remove(filepath.Join(cat, "modules", "billing.yaml"))
	writeFiles(t, cat, map[string]string{"modules/orders.yaml": "groups:\n  orders:\n    name: Orders\n    permissions:\n      view: {name: View, bogus: 1}\n"})
	t.Chdir(filepath.Join(cat, "modules"))

	_, stdout, stderr := permcat(t, "validate", "..", "--format", "github")
	if !strings.Contains(stdout+stderr, "::error file=svc/catalog/modules/orders.yaml,line=5,") {
		t.Errorf("validate --format github from a subdirectory:\n%s%s", stdout, stderr)
	}
	writeFiles(t, cat, map[string]string{"modules/orders.yaml": "groups:\n  orders:\n    name: Orders\n    permissions:\n      view: {name: View}\n"})
	_, stdout, stderr = permcat(t, "diff", "--against", "HEAD", "..", "--format", "github")
	if !strings.Contains(stdout, "::error file=svc/catalog/modules/billing.yaml,title=PERMISSION_DELETED::") {
		t.Errorf("diff --format github from a subdirectory:\n%s%s", stdout, stderr)
	}
	_, stdout, stderr = permcat(t, "diff", "--against", "HEAD", "..", "--format", "json")
	for _, want := range []string{`"file": "../modules/billing.yaml"`, `"ref": "HEAD"`, `"ref_path": "svc/catalog/modules/billing.yaml"`} {
		if !strings.Contains(stdout, want) {
			t.Errorf("diff --format json lacks %s:\n%s%s", want, stdout, stderr)
		}
	}
}

package pathutil

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Paths are given from the repository's root wherever the command runs,
// from $GITHUB_WORKSPACE outside a repository, and unchanged otherwise;
// a path that does not exist (a deleted file) is placed by its directory.
func TestRepoRelative(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Fatal("git is needed for this test: ", err)
	}
	repo := t.TempDir()
	sub := filepath.Join(repo, "svc", "catalog", "modules")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("git", "init", "-q", repo).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	os.WriteFile(filepath.Join(repo, "svc", "catalog", "permcat.yaml"), []byte("x"), 0o644)
	t.Setenv("GITHUB_WORKSPACE", "")
	t.Chdir(sub)
	for in, want := range map[string]string{
		"../permcat.yaml": "svc/catalog/permcat.yaml",
		"billing.yaml":    "svc/catalog/modules/billing.yaml", // does not exist
		filepath.Join(repo, "svc", "catalog", "permcat.yaml"): "svc/catalog/permcat.yaml",
		"../../../README": "README",
		"":                "",
	} {
		if got := RepoRelative(in); got != want {
			t.Errorf("RepoRelative(%q) = %q, want %q", in, got, want)
		}
	}

	plain := t.TempDir()
	os.MkdirAll(filepath.Join(plain, "cat"), 0o755)
	t.Chdir(filepath.Join(plain, "cat"))
	if got := RepoRelative("../x.yaml"); got != "../x.yaml" {
		t.Errorf("outside a repository: %q, want the path unchanged", got)
	}
	t.Setenv("GITHUB_WORKSPACE", plain)
	if got := RepoRelative("x.yaml"); got != "cat/x.yaml" {
		t.Errorf("outside a repository, under $GITHUB_WORKSPACE: %q, want cat/x.yaml", got)
	}
}

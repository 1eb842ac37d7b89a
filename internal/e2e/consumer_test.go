// Package e2e runs permcat the way users do: from go generate in a module
// of their own.
package e2e

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func repoRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func run(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s in %s: %v\n%s", strings.Join(args, " "), dir, err, out)
	}
	return string(out)
}

// The consumer module regenerates its package with go generate from a clean
// copy, builds, vets and passes its own tests; and what it generates equals
// what is committed under examples/consumer.
func TestConsumerModuleGoGenerateFlowWorksFromACleanCopy(t *testing.T) {
	root := repoRoot(t)
	src := filepath.Join(root, "examples", "consumer")
	dir := t.TempDir()
	copyTree(t, src, dir)
	gomod := filepath.Join(dir, "go.mod")
	b, err := os.ReadFile(gomod)
	if err != nil {
		t.Fatal(err)
	}
	b = bytes.Replace(b, []byte("=> ../.."), []byte("=> "+root), 1)
	if err := os.WriteFile(gomod, b, 0o644); err != nil {
		t.Fatal(err)
	}
	// Start clean: only the hand-written gen.go stays.
	generated, _ := filepath.Glob(filepath.Join(dir, "perms", "*.go"))
	for _, f := range generated {
		if filepath.Base(f) != "gen.go" {
			os.Remove(f)
		}
	}
	os.Remove(filepath.Join(dir, "catalog", "permcat.lock"))
	run(t, dir, "go", "generate", "./...")
	run(t, dir, "go", "build", "./...")
	run(t, dir, "go", "vet", "./...")
	run(t, dir, "go", "test", "-count=1", "./...")
	out := run(t, dir, "go", "run", ".")
	if !strings.Contains(out, "agent on call may refund: true") {
		t.Errorf("consumer output:\n%s", out)
	}
	// Committed output is fresh.
	fresh, _ := filepath.Glob(filepath.Join(dir, "perms", "*.go"))
	for _, f := range append(fresh, filepath.Join(dir, "catalog", "permcat.lock")) {
		rel, _ := filepath.Rel(dir, f)
		want, err := os.ReadFile(filepath.Join(src, rel))
		if err != nil {
			t.Errorf("examples/consumer/%s is missing: run go generate ./... in examples/consumer and commit", rel)
			continue
		}
		got, _ := os.ReadFile(f)
		if !bytes.Equal(got, want) {
			t.Errorf("examples/consumer/%s is stale: run go generate ./... in examples/consumer and commit", rel)
		}
	}
}

package main

import (
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// files lists every entry under dir, by slash path.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGenerateWritesNothingWhenOneTargetsFileIsAnothersDirectory(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"--ts", "o/x.ts", "--go", "o/x.ts", "--go-package", "rx"}, []string{"ts target", "go target", "o/x.ts"}},
		{[]string{"--docs", "out", "--go", "out/roles.md", "--go-package", "rx"}, []string{"docs target", "go target", "out/roles.md"}},
		{[]string{"--go", "cat/permcat.lock", "--go-package", "rx"}, []string{"lock", "go target", "cat/permcat.lock"}},
	} {
		for _, check := range []bool{false, true} {
			args := append([]string{"generate", "cat"}, tc.args...)
			if check {
				args = append(args, "--check")
			}
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				dir := t.TempDir()
				writeFiles(t, dir, map[string]string{"cat/permcat.yaml": small})
				t.Chdir(dir)
				code, _, stderr := permcat(t, args...)
				if code != 1 {
					t.Errorf("exit %d, want 1\n%s", code, stderr)
				}
				for _, w := range tc.want {
					if !strings.Contains(stderr, w) {
						t.Errorf("stderr does not mention %q:\n%s", w, stderr)
					}
				}
				if got, want := files(t, dir), []string{".", "cat", "cat/permcat.yaml"}; !slices.Equal(got, want) {
					t.Errorf("the run left %v, want only %v", got, want)
				}
			})
		}
	}
}

func TestAnIncludeOfEveryYAMLFileLeavesTheGenerateConfigToGenerate(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"permcat.yaml":     strings.Replace(small, "catalog: shop\n", "catalog: shop\ninclude: [\"*.yaml\"]\n", 1),
		"permcat.gen.yaml": "docs: docs\n",
		"billing.yaml":     "groups:\n  billing: {name: Billing, permissions: {view: {name: View}}}\n",
	})
	if code, _, stderr := permcat(t, "validate", dir); code != 0 {
		t.Fatalf("validate: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := permcat(t, "generate", dir); code != 0 {
		t.Fatalf("generate: exit %d\n%s", code, stderr)
	}
	if code, stdout, _ := permcat(t, "who-can", "billing.view", "--catalog", dir); code != 0 || stdout == "" {
		t.Errorf("the fragment beside the config was not included")
	}
}

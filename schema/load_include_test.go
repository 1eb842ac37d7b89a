package schema

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

// writeTree writes files (slash paths relative to dir) with their content.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// fragmentsOf lists the files a catalog was read from besides its root,
// relative to dir, in slash form.
func fragmentsOf(t *testing.T, dir string, cat *Catalog) []string {
	t.Helper()
	var out []string
	for _, f := range cat.Files {
		rel, err := filepath.Rel(dir, f)
		if err != nil {
			t.Fatal(err)
		}
		if rel = filepath.ToSlash(rel); rel != DefaultFileName {
			out = append(out, rel)
		}
	}
	return out
}

func group(key string) string {
	return "groups:\n  " + key + ": {name: " + key + ", permissions: {view: {name: View}}}\n"
}

func TestAnIncludeOfEveryYAMLFilePassesOverTheGenerateConfig(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"permcat.yaml":     "permcat: 1\ncatalog: shop\ninclude: [\"*.yaml\", \"sub/*.yaml\"]\n",
		"permcat.gen.yaml": "go: ../internal/perms\ngo-package: perms\nts: ../web/permissions.ts\n",
		"orders.yaml":      group("orders"),
		// Only the file beside the root is the generate config; elsewhere
		// the name is a fragment like any other.
		"sub/permcat.gen.yaml": group("billing"),
	})
	cat, errs := Compile(dir, Options{})
	if errs.HasErrors() {
		t.Fatalf("unexpected errors:\n%s", errs)
	}
	if got, want := fragmentsOf(t, dir, cat), []string{"orders.yaml", "sub/permcat.gen.yaml"}; !slices.Equal(got, want) {
		t.Errorf("fragments = %v, want %v", got, want)
	}
}

func TestAGlobThatReachesTheRootDirectoryAnotherWaySkipsTheRootAndConfig(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"cat/permcat.yaml":     "permcat: 1\ncatalog: shop\ninclude: [\"../cat/*.yaml\"]\n",
		"cat/permcat.gen.yaml": "go: gen\n",
		"cat/orders.yaml":      group("orders"),
	})
	cat, errs := Compile(filepath.Join(dir, "cat"), Options{})
	if errs.HasErrors() {
		t.Fatalf("unexpected errors:\n%s", errs)
	}
	if got := fragmentsOf(t, filepath.Join(dir, "cat"), cat); !slices.Equal(got, []string{"orders.yaml"}) {
		t.Errorf("fragments = %v, want [orders.yaml]", got)
	}
}

// dotTree is a fragment directory as it looks in a working copy: a
// repository, an editor's backup and lock files, a tool's cache, none of
// them catalog files (and some not even YAML).
var dotTree = map[string]string{
	"frag/a.yaml":               group("a"),
	"frag/sub/b.yaml":           group("b"),
	"frag/.hidden.yaml":         "not: a fragment\n",
	"frag/.#a.yaml":             "not: a fragment\n",
	"frag/sub/.b.yaml.swp.yaml": "not: a fragment\n",
	"frag/.git/objects/x.yaml":  "broken: [\n",
	"frag/.cache/c.yaml":        group("c"),
	"frag/sub/.cache/d.yaml":    group("d"),
	".git/config.yaml":          "broken: [\n",
}

func TestGlobsDoNotMatchDotNamesUnlessTheySpellOutTheDot(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, dotTree)
	for _, tc := range []struct {
		pat  string
		want []string
	}{
		{"frag/*.yaml", []string{"frag/a.yaml"}},
		{"frag/*", []string{"frag/a.yaml"}},
		{"frag/?*.yaml", []string{"frag/a.yaml"}},
		{"frag/**/*.yaml", []string{"frag/a.yaml", "frag/sub/b.yaml"}},
		{"frag/**", []string{"frag/a.yaml", "frag/sub/b.yaml"}},
		{"**/*.yaml", []string{"frag/a.yaml", "frag/sub/b.yaml"}},
		{"*/*/*.yaml", []string{"frag/sub/b.yaml"}},
		// A segment that starts with a dot matches dot names.
		{"frag/.*.yaml", []string{"frag/.#a.yaml", "frag/.hidden.yaml"}},
		{"frag/.hidden.yaml", []string{"frag/.hidden.yaml"}},
		{`frag/\.hidden.yaml`, []string{"frag/.hidden.yaml"}},
		{"frag/.cache/*.yaml", []string{"frag/.cache/c.yaml"}},
		{"frag/.*/*.yaml", []string{"frag/.cache/c.yaml"}},
		{"frag/**/.cache/*.yaml", []string{"frag/.cache/c.yaml", "frag/sub/.cache/d.yaml"}},
		{"frag/**/.*.yaml", []string{"frag/.#a.yaml", "frag/.hidden.yaml", "frag/sub/.b.yaml.swp.yaml"}},
		{".git/*.yaml", []string{".git/config.yaml"}},
	} {
		got, msg := globFiles(dir, tc.pat)
		if msg != "" {
			t.Errorf("%s: %s", tc.pat, msg)
			continue
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s matches %v, want %v", tc.pat, got, tc.want)
		}
	}
}

func TestACatalogBesideARepositoryAndEditorFilesCompiles(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, dotTree)
	writeTree(t, dir, map[string]string{
		"permcat.yaml": "permcat: 1\ncatalog: shop\ninclude: [\"frag/**/*.yaml\", \"frag/*.yaml\"]\n",
	})
	cat, errs := Compile(dir, Options{})
	if errs.HasErrors() {
		t.Fatalf("unexpected errors:\n%s", errs)
	}
	if got, want := fragmentsOf(t, dir, cat), []string{"frag/a.yaml", "frag/sub/b.yaml"}; !slices.Equal(got, want) {
		t.Errorf("fragments = %v, want %v", got, want)
	}
}

// A large .git under the fragments would otherwise use up the walk's
// budget before a single fragment was found.
func TestDoubleStarDoesNotWalkIntoDotDirectories(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"frag/a.yaml": group("a")})
	objects := filepath.Join(dir, "frag", ".git", "objects")
	if err := os.MkdirAll(objects, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range maxGlobVisits {
		if err := os.WriteFile(filepath.Join(objects, strconv.Itoa(i)), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, msg := globFiles(dir, "frag/**/*.yaml")
	if msg != "" || !slices.Equal(got, []string{"frag/a.yaml"}) {
		t.Errorf("frag/**/*.yaml = %v %q, want [frag/a.yaml]", got, msg)
	}
}

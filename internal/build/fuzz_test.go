package build

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/permcat/permcat/internal/synth"
	"github.com/permcat/permcat/schema"
)

// FuzzRender compiles a fuzzed catalog and, when it is valid, renders every
// target (Go, TypeScript in both styles, SQL in every dialect, docs): no
// generator may panic or fail on a catalog the front end accepts, and
// rendering twice gives the same bytes.
func FuzzRender(f *testing.F) {
	for _, ex := range []string{"cutdry", "metrc"} {
		if b, err := os.ReadFile(filepath.Join("..", "..", "examples", ex, "permcat.yaml")); err == nil {
			f.Add(b)
		}
	}
	for _, o := range synth.Varied(9, 6) {
		f.Add([]byte(synth.Catalog(o)))
	}
	f.Fuzz(func(t *testing.T, yaml []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "permcat.yaml"), yaml, 0o644); err != nil {
			t.Fatal(err)
		}
		cat, errs := schema.Compile(dir, schema.Options{})
		if errs.HasErrors() {
			return
		}
		for _, style := range []string{"enum", "const"} {
			targets := Targets{GoDir: "go", GoPackage: "p", TSFile: "p.ts", TSStyle: style, SQLDir: "sql", DocsDir: "docs"}
			a, err := Render(cat, targets)
			if err != nil {
				t.Fatalf("a valid catalog failed to render: %v\n%s", err, yaml)
			}
			b, _ := Render(cat, targets)
			for i := range a {
				if a[i].Path != b[i].Path || !bytes.Equal(a[i].Content, b[i].Content) {
					t.Fatalf("%s differs between two renders", a[i].Path)
				}
			}
		}
	})
}

package build

import (
	"bytes"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/permcat/permcat/schema"
)

// collections are mappings whose order is the authored order the outputs
// keep on purpose; every other mapping is a set of fields whose order must
// not matter.
var collections = map[string]bool{"groups": true, "permissions": true, "roles": true, "presets": true,
	"conditions": true, "scopes": true, "profiles": true}

func shuffleFields(n *yaml.Node, r *rand.Rand, parentKey string) {
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		for _, c := range n.Content {
			shuffleFields(c, r, "")
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			shuffleFields(n.Content[i+1], r, n.Content[i].Value)
		}
		if collections[parentKey] {
			return
		}
		pairs := len(n.Content) / 2
		for i := pairs - 1; i > 0; i-- {
			j := r.Intn(i + 1)
			n.Content[2*i], n.Content[2*j] = n.Content[2*j], n.Content[2*i]
			n.Content[2*i+1], n.Content[2*j+1] = n.Content[2*j+1], n.Content[2*i+1]
		}
	}
}

func renderAll(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	cat, errs := schema.Compile(dir, schema.Options{})
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	out := map[string][]byte{"permcat.lock": cat.Lock.Format()}
	for _, style := range []string{"enum", "const"} {
		outs, err := Render(cat, Targets{GoDir: "go", GoPackage: "p", TSFile: style + ".ts", TSStyle: style, SQLDir: "sql", DocsDir: "docs"})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range outs {
			out[o.Path] = o.Content
		}
	}
	return out
}

// Reordering the fields inside groups, permissions, roles, grants and vars
// changes no output byte in any target.
func TestOutputIsByteIdenticalWhenFieldOrderIsShuffled(t *testing.T) {
	for _, ex := range []string{"dutchie", "metrc", "cutdry"} {
		src := filepath.Join("..", "..", "examples", ex)
		want := renderAll(t, src)
		for seed := int64(1); seed <= 3; seed++ {
			dir := t.TempDir()
			r := rand.New(rand.NewSource(seed))
			err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				rel, _ := filepath.Rel(src, p)
				data, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				if strings.HasSuffix(p, ".yaml") && filepath.Base(p) != "permcat.gen.yaml" {
					var doc yaml.Node
					if err := yaml.Unmarshal(data, &doc); err != nil {
						return err
					}
					shuffleFields(&doc, r, "")
					var buf bytes.Buffer
					enc := yaml.NewEncoder(&buf)
					if err := enc.Encode(&doc); err != nil {
						return err
					}
					data = buf.Bytes()
				}
				target := filepath.Join(dir, rel)
				os.MkdirAll(filepath.Dir(target), 0o755)
				return os.WriteFile(target, data, 0o644)
			})
			if err != nil {
				t.Fatal(err)
			}
			got := renderAll(t, dir)
			if len(got) != len(want) {
				t.Fatalf("%s seed %d: %d files, want %d", ex, seed, len(got), len(want))
			}
			for p, b := range want {
				if !bytes.Equal(got[p], b) {
					t.Errorf("%s seed %d: %s changed when field order was shuffled\n%s", ex, seed, p, UnifiedDiff(p, b, got[p]))
				}
			}
		}
	}
}

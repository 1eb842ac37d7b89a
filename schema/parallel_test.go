package schema

import (
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/permcat/permcat/internal/synth"
)

// compileBothWays compiles dir with the top-level groups resolved in one
// walk and then side by side (in runs of a single group where there are
// enough), and fails unless both give the same findings and the same model.
func compileBothWays(t *testing.T, dir string) *Catalog {
	t.Helper()
	prevProcs := runtime.GOMAXPROCS(4)
	prevMin := parallelGroupsMin
	defer func() {
		runtime.GOMAXPROCS(prevProcs)
		parallelGroupsMin = prevMin
	}()
	parallelGroupsMin = math.MaxInt
	one, oneErrs := Compile(dir, Options{})
	parallelGroupsMin = 0
	par, parErrs := Compile(dir, Options{})
	if a, b := relErrors(dir, oneErrs), relErrors(dir, parErrs); a != b {
		t.Fatalf("%s: findings differ\n--- one walk\n%s\n--- side by side\n%s", dir, a, b)
	}
	if (one == nil) != (par == nil) {
		t.Fatalf("%s: one walk gave a catalog: %v; side by side: %v", dir, one != nil, par != nil)
	}
	if one == nil {
		return nil
	}
	if a, b := Dump(one, dir), Dump(par, dir); string(a) != string(b) {
		t.Fatalf("%s: models differ\n--- one walk\n%s\n--- side by side\n%s", dir, a, b)
	}
	for i, p := range par.Permissions {
		if p.Index != i || par.Permissions[i] != p {
			t.Fatalf("%s: permission %s has index %d at %d", dir, p.Key, p.Index, i)
		}
	}
	for i, g := range par.Groups {
		if g.Index != i {
			t.Fatalf("%s: group %s has index %d at %d", dir, g.Key, g.Index, i)
		}
	}
	return par
}

func TestParallelGroupResolutionMatchesOneWalk(t *testing.T) {
	dirs, _ := filepath.Glob("testdata/errors/*")
	examples, _ := filepath.Glob("../examples/*/permcat.yaml")
	for _, e := range examples {
		dirs = append(dirs, filepath.Dir(e))
	}
	if len(dirs) < 40 {
		t.Fatalf("found only %d catalogs", len(dirs))
	}
	for _, dir := range dirs {
		compileBothWays(t, dir)
	}
	tmp := t.TempDir()
	opts := append(synth.Varied(7, 6), synth.Realistic(6000))
	for i, o := range opts {
		dir, err := synth.Write(filepath.Join(tmp, string(rune('a'+i))), o)
		if err != nil {
			t.Fatal(err)
		}
		if cat := compileBothWays(t, dir); cat == nil || len(cat.TopGroups) < 2 {
			t.Fatalf("synthetic catalog %d: want a catalog with several top-level groups", i)
		}
	}
}

// Findings that only the merge can make: a former key claimed from two
// runs, and scopes and presets used from one run only.
func TestParallelGroupResolutionAcrossRuns(t *testing.T) {
	dir := t.TempDir()
	const catalog = `permcat: 1
catalog: runs
scopes:
  store: {description: "A store"}
  unused_scope: {description: "Nobody uses this"}
presets:
  crud:
    permissions:
      view: {name: "View {name}"}
      edit: {name: "Edit {name}", requires: [view]}
  unused_preset:
    permissions:
      x: {name: "X"}
groups:
  a:
    name: A
    permissions:
      one: {name: One, formerly: [old.one]}
  b:
    name: B
    preset: crud
    permissions:
      two: {name: Two, scope: store}
  c:
    name: C
    permissions:
      three: {name: Three, formerly: [old.one], scope: nowhere}
  d:
    name: D
    groups:
      e:
        name: E
        permissions:
          four: {name: Four, formerly: [old.four], implies: [a.one]}
  f:
    name: F
    permissions:
      five: {name: Five, formerly: [old.four]}
`
	if err := os.WriteFile(filepath.Join(dir, "permcat.yaml"), []byte(catalog), 0o644); err != nil {
		t.Fatal(err)
	}
	compileBothWays(t, dir)
	_, errs := Compile(dir, Options{})
	got := relErrors(dir, errs)
	for _, rule := range []string{"[formerly-conflict]", "[unknown-scope]", "[unused-scope]", "[unused-preset]"} {
		if !strings.Contains(got, rule) {
			t.Errorf("want a %s finding, got:\n%s", rule, got)
		}
	}
}

package synth

import (
	"testing"

	"github.com/permcat/permcat/schema"
)

// Every synthetic catalog must compile cleanly; the randomized tests of the
// back ends rely on it.
func TestSyntheticCatalogsAreValid(t *testing.T) {
	opts := Varied(1, 60)
	opts = append(opts, Options{Seed: 7, Permissions: 2000, Conditions: 3, Roles: 10, Profiles: 2, Scopes: 2, MaxDepth: 3, Presets: true, Formerly: true, Deprecated: true, Hostile: true})
	for _, o := range opts {
		dir, err := Write(t.TempDir(), o)
		if err != nil {
			t.Fatal(err)
		}
		cat, errs := schema.Compile(dir, schema.Options{})
		if errs.HasErrors() {
			t.Fatalf("seed %d: synthetic catalog does not compile:\n%s\n%s", o.Seed, errs, Catalog(o))
		}
		if len(cat.Permissions) < o.Permissions {
			t.Errorf("seed %d: %d permissions, want at least %d", o.Seed, len(cat.Permissions), o.Permissions)
		}
		if o.Roles > 0 && len(cat.Roles) != o.Roles {
			t.Errorf("seed %d: %d roles, want %d", o.Seed, len(cat.Roles), o.Roles)
		}
	}
}

func TestSameSeedSameCatalog(t *testing.T) {
	o := Options{Seed: 3, Permissions: 300, Roles: 4, Conditions: 2, Presets: true, Hostile: true, MaxDepth: 3}
	if Catalog(o) != Catalog(o) {
		t.Fatal("synthetic catalog is not deterministic")
	}
}

// Benchmarks are sized by key count, so Exact must hit it on the dot, with
// presets (three permissions at once) in play, and the realistic catalogs
// must have the key lengths BENCHMARKS.md describes.
func TestExactCatalogsHaveExactlyTheirPermissions(t *testing.T) {
	for _, n := range []int{1, 2, 3, 50, 1000, 2999} {
		o := Realistic(n)
		o.Seed = int64(n)
		dir, err := Write(t.TempDir(), o)
		if err != nil {
			t.Fatal(err)
		}
		cat, errs := schema.Compile(dir, schema.Options{})
		if errs.HasErrors() {
			t.Fatalf("%d permissions: synthetic catalog does not compile:\n%s", n, errs)
		}
		if len(cat.Permissions) != n {
			t.Errorf("Exact with %d permissions gave %d", n, len(cat.Permissions))
		}
		if n < 1000 {
			continue
		}
		short, long := 1000, 0
		for _, p := range cat.Permissions {
			short, long = min(short, len(p.Key)), max(long, len(p.Key))
		}
		if short > 16 || long < 40 || long > 64 {
			t.Errorf("%d permissions: keys of %d to %d bytes", n, short, long)
		}
	}
}

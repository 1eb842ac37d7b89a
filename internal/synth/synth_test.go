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

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/permcat/permcat/schema"
)

func synthesize(t *testing.T, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := run(args, &out, &errOut); code != 0 {
		t.Fatalf("permcat-synth %s: exit %d\n%s", strings.Join(args, " "), code, errOut.String())
	}
	return out.String()
}

func TestItPrintsAValidCatalogOfExactlyNPermissions(t *testing.T) {
	dir := t.TempDir()
	yaml := synthesize(t, "-n", "300", "-seed", "4", "-exact")
	if err := os.WriteFile(filepath.Join(dir, "permcat.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	cat, errs := schema.Compile(dir, schema.Options{})
	if errs.HasErrors() {
		t.Fatalf("the catalog does not compile:\n%s", errs)
	}
	if len(cat.Permissions) != 300 || len(cat.Roles) != 20 {
		t.Errorf("%d permissions and %d roles; want 300 and 20", len(cat.Permissions), len(cat.Roles))
	}
}

func TestTheSameSeedPrintsTheSameCatalogAndAnotherSeedAnother(t *testing.T) {
	a, b := synthesize(t, "-n", "200", "-seed", "9"), synthesize(t, "-n", "200", "-seed", "9")
	if a != b {
		t.Error("two runs with the same seed differ")
	}
	if c := synthesize(t, "-n", "200", "-seed", "10"); c == a {
		t.Error("another seed gives the same catalog")
	}
}

func TestBadUsageExitsWith2(t *testing.T) {
	for _, args := range [][]string{{"-n", "0"}, {"-no-such-flag"}, {"extra"}} {
		var out, errOut bytes.Buffer
		if code := run(args, &out, &errOut); code != 2 || out.Len() != 0 {
			t.Errorf("permcat-synth %s: exit %d, %d bytes out; want exit 2 and nothing", strings.Join(args, " "), code, out.Len())
		}
	}
}

func TestDashOWritesABigCatalogAsFragmentsThatCompile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "x")
	if out := synthesize(t, "-n", "12000", "-o", dir); out != "" {
		t.Fatalf("-o printed %d bytes too", len(out))
	}
	frags, _ := filepath.Glob(filepath.Join(dir, "groups", "*.yaml"))
	if len(frags) < 2 {
		t.Fatalf("%d fragment files; a 12,000-permission catalog is past 1MiB and should be split", len(frags))
	}
	cat, errs := schema.Compile(dir, schema.Options{})
	if errs.HasErrors() {
		t.Fatalf("the catalog does not compile:\n%s", errs)
	}
	if len(cat.Permissions) != 12000 {
		t.Errorf("%d permissions; want 12000", len(cat.Permissions))
	}
}

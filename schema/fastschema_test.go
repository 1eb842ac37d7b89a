package schema

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// libraryAccepts is the reference verdict: the JSON Schema library on the
// value converted to plain data.
func libraryAccepts(t testing.TB, v *Value) bool {
	t.Helper()
	s, err := catalogSchema()
	if err != nil {
		t.Fatal(err)
	}
	return s.Validate(v.toAny()) == nil
}

// corpus is every catalog file the repository holds: the examples, the
// error cases and the resolved-model fixtures.
func corpus(t *testing.T) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, glob := range []string{"../examples/*/*.yaml", "../examples/*/*/*.yaml", "../examples/*/*/*/*.yaml", "testdata/*/*/*.yaml", "testdata/*/*/*/*.yaml", "testdata/*/*.yaml"} {
		matches, err := filepath.Glob(glob)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range matches {
			if strings.HasSuffix(m, "permcat.gen.yaml") {
				continue
			}
			b, err := os.ReadFile(m)
			if err != nil {
				t.Fatal(err)
			}
			files[m] = b
		}
	}
	if len(files) < 50 {
		t.Fatalf("only %d catalog files found; the globs are wrong", len(files))
	}
	return files
}

func TestFastSchemaAgreesWithTheLibraryOnEveryCatalogFile(t *testing.T) {
	accepted := 0
	for name, data := range corpus(t) {
		v, errs := parseYAML(name, data)
		if errs.HasErrors() || v == nil || v.Kind == KindNull {
			continue
		}
		fast, lib := acceptsSchema(v), libraryAccepts(t, v)
		if fast != lib {
			t.Errorf("%s: the fast check says %v, the JSON Schema library %v", name, fast, lib)
		}
		if fast {
			accepted++
		}
	}
	if accepted < 10 {
		t.Errorf("the fast check accepted only %d files; valid catalogs must not need the library", accepted)
	}
}

func TestFastSchemaDefersWhatItCannotJudgeExactly(t *testing.T) {
	// Each document is a root file the library accepts or rejects for a
	// subtle reason; the fast check must never accept one the library
	// rejects, and accepts the plain ones itself.
	cases := []struct {
		doc      string
		fastSays bool
	}{
		{"permcat: 1\ncatalog: shop\n", true},
		{"permcat: 1.0\ncatalog: shop\n", false},
		{"permcat: 0x1\ncatalog: shop\n", true}, // the loader reads integers as numbers
		{"permcat: 01\ncatalog: shop\n", true},
		{"permcat: 2\ncatalog: shop\n", false},
		{"permcat: '1'\ncatalog: shop\n", false},
		{"permcat: 1\ncatalog: Shop\n", false},
		{"permcat: 1\ncatalog: shop\ninclude: [a.yaml, a.yaml]\n", false},
		{"permcat: 1\ncatalog: shop\ninclude: ['']\n", false},
		{"permcat: 1\ncatalog: shop\ninclude: [\"a\\0b\"]\n", false},
		{"permcat: 1\ncatalog: shop\nunknown: 1\n", false},
		{"groups:\n  orders:\n    name: Orders\n    permissions:\n      view: {name: View}\n", true},
		{"groups:\n  orders:\n    name: Orders\n    permissions:\n      view: {name: View, requires: [a, a]}\n", false},
		{"roles:\n  r: {name: R, grants: [orders.view, {orders.edit: {when: c}}]}\n", true},
		{"roles:\n  r: {name: R, grants: [{orders.edit: {when: c}, orders.view: {}}]}\n", false},
		{"roles:\n  r: {name: R, grants: [{}]}\n", false},
		{"roles:\n  r: {name: R, grants: [7]}\n", false},
		{"roles:\n  r: {name: R, grants: [Orders.View]}\n", false},
	}
	for _, c := range cases {
		v, errs := parseYAML("permcat.yaml", []byte(c.doc))
		if errs.HasErrors() {
			t.Fatalf("%q: %v", c.doc, errs)
		}
		fast, lib := acceptsSchema(v), libraryAccepts(t, v)
		if fast && !lib {
			t.Errorf("%q: the fast check accepts what the library rejects", c.doc)
		}
		if fast != c.fastSays {
			t.Errorf("%q: the fast check says %v, want %v (library: %v)", c.doc, fast, c.fastSays, lib)
		}
	}
}

func TestFastSchemaAllocatesNothingOnAValidCatalog(t *testing.T) {
	data, err := os.ReadFile("../examples/dutchie/permcat.yaml")
	if err != nil {
		t.Fatal(err)
	}
	v, errs := parseYAML("permcat.yaml", data)
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	if !acceptsSchema(v) {
		t.Fatal("the dutchie example is valid")
	}
	if n := testing.AllocsPerRun(10, func() { acceptsSchema(v) }); n != 0 {
		t.Errorf("the fast check allocates %v times per catalog", n)
	}
}

// FuzzFastSchema: whatever the input, the fast check never accepts a file
// the JSON Schema library rejects.
func FuzzFastSchema(f *testing.F) {
	for _, glob := range []string{"../examples/*/permcat.yaml", "testdata/errors/*/permcat.yaml"} {
		matches, _ := filepath.Glob(glob)
		for _, m := range matches {
			if b, err := os.ReadFile(m); err == nil {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, errs := parseYAML("permcat.yaml", data)
		if errs.HasErrors() || v == nil {
			return
		}
		if acceptsSchema(v) && !libraryAccepts(t, v) {
			t.Fatalf("the fast check accepts what the library rejects:\n%s", data)
		}
	})
}

var patternSamples = []string{"", "a", "a.b", "a..b", ".a", "a.", "A", "a_1.b_2.c", "1a", "a-b", "a\x00", "\x00", "é", "a\nb", "a.b\n", "\xff", "ab_.cd", "a.B"}

func TestKnownPatternsDecideExactlyAsTheirRegexps(t *testing.T) {
	for p, match := range knownPatterns {
		re := regexp.MustCompile(p)
		for _, s := range patternSamples {
			if match(s) != re.MatchString(s) {
				t.Errorf("pattern %q on %q: check says %v, regexp %v", p, s, match(s), re.MatchString(s))
			}
		}
	}
}

func FuzzKnownPatterns(f *testing.F) {
	for _, s := range patternSamples {
		f.Add(s)
	}
	res := map[string]*regexp.Regexp{}
	for p := range knownPatterns {
		res[p] = regexp.MustCompile(p)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for p, match := range knownPatterns {
			if match(s) != res[p].MatchString(s) {
				t.Fatalf("pattern %q on %q: check says %v, regexp %v", p, s, match(s), res[p].MatchString(s))
			}
		}
	})
}

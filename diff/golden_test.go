package diff

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/permcat/permcat/schema"
)

var update = flag.Bool("update", false, "rewrite golden files")

// caseDir is where the before/after catalog pairs live: one directory per
// case with old/ and new/ catalogs and the expected text rendering.
const caseDir = "testdata/diff"

// goldenFormats are the renderings a case may pin besides expected.txt;
// a case opts in by having the file.
var goldenFormats = map[string]string{
	"expected.json":   "json",
	"expected.github": "github",
	"expected.md":     "markdown",
}

func compileDir(t *testing.T, dir string) *schema.Catalog {
	t.Helper()
	cat, errs := schema.Compile(dir, schema.Options{})
	if errs.HasErrors() {
		t.Fatalf("compiling %s:\n%v", dir, errs)
	}
	return cat
}

// compareCase compiles a case's two catalogs and compares them, with
// positions relative to the case directory.
func compareCase(t *testing.T, name string) []Finding {
	t.Helper()
	dir := filepath.Join(caseDir, name)
	old := compileDir(t, filepath.Join(dir, "old"))
	new := compileDir(t, filepath.Join(dir, "new"))
	return RewritePaths(Compare(old, new), dir, "")
}

func caseNames(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(caseDir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		t.Fatal("no cases found")
	}
	return names
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./diff -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is stale (run go test ./diff -update after checking the change):\n--- got\n%s--- want\n%s", path, got, want)
	}
}

func TestEachCaseRendersAsItsGoldenFiles(t *testing.T) {
	for _, name := range caseNames(t) {
		t.Run(name, func(t *testing.T) {
			fs := compareCase(t, name)
			var b bytes.Buffer
			if err := Write(&b, "text", fs, Options{}); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, filepath.Join(caseDir, name, "expected.txt"), b.Bytes())
			for file, format := range goldenFormats {
				path := filepath.Join(caseDir, name, file)
				if _, err := os.Stat(path); err != nil {
					continue
				}
				var b bytes.Buffer
				if err := Write(&b, format, fs, Options{}); err != nil {
					t.Fatal(err)
				}
				checkGolden(t, path, b.Bytes())
			}
		})
	}
}

// Rules is the documentation of what diff reports; a rule no case
// exercises is either dead or untested.
func TestEveryRuleIsExercisedByACaseAndNoOtherIsEmitted(t *testing.T) {
	seen := map[string]bool{}
	for _, name := range caseNames(t) {
		for _, f := range compareCase(t, name) {
			r, ok := RuleByID(f.Rule)
			if !ok {
				t.Errorf("%s: emitted unknown rule %s", name, f.Rule)
				continue
			}
			if f.Category != r.Category {
				t.Errorf("%s: %s has category %s, the table says %s", name, f.Rule, f.Category, r.Category)
			}
			if f.Breaking != (r.Category == Wire) {
				t.Errorf("%s: %s breaking=%v by default", name, f.Rule, f.Breaking)
			}
			seen[f.Rule] = true
		}
	}
	for _, r := range Rules {
		if !seen[r.ID] {
			t.Errorf("no case under %s produces %s", caseDir, r.ID)
		}
	}
}

func TestRuleTableIsWellFormed(t *testing.T) {
	ids := map[string]bool{}
	last := -1
	for _, r := range Rules {
		if ids[r.ID] {
			t.Errorf("rule %s listed twice", r.ID)
		}
		ids[r.ID] = true
		if r.Purpose == "" {
			t.Errorf("rule %s has no purpose", r.ID)
		}
		rank := r.Category.rank()
		if rank == len(Categories) {
			t.Errorf("rule %s has unknown category %q", r.ID, r.Category)
		}
		if rank < last {
			t.Errorf("rule %s (%s) is out of category order", r.ID, r.Category)
		}
		last = rank
	}
}

package typescript

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/permcat/permcat/conformance"
	"github.com/permcat/permcat/internal/synth"
	"github.com/permcat/permcat/schema"
)

// The tests below run the real compiler, pinned in tools/ts and installed by
// scripts/ensure-typescript.sh (which `make test` runs). They keep tsc runs
// few: every module of a kind goes into one project that one tsc run checks.

// moduleRoot is the directory holding go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("go.mod not found above the test's directory")
		}
		dir = up
	}
}

// tscPath finds the pinned compiler; a missing one fails the test, since a
// test that skipped here would pass without ever compiling anything.
func tscPath(t *testing.T) string {
	t.Helper()
	p := filepath.Join(moduleRoot(t), "tools", "ts", "node_modules", ".bin", "tsc")
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("TypeScript compiler not installed at %s: run make test or scripts/ensure-typescript.sh", p)
	}
	return p
}

// namedCatalog is a catalog the end-to-end tests generate from; Dir is a
// file-name-safe name.
type namedCatalog struct {
	Dir string
	Cat *schema.Catalog
}

// randomSeeds are the seeds of the random catalogs every run checks.
const randomSeeds = 16

var exampleNames = []string{"dutchie", "metrc", "cutdry"}

// testCatalogs are the three examples, the awkward catalog, a catalog with
// nothing in it, the scoped catalog and the random ones (whose grants get
// random ways, see bindRandomly).
func testCatalogs(t *testing.T) []namedCatalog {
	t.Helper()
	var out []namedCatalog
	for _, ex := range exampleNames {
		cat, errs := schema.Compile(filepath.Join(moduleRoot(t), "examples", ex), schema.Options{})
		if errs.HasErrors() || cat == nil {
			t.Fatalf("examples/%s does not compile:\n%v", ex, errs)
		}
		out = append(out, namedCatalog{ex, cat})
	}
	out = append(out, namedCatalog{"awkward", conformance.Awkward()}, namedCatalog{"empty", &schema.Catalog{Name: "empty"}})
	out = append(out, namedCatalog{"scoped", scopedCatalog(t)})
	for seed := int64(1); seed <= randomSeeds; seed++ {
		cat := conformance.Random(seed)
		bindRandomly(cat, seed)
		out = append(out, namedCatalog{fmt.Sprintf("random%d", seed), cat})
	}
	synthetic, err := conformance.Synthetic(5, 12, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for i, cat := range synthetic {
		out = append(out, namedCatalog{fmt.Sprintf("synth%d", i), cat})
	}
	// A large catalog: tsc must not give up on its lookup tables ("union
	// type that is too complex to represent" once hit at ~1,100 permissions).
	bigDir, err := synth.Write(filepath.Join(t.TempDir(), "big"), synth.Options{Seed: 11, Permissions: 2500, Conditions: 3, Roles: 6, Profiles: 2, MaxDepth: 2, Presets: true, Formerly: true})
	if err != nil {
		t.Fatal(err)
	}
	big, errs := schema.Compile(bigDir, schema.Options{})
	if errs.HasErrors() {
		t.Fatal(errs)
	}
	out = append(out, namedCatalog{"big", big})
	return out
}

// tsconfig is the strictest configuration a user might compile the module
// under; const projects add erasableSyntaxOnly, which enums break.
func tsconfig(erasable, emit bool) string {
	opts := map[string]any{
		"strict":                             true,
		"target":                             "es2022",
		"module":                             "nodenext",
		"lib":                                []string{"es2022"},
		"types":                              []string{},
		"noUnusedLocals":                     true,
		"noUnusedParameters":                 true,
		"noImplicitReturns":                  true,
		"noImplicitOverride":                 true,
		"noFallthroughCasesInSwitch":         true,
		"noUncheckedIndexedAccess":           true,
		"exactOptionalPropertyTypes":         true,
		"noPropertyAccessFromIndexSignature": true,
		"isolatedModules":                    true,
		"verbatimModuleSyntax":               true,
		"isolatedDeclarations":               true,
		"declaration":                        true,
		"noEmit":                             !emit,
	}
	if erasable {
		opts["erasableSyntaxOnly"] = true
	}
	if emit {
		opts["outDir"] = "out"
	}
	b, _ := json.MarshalIndent(map[string]any{"compilerOptions": opts, "include": []string{"**/*.ts"}}, "", "  ")
	return string(b)
}

// writeFiles writes name → content under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
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

// project starts a TypeScript project in a fresh directory: tsconfig.json
// plus a package.json that makes its files ES modules.
func project(t *testing.T, erasable, emit bool) (string, map[string]string) {
	dir := t.TempDir()
	return dir, map[string]string{
		"tsconfig.json": tsconfig(erasable, emit),
		"package.json":  `{"type": "module", "private": true}`,
	}
}

// tsc runs the compiler on the project in dir and returns its output and
// whether it succeeded.
func tsc(t *testing.T, dir string) (string, bool) {
	t.Helper()
	cmd := exec.Command(tscPath(t), "-p", dir, "--pretty", "false")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatalf("running tsc: %v", err)
		}
	}
	return string(out), err == nil
}

// diagnostic is one "file(line,col): error TSnnnn: message" line of tsc.
var diagnostic = regexp.MustCompile(`(?m)^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$`)

// generate renders cat in style, failing the test on error.
func generate(t *testing.T, cat *schema.Catalog, style string) string {
	t.Helper()
	files, err := Generate(cat, Options{Style: style})
	if err != nil {
		t.Fatalf("Generate(%s, %s): %v", cat.Name, style, err)
	}
	if len(files) != 1 {
		t.Fatalf("Generate(%s, %s) returned %d files, want 1", cat.Name, style, len(files))
	}
	return string(files[0].Content)
}

// firstLines shows the start of a long output.
func firstLines(s string, n int) string {
	lines := strings.SplitAfter(s, "\n")
	if len(lines) > n {
		lines = append(lines[:n], fmt.Sprintf("… %d more lines\n", len(lines)-n))
	}
	return strings.Join(lines, "")
}

package typescript

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/permcat/permcat/conformance"
	"github.com/permcat/permcat/generator"
	"github.com/permcat/permcat/schema"
)

var update = flag.Bool("update", false, "rewrite golden files")

// The awkward catalog's module, in both styles, is kept as a golden file so
// that a reviewer sees every change to the generated code.
func TestAwkwardCatalogMatchesGoldenFiles(t *testing.T) {
	for _, style := range []string{StyleEnum, StyleConst} {
		got := generate(t, conformance.Awkward(), style)
		path := filepath.Join("testdata", "awkward."+style+".ts.golden")
		if *update {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if got != string(want) {
			t.Errorf("%s style differs from %s (run go test -update and review the diff)", style, path)
		}
	}
}

func TestModuleStartsWithTheGeneratedHeaderAndIsNamedAsAsked(t *testing.T) {
	cat := conformance.Awkward()
	files, err := Generate(cat, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || files[0].Path != DefaultFileName {
		t.Fatalf("Generate returned %d files, first %q; want one named %q", len(files), files[0].Path, DefaultFileName)
	}
	if first, _, _ := strings.Cut(string(files[0].Content), "\n"); first != "// "+generator.Header {
		t.Errorf("first line = %q, want %q", first, "// "+generator.Header)
	}
	files, err = Generate(cat, Options{FileName: "web/perms.ts", Style: StyleConst})
	if err != nil || files[0].Path != "web/perms.ts" {
		t.Errorf("Generate with FileName web/perms.ts: %v, path %q", err, files[0].Path)
	}
}

func TestOutputIsTheSameEveryTime(t *testing.T) {
	for seed := int64(1); seed <= 4; seed++ {
		a := generate(t, conformance.Random(seed), StyleEnum)
		b := generate(t, conformance.Random(seed), StyleEnum)
		if a != b {
			t.Fatalf("two renders of random catalog %d differ", seed)
		}
	}
}

func TestEnumStyleIsTheDefaultAndConstStyleHasNoEnums(t *testing.T) {
	cat := conformance.Awkward()
	def := generate(t, cat, "")
	if def != generate(t, cat, StyleEnum) {
		t.Error("the default style is not the enum style")
	}
	if !strings.Contains(def, "export enum Permission {") {
		t.Error("the enum style declares no Permission enum")
	}
	c := generate(t, cat, StyleConst)
	if strings.Contains(c, "enum ") {
		t.Error("the const style declares an enum")
	}
	for _, name := range []string{"Permission", "Group", "Role", "Profile", "Scope"} {
		if !strings.Contains(c, "export const "+name+" = {") || !strings.Contains(c, "export type "+name+" = (typeof "+name+")[keyof typeof "+name+"];") {
			t.Errorf("the const style lacks the object or the union type %s", name)
		}
	}
}

func TestDeprecatedMembersCarryTheJSDocTag(t *testing.T) {
	for _, style := range []string{StyleEnum, StyleConst} {
		src := generate(t, conformance.Awkward(), style)
		i := strings.Index(src, "ConstructorProtoSync")
		if i < 0 {
			t.Fatalf("%s: no member ConstructorProtoSync", style)
		}
		doc := src[strings.LastIndex(src[:i], "/**"):i]
		if !strings.Contains(doc, "@deprecated Use constructor.manage instead.") {
			t.Errorf("%s: the deprecated member's comment lacks @deprecated:\n%s", style, doc)
		}
		if n := strings.Count(src, " * @deprecated"); n != 1 {
			t.Errorf("%s: %d @deprecated tags, want 1 (only constructor.proto.sync is deprecated)", style, n)
		}
	}
}

func TestNoAnyAndNoStatementsRunAtImport(t *testing.T) {
	for _, style := range []string{StyleEnum, StyleConst} {
		src := generate(t, conformance.Random(7), style)
		for _, bad := range []string{": any", "<any>", "as any", "any[]", "require(", "import ", "globalThis", "window", "console"} {
			if strings.Contains(src, bad) {
				t.Errorf("%s style contains %q", style, bad)
			}
		}
	}
}

// The catalog is broken on purpose in each case; Generate must say so
// instead of writing code that cannot compile, and must not panic.
func TestNamesTypeScriptCannotUseAreRejected(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(*schema.Catalog)
		want   string
	}{
		{"a permission name with a dash", func(c *schema.Catalog) { c.Permissions[0].TSName = "Bad-Name" }, `permission "constructor.view": "Bad-Name" is not a usable TypeScript identifier`},
		{"an empty role name", func(c *schema.Catalog) { c.Roles[0].TSName = "" }, `role "constructor": "" is not a usable`},
		{"a profile named __proto__", func(c *schema.Catalog) { c.Profiles[0].TSName = "__proto__" }, `"__proto__" is not a usable`},
		{"two groups with one name", func(c *schema.Catalog) { c.Groups[1].TSName = c.Groups[0].TSName }, `group "constructor" and "constructor.proto" both have the TypeScript name "Constructor"`},
		{"a condition named toString", func(c *schema.Catalog) { c.Conditions[0].TSName = "toString" }, `condition "night_shift": "toString" is a member of every object`},
		{"a scope name starting with a digit", func(c *schema.Catalog) { c.Scopes[0].TSName = "1st" }, `scope "facility": "1st"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cat := conformance.Awkward()
			tc.mutate(cat)
			_, err := Generate(cat, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Generate: %v, want an error containing %s", err, tc.want)
			}
		})
	}
}

func TestUnknownStyleAndMissingCatalogAreErrors(t *testing.T) {
	if _, err := Generate(conformance.Awkward(), Options{Style: "enums"}); err == nil || !strings.Contains(err.Error(), `unknown style "enums"`) {
		t.Errorf("Generate with style enums: %v", err)
	}
	if _, err := Generate(nil, Options{}); err == nil {
		t.Error("Generate(nil) succeeded")
	}
}

func TestAnEmptyCatalogRendersEmptyObjects(t *testing.T) {
	src := generate(t, &schema.Catalog{Name: "empty"}, StyleEnum)
	// An empty enum would be a numeric enum; an empty object's union is never.
	for _, name := range []string{"Permission", "Role", "Profile"} {
		if !strings.Contains(src, "export const "+name+" = {\n} as const;") {
			t.Errorf("the empty %s is not an empty object", name)
		}
	}
	if !bytes.Contains([]byte(src), []byte("export interface Conditions {\n}")) {
		t.Error("the empty catalog lacks an empty Conditions interface")
	}
}

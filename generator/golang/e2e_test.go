package golang

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/permcat/permcat/internal/synth"
	"github.com/permcat/permcat/schema"
)

// e2eCase is one catalog to generate, build, vet and run.
type e2eCase struct {
	pkg    string
	cat    *schema.Catalog
	packed bool // every table packed into a string, as large catalogs get
	// cacheLimit, when not 0, is the role cache's bound in slots, and
	// setBudget the bound in bytes of the map behind it.
	cacheLimit, setBudget int
}

// hostileCatalog puts text in every string field that a careless generator
// would turn into broken Go: comment terminators, control characters,
// invalid UTF-8, a byte order mark, CRLF, list markers and backquotes.
func hostileCatalog() *schema.Catalog {
	b := newCatalog("hostile", "Hostile */ \"title\" `x`")
	b.cat.Description = "Line one\r\n\r\n- a list item\n1. numbered\n# heading\n\tindented code\n[link]: http://x"
	s := b.scope("site", "Nul \x00 and bell \a and \xff invalid")
	c := b.condition("on_call", "BOM \ufeff in the middle, and U+2028 \u2028 too")
	g := b.group(nil, "weird", "Weird \"group\" */")
	g.Location = "A > B\x00"
	g.Scope = s
	p := b.perm(g, "view", "View `raw` /* x */ ${y} \\ \"q\"")
	p.Description = strings.Repeat("A long description that goes on and on - with dashes - 1. and numbers ", 5)
	p.Deprecated = "Because */ and \"quotes\"\n\nand a second paragraph"
	q := b.perm(g, "edit", "Edit\tthings\nacross lines")
	q.Requires = []*schema.Permission{p}
	q.Description = "Deprecated: this is not actually deprecated"
	r := b.role("admin", "Admin \xfe", g)
	r.Description = "//go:generate rm -rf /"
	b.grant(r, nil, p, q)
	b.grant(r, c, q)
	b.profile("auditor", "Auditor */", p)
	return b.done()
}

// synthCases compiles synthetic catalogs from YAML through the real front
// end, so the generator sees what the resolver produces (presets, patterns,
// hostile strings), not only what the hand-built catalogs hold.
func synthCases(t *testing.T) []e2eCase {
	var out []e2eCase
	opts := synth.Varied(11, 4)
	opts = append(opts, synth.Options{Seed: 99, Permissions: 150, Conditions: 3, Roles: 5, Profiles: 2, Scopes: 2, MaxDepth: 4, Presets: true, Formerly: true, Deprecated: true, Hostile: true})
	// Past packThreshold: the permission tables are packed, the rest not.
	opts = append(opts, synth.Options{Seed: 7, Permissions: 1500, Conditions: 2, Roles: 3, Profiles: 1, Scopes: 1, MaxDepth: 3, Presets: true, Formerly: true})
	// String-form sets with more roles × views × conditions than the role
	// cache holds: Permissions is cached in the array, the scope views in
	// the map behind it.
	opts = append(opts, synth.Options{Seed: 12, Permissions: 400, Conditions: 4, Roles: 300, Profiles: 1, Scopes: 20, MaxDepth: 3, Presets: true})
	// The same past any array cache (a bound of one slot): every set is
	// kept in the map behind it.
	opts = append(opts, synth.Options{Seed: 13, Permissions: 300, Conditions: 3, Roles: 4, Profiles: 1, Scopes: 3, MaxDepth: 3, Presets: true})
	for i, o := range opts {
		dir, err := synth.Write(filepath.Join(t.TempDir(), fmt.Sprint(i)), o)
		if err != nil {
			t.Fatal(err)
		}
		cat, errs := schema.Compile(dir, schema.Options{})
		if errs.HasErrors() {
			t.Fatalf("synthetic catalog %d does not compile:\n%v", i, errs)
		}
		c := e2eCase{pkg: fmt.Sprintf("synth%d", i), cat: cat}
		if o.Seed == 13 {
			c.cacheLimit = 1
		}
		out = append(out, c)
		if o.Seed == 13 {
			// And with a map that fills after a few sets: the rest are
			// built on every call.
			out = append(out, e2eCase{pkg: fmt.Sprintf("synth%dfull", i), cat: cat, cacheLimit: 1, setBudget: 2000})
		}
	}
	return out
}

// exampleCases compiles the example catalogs.
func exampleCases(t *testing.T) []e2eCase {
	var out []e2eCase
	for _, name := range []string{"dutchie", "metrc", "cutdry"} {
		cat, errs := schema.Compile(filepath.Join("..", "..", "examples", name), schema.Options{})
		if errs.HasErrors() {
			t.Fatalf("example %s does not compile:\n%v", name, errs)
		}
		out = append(out, e2eCase{pkg: name, cat: cat})
	}
	return out
}

// TestGeneratedPackagesBuildVetAndBehave is the test that matters: it
// generates packages for many catalogs into one throwaway module, adds a
// behaviour test to each that checks the API against the resolved model,
// and vets and tests all of them with one go test.
func TestGeneratedPackagesBuildVetAndBehave(t *testing.T) {
	cases := []e2eCase{
		{pkg: "integrations", cat: integrationsCatalog()},
		{pkg: "tiny", cat: onePermissionCatalog()},
		{pkg: "hostile", cat: hostileCatalog()},
		{pkg: "bigids", cat: randomCatalog(100, true)},
		{pkg: "integrationspacked", cat: integrationsCatalog(), packed: true},
		{pkg: "tinypacked", cat: onePermissionCatalog(), packed: true},
		{pkg: "bigidspacked", cat: randomCatalog(100, true), packed: true},
		{pkg: "lengths", cat: lengthsCatalog()},
		{pkg: "lengthspacked", cat: lengthsCatalog(), packed: true},
	}
	for seed := uint64(1); seed <= 6; seed++ {
		cases = append(cases, e2eCase{pkg: fmt.Sprintf("random%d", seed), cat: randomCatalog(seed, false), packed: seed%3 == 0})
	}
	cases = append(cases, synthCases(t)...)
	examples := exampleCases(t)
	cases = append(cases, examples...)
	cases = append(cases, e2eCase{pkg: "cutdrypacked", cat: examples[2].cat, packed: true})

	harness, err := os.ReadFile(filepath.Join("testdata", "harness", "behaviour_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	mod := t.TempDir()
	write := func(path string, data []byte) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(mod, "go.mod"), []byte("module permcate2e\n\ngo 1.24\n"))
	for _, c := range cases {
		files, err := Generate(c.cat, Options{Package: c.pkg, packAll: c.packed, roleCacheLimit: c.cacheLimit, roleSetBudget: c.setBudget})
		if err != nil {
			t.Fatalf("%s: %v", c.pkg, err)
		}
		for _, f := range files {
			write(filepath.Join(mod, c.pkg, f.Path), f.Content)
		}
		write(filepath.Join(mod, c.pkg, "behaviour_test.go"), bytes.Replace(harness, []byte("package harness"), []byte("package "+c.pkg), 1))
		expect := expectFile(c.pkg, c.cat)
		if c.setBudget != 0 {
			// The budget of the map behind the role cache runs out: some
			// sets are built, and allocated, on every call.
			expect = bytes.Replace(expect, []byte("const roleSetsAllKept = true"), []byte("const roleSetsAllKept = false"), 1)
		}
		write(filepath.Join(mod, c.pkg, "expect_test.go"), expect)
	}
	// -vet=all runs every go vet analyzer (not only go test's short list)
	// in the same build as the tests.
	goTool(t, mod, "test", "-count=1", "-vet=all", "./...")
}

func goTool(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	// Standard library only: nothing to download, and nothing may be.
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOTOOLCHAIN=local", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s in the generated module: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// expectFile renders what the resolved model says about the catalog, as Go
// data for the behaviour test.
func expectFile(pkg string, cat *schema.Catalog) []byte {
	var b bytes.Buffer
	title := cat.Title
	if title == "" {
		title = cat.Name
	}
	maxID := cat.MaxID
	for _, p := range cat.Permissions {
		maxID = max(maxID, p.ID)
	}
	fmt.Fprintf(&b, "package %s\n\nconst (\n\texpectCatalog = %q\n\texpectTitle = %q\n\texpectMaxID = %d\n)\n\n", pkg, cat.Name, title, maxID)

	b.WriteString("var expectPerms = []expectPerm{\n")
	for _, p := range cat.Permissions {
		scope := ""
		if p.Scope != nil {
			scope = p.Scope.Key
		}
		fmt.Fprintf(&b, "\t{key: %q, name: %q, desc: %q, group: %q, scope: %q, deprecated: %q, id: %d, formerly: %s, implies: %s, requires: %s, closure: %s},\n",
			p.Key, p.Name, p.Description, p.Group.Key, scope, p.Deprecated, p.ID, goStrings(p.Formerly), goIDs(p.Implies), goIDs(p.Requires), goIDs(p.ImpliesClosure))
	}
	b.WriteString("}\n\nvar expectGroups = []expectGroup{\n")
	for _, g := range cat.Groups {
		parent := ""
		if g.Parent != nil {
			parent = g.Parent.Key
		}
		fmt.Fprintf(&b, "\t{key: %q, name: %q, desc: %q, location: %q, parent: %q, formerly: %s},\n", g.Key, g.Name, g.Description, g.Location, parent, goStrings(g.Formerly))
	}
	b.WriteString("}\n\nvar expectScopes = []string{")
	for _, s := range cat.Scopes {
		fmt.Fprintf(&b, "%q, ", s.Key)
	}
	b.WriteString("}\n\nvar expectRoles = []expectRole{\n")
	for _, r := range cat.Roles {
		landing := ""
		if r.Landing != nil {
			landing = r.Landing.Key
		}
		fmt.Fprintf(&b, "\t{key: %q, name: %q, desc: %q, landing: %q, cases: []roleCase{\n", r.Key, r.Name, r.Description, landing)
		for _, on := range conditionCombos(cat.Conditions) {
			var fields, names []string
			for _, c := range cat.Conditions {
				if on[c] {
					fields = append(fields, c.GoName+": true")
					names = append(names, c.Key)
				}
			}
			holds := func(c *schema.Condition) bool { return on[c] }
			within := func(s *schema.Scope) string {
				var ps []*schema.Permission
				for _, e := range r.Effective {
					if e.Within(holds, s) {
						ps = append(ps, e.Permission)
					}
				}
				return goIDs(ps)
			}
			var scoped []string
			for _, s := range cat.Scopes {
				scoped = append(scoped, within(s))
			}
			fmt.Fprintf(&b, "\t\t{c: Conditions{%s}, on: %q, perms: %s, everywhere: %s, within: [][]uint32{%s}},\n", strings.Join(fields, ", "), "conditions ["+strings.Join(names, " ")+"]",
				goIDs(r.PermissionsUnder(holds)), within(nil), strings.Join(scoped, ", "))
		}
		b.WriteString("\t}},\n")
	}
	b.WriteString("}\n\nvar expectProfiles = []expectProfile{\n")
	for _, p := range cat.Profiles {
		fmt.Fprintf(&b, "\t{key: %q, name: %q, desc: %q, requires: %s},\n", p.Key, p.Name, p.Description, goIDs(p.Requires))
	}
	b.WriteString("}\n")
	// Every role set is kept once built, so Everywhere and Within
	// allocate only on first use.
	b.WriteString("\nconst roleSetsAllKept = true\n")
	return b.Bytes()
}

// conditionCombos is every combination of conditions when there are few,
// else none, each alone, and all.
func conditionCombos(conds []*schema.Condition) []map[*schema.Condition]bool {
	var out []map[*schema.Condition]bool
	if len(conds) <= 4 {
		for mask := 0; mask < 1<<len(conds); mask++ {
			on := map[*schema.Condition]bool{}
			for i, c := range conds {
				on[c] = mask&(1<<i) != 0
			}
			out = append(out, on)
		}
		return out
	}
	out = append(out, map[*schema.Condition]bool{})
	all := map[*schema.Condition]bool{}
	for _, c := range conds {
		out = append(out, map[*schema.Condition]bool{c: true})
		all[c] = true
	}
	return append(out, all)
}

func goStrings(ss []string) string {
	if len(ss) == 0 {
		return "nil"
	}
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[]string{" + strings.Join(q, ", ") + "}"
}

func goIDs(ps []*schema.Permission) string {
	if len(ps) == 0 {
		return "nil"
	}
	q := make([]string, len(ps))
	for i, p := range ps {
		q[i] = fmt.Sprint(p.ID)
	}
	return "[]uint32{" + strings.Join(q, ", ") + "}"
}

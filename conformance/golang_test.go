package conformance_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"text/template"

	"github.com/permcat/permcat/conformance"
	"github.com/permcat/permcat/generator/golang"
	"github.com/permcat/permcat/schema"
)

// adapter turns one generated Go package into the string-typed adapter of
// testdata/gorunner; it is rendered once per package into the runner's main
// package. Conditions are set through reflection by their Go field names,
// which the table carries.
var adapter = template.Must(template.New("adapter").Parse(`package main

import (
	"fmt"
	"reflect"

	{{.Pkg}} "conftest/{{.Pkg}}"
)

func init() {
	byKey := map[string]{{.Pkg}}.Permission{}
	for _, p := range {{.Pkg}}.All() {
		byKey[p.String()] = p
	}
	keys := func(ps []{{.Pkg}}.Permission) []string {
		out := []string{}
		for _, p := range ps {
			out = append(out, p.String())
		}
		return out
	}
	conditions := func(on []string) {{.Pkg}}.Conditions {
		var c {{.Pkg}}.Conditions
		v := reflect.ValueOf(&c).Elem()
		for _, f := range on {
			v.FieldByName(f).SetBool(true)
		}
		return c
	}
	register({{printf "%q" .Name}}, {{printf "%q" .Table}}, adapter{
		all: func() []string { return keys({{.Pkg}}.All()) },
		parse: func(k string) (string, bool) {
			p, ok := {{.Pkg}}.Parse(k)
			if !ok {
				return "", false
			}
			return p.String(), true
		},
		parseRole: func(k string) (string, bool) {
			r, ok := {{.Pkg}}.ParseRole(k)
			if !ok {
				return "", false
			}
			return r.String(), true
		},
		rolePerms: func(role string, on []string) ([]string, int, bool) {
			r, ok := {{.Pkg}}.ParseRole(role)
			if !ok {
				return nil, 0, false
			}
			s := r.Permissions(conditions(on))
			return keys(s.Permissions()), s.Len(), true
		},
		roleHas: func(role, perm string, on []string) (bool, bool) {
			r, ok := {{.Pkg}}.ParseRole(role)
			p, known := byKey[perm]
			if !ok || !known {
				return false, false
			}
			return r.Permissions(conditions(on)).Has(p), true
		},
		missing: func(profile string, held []string) ([]string, bool) {
			pr, ok := {{.Pkg}}.ParseProfile(profile)
			if !ok {
				return nil, false
			}
			var ps []{{.Pkg}}.Permission
			for _, k := range held {
				p, ok := byKey[k]
				if !ok {
					return nil, false
				}
				ps = append(ps, p)
			}
			return keys(pr.Missing({{.Pkg}}.NewSet(ps...))), true
		},
		info: func(key string) (info, bool) {
			p, ok := byKey[key]
			if !ok {
				return info{}, false
			}
			i := info{ID: uint64(p), Name: p.Name(), Description: p.Description(), Group: p.Group().String(),
				Implies: keys(p.Implies()), Requires: keys(p.Requires()), Deprecated: p.Deprecated()}
			if s, ok := p.Scope(); ok {
				i.Scope, i.HasScope = fmt.Sprint(s), true
			}
			return i, true
		},
		roleName: func(role string) (string, string, bool) {
			r, ok := {{.Pkg}}.ParseRole(role)
			if !ok {
				return "", "", false
			}
			landing := ""
			if g, ok := r.Landing(); ok {
				landing = g.String()
			}
			return r.Name(), landing, true
		},
	})
}
`))

// The generated Go package of every test catalog answers its decision table
// (grants under every combination of conditions, parsing of keys, former
// keys and near misses, profile misses, permission and role metadata)
// exactly as the resolved model does: the same table the TypeScript module
// answers in generator/typescript's tests.
func TestGeneratedGoPackagesAnswerTheDecisionTables(t *testing.T) {
	root := moduleRoot(t)
	dir := t.TempDir()
	write := func(name string, data []byte) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", []byte("module conftest\n\ngo 1.24\n"))
	runner, err := os.ReadFile(filepath.Join("testdata", "gorunner", "runner.go"))
	if err != nil {
		t.Fatal(err)
	}
	write("main/runner.go", runner)
	cats := testCatalogs(t, root)
	for _, c := range cats {
		files, err := golang.Generate(c.Cat, golang.Options{Package: c.Dir})
		if err != nil {
			t.Fatalf("golang.Generate(%s): %v", c.Dir, err)
		}
		for _, f := range files {
			write(c.Dir+"/"+f.Path, f.Content)
		}
		table, err := json.Marshal(conformance.TableOf(c.Cat))
		if err != nil {
			t.Fatal(err)
		}
		tablePath := filepath.Join(dir, "tables", c.Dir+".json")
		write("tables/"+c.Dir+".json", table)
		var b strings.Builder
		if err := adapter.Execute(&b, map[string]string{"Pkg": c.Dir, "Name": c.Dir, "Table": tablePath}); err != nil {
			t.Fatal(err)
		}
		write("main/adapter_"+c.Dir+".go", []byte(b.String()))
	}
	cmd := exec.Command("go", "run", "./main")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local")
	out, err := cmd.CombinedOutput()
	want := fmt.Sprintf("packages: %d passed, 0 failed", len(cats))
	if err != nil || !strings.Contains(string(out), want) {
		t.Fatalf("the generated Go packages disagree with their tables (%v); want %q:\n%s", err, want, out)
	}
}

// testCatalogs are the three examples, the awkward catalog and random ones;
// generator/typescript's tests check the same list.
func testCatalogs(t *testing.T, root string) []namedCatalog {
	t.Helper()
	var out []namedCatalog
	for _, ex := range []string{"dutchie", "metrc", "cutdry"} {
		cat, errs := schema.Compile(filepath.Join(root, "examples", ex), schema.Options{})
		if errs.HasErrors() || cat == nil {
			t.Fatalf("examples/%s does not compile:\n%v", ex, errs)
		}
		out = append(out, namedCatalog{ex, cat})
	}
	out = append(out, namedCatalog{"awkward", conformance.Awkward()})
	for seed := int64(1); seed <= 16; seed++ {
		out = append(out, namedCatalog{fmt.Sprintf("random%d", seed), conformance.Random(seed)})
	}
	synthetic, err := conformance.Synthetic(5, 12, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for i, cat := range synthetic {
		out = append(out, namedCatalog{fmt.Sprintf("synth%d", i), cat})
	}
	return out
}

type namedCatalog struct {
	Dir string
	Cat *schema.Catalog
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil || strings.TrimSpace(string(out)) == "" {
		t.Fatalf("go env GOMOD: %v", err)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}

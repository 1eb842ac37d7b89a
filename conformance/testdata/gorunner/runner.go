// Command gorunner checks generated Go permission packages against the
// decision tables of package conformance. The conformance test copies it
// into a scratch module together with one generated package per catalog and
// one adapter per package (see adapter in conformance_test.go), which turns
// the package's typed API into the strings a table speaks.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
)

// table mirrors conformance.Table.
type table struct {
	Catalog     string   `json:"catalog"`
	Permissions []string `json:"permissions"`
	Conditions  []struct {
		Key string `json:"key"`
		Go  string `json:"go"`
	} `json:"conditions"`
	Grants []struct {
		Name    string   `json:"name"`
		Role    string   `json:"role"`
		On      []string `json:"on"`
		Granted []string `json:"granted"`
	} `json:"grants"`
	Parse     []parseCase `json:"parse"`
	ParseRole []parseCase `json:"parseRole"`
	Missing   []struct {
		Name    string   `json:"name"`
		Profile string   `json:"profile"`
		Held    []string `json:"held"`
		Missing []string `json:"missing"`
	} `json:"missing"`
	Info []struct {
		Key         string   `json:"key"`
		ID          uint64   `json:"id"`
		Name        string   `json:"name"`
		Description string   `json:"description"`
		Group       string   `json:"group"`
		Implies     []string `json:"implies"`
		Requires    []string `json:"requires"`
		Scope       string   `json:"scope"`
		Deprecated  string   `json:"deprecated"`
	} `json:"info"`
	RoleInfo []struct {
		Key     string `json:"key"`
		Name    string `json:"name"`
		Landing string `json:"landing"`
	} `json:"roleInfo"`
}

type parseCase struct {
	Name  string `json:"name"`
	Input string `json:"input"`
	Want  string `json:"want"`
}

// info is what a generated package says about one permission.
type info struct {
	ID                       uint64
	Name, Description, Group string
	Implies, Requires        []string
	Scope                    string
	HasScope, Deprecated     bool
}

// adapter is one generated package seen through strings. Conditions are
// named by their Go field; a permission, role or profile key that does not
// parse makes the adapter report ok == false.
type adapter struct {
	all       func() []string
	parse     func(key string) (string, bool)
	parseRole func(key string) (string, bool)
	rolePerms func(role string, on []string) (perms []string, size int, ok bool)
	roleHas   func(role, perm string, on []string) (has, ok bool)
	missing   func(profile string, held []string) ([]string, bool)
	info      func(key string) (info, bool)
	roleName  func(role string) (name, landing string, ok bool)
}

// cases are filled in by the generated adapters' init functions: name,
// table file, adapter.
var cases []struct {
	name, table string
	a           adapter
}

func register(name, tablePath string, a adapter) {
	cases = append(cases, struct {
		name, table string
		a           adapter
	}{name, tablePath, a})
}

func check(a adapter, t *table) []string {
	var fail []string
	failf := func(name, format string, args ...any) {
		fail = append(fail, t.Catalog+": "+name+": "+fmt.Sprintf(format, args...))
	}
	if got := a.all(); !slices.Equal(got, t.Permissions) {
		failf("All", "= %q, want %q", got, t.Permissions)
	}
	goName := map[string]string{}
	for _, c := range t.Conditions {
		goName[c.Key] = c.Go
	}
	for _, g := range t.Grants {
		var on []string
		for _, k := range g.On {
			on = append(on, goName[k])
		}
		perms, size, ok := a.rolePerms(g.Role, on)
		if !ok {
			failf(g.Name, "role %s does not parse", g.Role)
			continue
		}
		want := slices.Clone(g.Granted)
		slices.Sort(want)
		slices.Sort(perms)
		if !slices.Equal(perms, want) || size != len(want) {
			failf(g.Name, "Permissions = %q (Len %d), want %q", perms, size, want)
		}
		for _, p := range t.Permissions {
			has, ok := a.roleHas(g.Role, p, on)
			if want := slices.Contains(g.Granted, p); !ok || has != want {
				failf(g.Name+", permission "+p, "Has = %v, want %v", has, want)
			}
		}
	}
	for _, c := range t.Parse {
		got, ok := a.parse(c.Input)
		if ok != (c.Want != "") || got != c.Want {
			failf("parse "+c.Name, "Parse(%q) = %q, %v; want %q", c.Input, got, ok, c.Want)
		}
	}
	for _, c := range t.ParseRole {
		got, ok := a.parseRole(c.Input)
		if ok != (c.Want != "") || got != c.Want {
			failf("parse role "+c.Name, "ParseRole(%q) = %q, %v; want %q", c.Input, got, ok, c.Want)
		}
	}
	for _, c := range t.Missing {
		got, ok := a.missing(c.Profile, c.Held)
		if !ok || !slices.Equal(got, c.Missing) {
			failf(c.Name, "Missing = %q, want %q", got, c.Missing)
		}
	}
	for _, w := range t.Info {
		name := "info of " + w.Key
		got, ok := a.info(w.Key)
		if !ok {
			failf(name, "does not parse")
			continue
		}
		if got.ID != w.ID {
			failf(name, "ID = %d, want %d", got.ID, w.ID)
		}
		if got.Name != w.Name {
			failf(name, "Name = %q, want %q", got.Name, w.Name)
		}
		if got.Description != w.Description {
			failf(name, "Description = %q, want %q", got.Description, w.Description)
		}
		if got.Group != w.Group {
			failf(name, "Group = %q, want %q", got.Group, w.Group)
		}
		if !slices.Equal(got.Implies, w.Implies) {
			failf(name, "Implies = %q, want %q", got.Implies, w.Implies)
		}
		if !slices.Equal(got.Requires, w.Requires) {
			failf(name, "Requires = %q, want %q", got.Requires, w.Requires)
		}
		if got.HasScope != (w.Scope != "") || got.Scope != w.Scope {
			failf(name, "Scope = %q, %v; want %q", got.Scope, got.HasScope, w.Scope)
		}
		if got.Deprecated != (w.Deprecated != "") {
			failf(name, "Deprecated = %v, want %v", got.Deprecated, w.Deprecated != "")
		}
	}
	for _, w := range t.RoleInfo {
		name, landing, ok := a.roleName(w.Key)
		if !ok || name != w.Name || landing != w.Landing {
			failf("role "+w.Key, "Name, Landing = %q, %q; want %q, %q", name, landing, w.Name, w.Landing)
		}
	}
	return fail
}

func main() {
	passed, failed := 0, 0
	for _, c := range cases {
		data, err := os.ReadFile(c.table)
		if err != nil {
			fmt.Println(err)
			os.Exit(2)
		}
		var t table
		if err := json.Unmarshal(data, &t); err != nil {
			fmt.Println(c.table, err)
			os.Exit(2)
		}
		fail := check(c.a, &t)
		if len(fail) == 0 {
			passed++
			continue
		}
		failed++
		fmt.Printf("FAIL %s: %d cases\n", c.name, len(fail))
		if len(fail) > 20 {
			fail = fail[:20]
		}
		fmt.Println("  " + strings.Join(fail, "\n  "))
	}
	fmt.Printf("packages: %d passed, %d failed\n", passed, failed)
	if failed > 0 {
		os.Exit(1)
	}
}

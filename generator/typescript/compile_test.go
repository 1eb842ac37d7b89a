package typescript

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/permcat/permcat/conformance"
)

// surface spells the API of outputs.md (TypeScript section) as type
// annotations, so a module that drifts from it stops compiling. It sits
// beside every generated module in the type-check projects.
const surface = `import {
  type Conditions,
  type GroupInfo,
  type PermissionInfo,
  type ProfileInfo,
  type RoleInfo,
  Group,
  Permission,
  Profile,
  Role,
  Scope,
  allGroups,
  allPermissions,
  allProfiles,
  allRoles,
  catalogInfo,
  groupInfo,
  parsePermission,
  parseProfile,
  parseRole,
  permissionInfo,
  profileInfo,
  profileMissing,
  roleHas,
  roleHasWithin,
  roleInfo,
  rolePermissions,
  rolePermissionsEverywhere,
  rolePermissionsWithin,
} from "./permissions.js";

export const parse: (key: string) => Permission | undefined = parsePermission;
export const has: (role: Role, p: Permission, c?: Conditions) => boolean = roleHas;
export const permissions: (role: Role, c?: Conditions) => Permission[] = rolePermissions;
export const everywhere: (role: Role, c?: Conditions) => Permission[] = rolePermissionsEverywhere;
export const within: (role: Role, scope: Scope, c?: Conditions) => Permission[] = rolePermissionsWithin;
export const hasWithin: (role: Role, p: Permission, scope: Scope | undefined, c?: Conditions) => boolean = roleHasWithin;
export const missing: (profile: Profile, held: Iterable<Permission>) => Permission[] = profileMissing;
export const info: Record<Permission, {
  name: string;
  description: string;
  group: string;
  implies: Permission[];
  requires: Permission[];
  scope?: string;
  deprecated?: string;
}> = permissionInfo;
export const groups: Record<Group, GroupInfo> = groupInfo;
export const roles: Record<Role, RoleInfo> = roleInfo;
export const profiles: Record<Profile, ProfileInfo> = profileInfo;
export const infos: readonly PermissionInfo[] = allPermissions.map((p) => permissionInfo[p]);
export const roleParser: (key: string) => Role | undefined = parseRole;
export const profileParser: (key: string) => Profile | undefined = parseProfile;
export const lists: [readonly Group[], readonly Role[], readonly Profile[]] = [allGroups, allRoles, allProfiles];
export const title: string = catalogInfo.title;
export const keys: string[] = allPermissions.map((p): string => p);
export const scopes: Scope[] = [];

// Every value is its key, and an empty Conditions object is accepted.
export function holdsAnything(role: Role): boolean {
  const c: Conditions = {};
  return allPermissions.some((p) => roleHas(role, p, c) && parsePermission(p) === p);
}

// The scope may be undefined (everywhere), but not left out.
export function holdsEverywhere(role: Role, p: Permission): boolean {
  return roleHasWithin(role, p, undefined) && rolePermissionsEverywhere(role).includes(p);
}
`

// A generated module type-checks under --strict (and every stricter option
// a project might turn on) for the examples, the awkward catalog and random
// catalogs; the const style also under erasableSyntaxOnly and
// verbatimModuleSyntax.
func TestGeneratedModulesTypeCheck(t *testing.T) {
	cats := testCatalogs(t)
	for _, style := range []string{StyleEnum, StyleConst} {
		t.Run(style, func(t *testing.T) {
			dir, files := project(t, style == StyleConst, false)
			for _, c := range cats {
				files[c.Dir+"/permissions.ts"] = generate(t, c.Cat, style)
				files[c.Dir+"/surface.ts"] = surface
			}
			writeFiles(t, dir, files)
			if out, ok := tsc(t, dir); !ok || out != "" {
				t.Fatalf("tsc rejected the generated %s-style modules:\n%s", style, firstLines(out, 40))
			}
		})
	}
}

// mistake is a snippet that must not compile: the mistake a user could
// make, and the error tsc must report for it.
type mistake struct {
	name  string
	style string
	code  string // statements after the import; the import names Permission, Role, Scope, Conditions, roleHas, roleHasWithin, rolePermissionsWithin, parsePermission
	want  string // a regexp the single error message must match
}

var mistakes = []mistake{
	{
		name: "a misspelled enum member", style: StyleEnum,
		code: "export const ok: Permission = Permission.ConstructorView;\n" +
			"export const p: Permission = Permission.ConstructorVeiw;\n",
		want: `Property 'ConstructorVeiw' does not exist`,
	},
	{
		name: "a misspelled const member", style: StyleConst,
		code: "export const ok: Permission = Permission.ConstructorView;\n" +
			"export const p: Permission = Permission.ConstructorVeiw;\n",
		want: `Property 'ConstructorVeiw' does not exist`,
	},
	{
		name: "a misspelled key where the const style takes key strings", style: StyleConst,
		code: "export const ok: boolean = roleHas(Role.Constructor, \"constructor.view\");\n" +
			"export const p: boolean = roleHas(Role.Constructor, \"constructor.veiw\");\n",
		want: `"constructor.veiw".* is not assignable to parameter of type`,
	},
	{
		name: "a plain string where the enum style wants a Permission", style: StyleEnum,
		code: "export const ok: boolean = roleHas(Role.Constructor, Permission.ConstructorView);\n" +
			"export const p: boolean = roleHas(Role.Constructor, \"constructor.view\");\n",
		want: `is not assignable to parameter of type 'Permission'`,
	},
	{
		name: "a misspelled condition", style: StyleEnum,
		code: "const c: Conditions = { nightShift: true };\n" +
			"export const ok: boolean = roleHas(Role.ToString, Permission.ConstructorView, c);\n" +
			"export const p: boolean = roleHas(Role.ToString, Permission.ConstructorView, { nightShfit: true });\n",
		want: `'nightShfit' does not exist in type 'Conditions'`,
	},
	{
		name: "a role where a permission belongs", style: StyleConst,
		code: "export const p: boolean = roleHas(Role.Constructor, Role.Nobody);\n",
		want: `is not assignable to parameter of type`,
	},
	{
		name: "a scope left out, as if roleHasWithin were roleHas", style: StyleEnum,
		code: "export const ok: boolean = roleHasWithin(Role.Constructor, Permission.ConstructorView, undefined);\n" +
			"export const p: boolean = roleHasWithin(Role.Constructor, Permission.ConstructorView);\n",
		want: `Expected 3-4 arguments, but got 2`,
	},
	{
		name: "a plain string where the enum style wants a Scope", style: StyleEnum,
		code: "export const ok: Permission[] = rolePermissionsWithin(Role.Constructor, Scope.Facility);\n" +
			"export const p: Permission[] = rolePermissionsWithin(Role.Constructor, \"facility\");\n",
		want: `is not assignable to parameter of type 'Scope'`,
	},
	{
		name: "a misspelled scope key where the const style takes key strings", style: StyleConst,
		code: "export const ok: boolean = roleHasWithin(Role.Constructor, Permission.ConstructorView, \"facility\");\n" +
			"export const p: boolean = roleHasWithin(Role.Constructor, Permission.ConstructorView, \"facilty\");\n",
		want: `"facilty".* is not assignable to parameter of type`,
	},
	{
		name: "a parse result used without checking for undefined", style: StyleEnum,
		code: "export const p: Permission = parsePermission(\"constructor.view\");\n",
		want: `'Permission \| undefined' is not assignable to type 'Permission'`,
	},
}

// Mistakes a user could make with a generated module fail to type-check,
// each with exactly the one error it deserves: the types catch misspelled
// members, keys and conditions instead of letting them through as strings.
func TestMistakesFailToTypeCheck(t *testing.T) {
	dir, files := project(t, false, false)
	awkward := conformance.Awkward()
	files["enum/permissions.ts"] = generate(t, awkward, StyleEnum)
	files["const/permissions.ts"] = generate(t, awkward, StyleConst)
	names := map[string]mistake{}
	for i, m := range mistakes {
		name := fmt.Sprintf("%s/mistake%d.ts", m.style, i)
		names[name] = m
		files[name] = "import { type Conditions, Permission, Role, Scope, parsePermission, roleHas, roleHasWithin, rolePermissionsWithin } from \"./permissions.js\";\n" +
			"export const used: [Conditions, Permission | undefined, boolean, boolean, Permission[]] = [{}, parsePermission(\"\"), roleHas(Role.Nobody, Permission.ConstructorView), " +
			"roleHasWithin(Role.Nobody, Permission.ConstructorView, Scope.Facility), rolePermissionsWithin(Role.Nobody, Scope.Facility)];\n" + m.code
	}
	writeFiles(t, dir, files)
	out, ok := tsc(t, dir)
	if ok {
		t.Fatalf("tsc accepted every mistake:\n%s", out)
	}
	got := map[string][]string{}
	for _, d := range diagnostic.FindAllStringSubmatch(out, -1) {
		file := filepath.ToSlash(d[1])
		got[file] = append(got[file], d[4]+": "+d[5])
	}
	for name, m := range names {
		errs := got[name]
		delete(got, name)
		if len(errs) != 1 || !regexp.MustCompile(m.want).MatchString(errs[0]) {
			t.Errorf("%s (%s): tsc reported %q, want one error matching %q", m.name, name, errs, m.want)
		}
	}
	for file, errs := range got {
		t.Errorf("unexpected errors in %s: %q", file, errs)
	}
	if t.Failed() {
		t.Logf("tsc output:\n%s", firstLines(out, 40))
	}
}

// behaviour holds checks the decision table cannot express, run against the
// awkward catalog in both styles: importing touches nothing global, lookups
// ignore what every object inherits, and editing the exported info objects
// cannot change the answers.
const behaviour = `import * as enums from "./enum/awkward/permissions.js";
import * as consts from "./const/awkward/permissions.js";

type Awkward = typeof enums | typeof consts;

export function checkAwkward(name: string, m: Awkward): string[] {
  const fail: string[] = [];
  const check = (ok: boolean, msg: string): void => {
    if (!ok) {
      fail.push(name + ": " + msg);
    }
  };
  // Not keys of this catalog, but members of every object.
  for (const key of ["toString", "__proto__", "valueOf", "hasOwnProperty", "isPrototypeOf"]) {
    check(m.parsePermission(key) === undefined, "parsePermission(" + key + ") found something");
    check(m.parseRole(key) === undefined, "parseRole(" + key + ") found something");
    check(m.parseProfile(key) === undefined, "parseProfile(" + key + ") found something");
    check(!m.roleHas(key as enums.Role, "constructor.view" as enums.Permission), "roleHas(" + key + ") is true");
    check(m.rolePermissions(key as enums.Role).length === 0, "rolePermissions(" + key + ") is not empty");
    check(m.profileMissing(key as enums.Profile, []).length === 0, "profileMissing(" + key + ") is not empty");
    check(m.rolePermissionsEverywhere(key as enums.Role).length === 0, "rolePermissionsEverywhere(" + key + ") is not empty");
    check(m.rolePermissionsWithin(key as enums.Role, "facility" as enums.Scope).length === 0, "rolePermissionsWithin(" + key + ") is not empty");
    check(!m.roleHasWithin(key as enums.Role, "constructor.view" as enums.Permission, undefined), "roleHasWithin(" + key + ") is true");
    // Not a scope: only what is held everywhere.
    const everywhere = JSON.stringify(m.rolePermissionsEverywhere("constructor" as enums.Role));
    check(JSON.stringify(m.rolePermissionsWithin("constructor" as enums.Role, key as enums.Scope)) === everywhere, "rolePermissionsWithin(scope " + key + ") is not what is held everywhere");
  }
  // Keys of this catalog that are also members of every object.
  check(m.parseRole("constructor") === "constructor", "the role keyed constructor does not parse");
  check(m.parseRole("to_string") === "to_string", "the role keyed to_string does not parse");
  check(m.parseProfile("constructor") === "constructor", "the profile keyed constructor does not parse");
  check(m.rolePermissions("constructor" as enums.Role).length === 5, "the role keyed constructor lost its grants");
  check(m.parsePermission("constructor.edit") === "constructor.to_string", "a former key does not parse");
  // A truthy value that is not true does not turn a condition on.
  const truthy = { nightShift: 1 } as unknown as enums.Conditions;
  check(!m.roleHas("to_string" as enums.Role, "constructor.to_string" as enums.Permission, truthy), "a truthy non-boolean turned a condition on");

  const before = JSON.stringify(m.profileMissing("constructor" as enums.Profile, []));
  (m.profileInfo["constructor" as enums.Profile].requires as string[]).length = 0;
  (m.permissionInfo["constructor.manage" as enums.Permission].implies as string[]).length = 0;
  check(JSON.stringify(m.profileMissing("constructor" as enums.Profile, [])) === before, "editing profileInfo changed profileMissing");
  check(m.profileMissing("constructor" as enums.Profile, ["constructor.manage" as enums.Permission]).length === 1, "editing permissionInfo changed the implies closure");
  return fail;
}

export const awkwardModules: [string, Awkward][] = [["awkward (enum)", enums], ["awkward (const)", consts]];
`

// A snapshot of what importing must not change.
const globalsSnapshot = `function snapshot(): string {
  return JSON.stringify([Object.getOwnPropertyNames(globalThis), Object.getOwnPropertyNames(Object.prototype),
    Object.getOwnPropertyNames(Array.prototype), Object.getOwnPropertyNames(Map.prototype), Object.getOwnPropertyNames(Set.prototype)]);
}
`

// Every generated module, in both styles, answers its catalog's decision
// table (grants under every combination of conditions, parsing of keys,
// former keys and near misses, profile misses, permission metadata) and its
// within table (grants everywhere and within each scope, under every
// combination of conditions) exactly as the resolved model does, when
// compiled by tsc and run by node.
func TestGeneratedModulesBehaveLikeTheCatalog(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatalf("node is not installed: %v", err)
	}
	cats := testCatalogs(t)
	dir, files := project(t, false, true)
	files["runner.ts"] = conformance.NodeRunner
	files["node-shim.d.ts"] = conformance.NodeShim
	files["behaviour.ts"] = behaviour
	files["within.ts"] = withinRunner

	var imports, runs strings.Builder
	n := 0
	for _, c := range cats {
		table, err := json.Marshal(conformance.TableOf(c.Cat))
		if err != nil {
			t.Fatal(err)
		}
		tablePath, _ := json.Marshal(filepath.Join(dir, "tables", c.Dir+".json"))
		files["tables/"+c.Dir+".json"] = string(table)
		within, err := json.Marshal(withinTableOf(c.Cat))
		if err != nil {
			t.Fatal(err)
		}
		withinPath, _ := json.Marshal(filepath.Join(dir, "tables", c.Dir+".within.json"))
		files["tables/"+c.Dir+".within.json"] = string(within)
		for _, style := range []string{StyleEnum, StyleConst} {
			mod := style + "/" + c.Dir + "/permissions"
			files[mod+".ts"] = generate(t, c.Cat, style)
			fmt.Fprintf(&imports, "const m%d = await import(%q);\n", n, "./"+mod+".js")
			fmt.Fprintf(&runs, "report(%q, [...run(m%d, JSON.parse(readFileSync(%s, \"utf8\")) as Table), ...runWithin(m%d, JSON.parse(readFileSync(%s, \"utf8\")) as WithinTable)]);\n",
				c.Dir+" ("+style+")", n, tablePath, n, withinPath)
			n++
		}
	}
	files["main.ts"] = `import { readFileSync } from "node:fs";
import { run, type Table } from "./runner.js";
import { runWithin, type WithinTable } from "./within.js";

` + globalsSnapshot + `
const globalsBefore = snapshot();
` + imports.String() + `const { awkwardModules, checkAwkward } = await import("./behaviour.js");
const globalsAfter = snapshot();

let failed = 0;
let passed = 0;
function report(name: string, failures: string[]): void {
  if (failures.length === 0) {
    passed++;
    return;
  }
  failed++;
  console.log("FAIL " + name + ": " + failures.length + " cases");
  for (const f of failures.slice(0, 20)) {
    console.log("  " + f);
  }
}
report("importing the modules", globalsBefore === globalsAfter ? [] : ["globals or built-in prototypes changed"]);
` + runs.String() + `for (const [name, m] of awkwardModules) {
  report(name, checkAwkward(name, m));
}
console.log("modules: " + passed + " passed, " + failed + " failed");
if (failed > 0) {
  process.exitCode = 1;
}
`
	writeFiles(t, dir, files)
	if out, ok := tsc(t, dir); !ok || out != "" {
		t.Fatalf("tsc rejected the conformance project:\n%s", firstLines(out, 40))
	}
	cmd := exec.Command("node", filepath.Join(dir, "out", "main.js"))
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	want := fmt.Sprintf("modules: %d passed, 0 failed", n+3)
	if err != nil || !strings.Contains(string(out), want) {
		t.Fatalf("node reported failures (%v); want %q:\n%s", err, want, firstLines(string(out), 60))
	}
}

// Checks one generated permcat TypeScript module against the decision table
// that package conformance computed from the same catalog. run returns one
// line per failed case, each naming the case; an empty list is a pass.
//
// The module is taken generically so that one runner serves every catalog
// and both styles (enums and `as const` objects): P, R and F are the
// module's Permission, Role and Profile types, C its Conditions.

export interface Table {
  catalog: string;
  conditions: { key: string; go: string; ts: string }[];
  permissions: string[];
  roles: string[];
  profiles: string[];
  grants: { name: string; role: string; on: string[]; granted: string[] }[];
  parse: ParseCase[];
  parseRole: ParseCase[];
  missing: { name: string; profile: string; held: string[]; missing: string[] }[];
  info: {
    key: string;
    id: number;
    name: string;
    description: string;
    group: string;
    implies: string[];
    requires: string[];
    scope: string;
    deprecated: string;
    formerly: string[];
  }[];
  roleInfo: { key: string; name: string; description: string; landing: string }[];
}

interface ParseCase {
  name: string;
  input: string;
  want: string;
}

interface PermissionInfo<P> {
  readonly id: number;
  readonly name: string;
  readonly description: string;
  readonly group: string;
  readonly implies: readonly P[];
  readonly requires: readonly P[];
  readonly scope?: string;
  readonly deprecated?: string;
  readonly formerly: readonly string[];
}

export interface Module<P extends string, R extends string, F extends string, C extends object> {
  readonly allPermissions: readonly P[];
  readonly allRoles: readonly R[];
  readonly allProfiles: readonly F[];
  readonly permissionInfo: Readonly<Record<P, PermissionInfo<P>>>;
  readonly roleInfo: Readonly<Record<R, { readonly name: string; readonly description: string; readonly landing?: string }>>;
  parsePermission(key: string): P | undefined;
  parseRole(key: string): R | undefined;
  roleHas(role: R, p: P, c?: C): boolean;
  rolePermissions(role: R, c?: C): P[];
  profileMissing(profile: F, held: Iterable<P>): P[];
}

function same(got: readonly string[], want: readonly string[]): boolean {
  return got.length === want.length && got.every((g, i) => g === want[i]);
}

function show(xs: readonly string[]): string {
  return JSON.stringify(xs);
}

export function run<P extends string, R extends string, F extends string, C extends object>(
  m: Module<P, R, F, C>,
  t: Table,
): string[] {
  const fail: string[] = [];
  const check = (ok: boolean, name: string, msg: string): void => {
    if (!ok) {
      fail.push(`${t.catalog}: ${name}: ${msg}`);
    }
  };

  check(same(m.allPermissions, t.permissions), "allPermissions", `got ${show(m.allPermissions)}, want ${show(t.permissions)}`);
  check(same(m.allRoles, t.roles), "allRoles", `got ${show(m.allRoles)}, want ${show(t.roles)}`);
  check(same(m.allProfiles, t.profiles), "allProfiles", `got ${show(m.allProfiles)}, want ${show(t.profiles)}`);

  for (const g of t.grants) {
    const role = g.role as R;
    // Only the conditions that are on are set: a missing field is off.
    const sparse: Record<string, boolean> = {};
    // Every condition set explicitly, to true or false.
    const dense: Record<string, boolean> = {};
    for (const c of t.conditions) {
      const on = g.on.indexOf(c.key) >= 0;
      dense[c.ts] = on;
      if (on) {
        sparse[c.ts] = true;
      }
    }
    const variants: [string, C | undefined][] = [
      ["sparse conditions", sparse as unknown as C],
      ["explicit conditions", dense as unknown as C],
    ];
    if (g.on.length === 0) {
      variants.push(["no conditions argument", undefined]);
    }
    for (const [how, c] of variants) {
      const got = m.rolePermissions(role, c);
      check(same(got, g.granted), `${g.name} (${how})`, `rolePermissions = ${show(got)}, want ${show(g.granted)}`);
      for (const p of t.permissions) {
        const want = g.granted.indexOf(p) >= 0;
        const has = m.roleHas(role, p as P, c);
        check(has === want, `${g.name} (${how}), permission ${p}`, `roleHas = ${has}, want ${want}`);
      }
    }
  }

  for (const c of t.parse) {
    const got = m.parsePermission(c.input);
    const want = c.want === "" ? undefined : c.want;
    check(got === want, `parse ${c.name}`, `parsePermission(${JSON.stringify(c.input)}) = ${String(got)}, want ${String(want)}`);
  }
  for (const c of t.parseRole) {
    const got = m.parseRole(c.input);
    const want = c.want === "" ? undefined : c.want;
    check(got === want, `parse role ${c.name}`, `parseRole(${JSON.stringify(c.input)}) = ${String(got)}, want ${String(want)}`);
  }

  for (const c of t.missing) {
    const held = c.held as P[];
    const got = m.profileMissing(c.profile as F, held);
    check(same(got, c.missing), c.name, `profileMissing = ${show(got)}, want ${show(c.missing)}`);
    const fromSet = m.profileMissing(c.profile as F, new Set(held));
    check(same(fromSet, c.missing), `${c.name} (held as a Set)`, `profileMissing = ${show(fromSet)}, want ${show(c.missing)}`);
  }

  for (const w of t.info) {
    const name = `permissionInfo of ${w.key}`;
    const got = m.permissionInfo[w.key as P];
    if (got === undefined) {
      check(false, name, "missing");
      continue;
    }
    check(got.id === w.id, name, `id = ${got.id}, want ${w.id}`);
    check(got.name === w.name, name, `name = ${JSON.stringify(got.name)}, want ${JSON.stringify(w.name)}`);
    check(got.description === w.description, name, `description = ${JSON.stringify(got.description)}, want ${JSON.stringify(w.description)}`);
    check(got.group === w.group, name, `group = ${got.group}, want ${w.group}`);
    check(same(got.implies, w.implies), name, `implies = ${show(got.implies)}, want ${show(w.implies)}`);
    check(same(got.requires, w.requires), name, `requires = ${show(got.requires)}, want ${show(w.requires)}`);
    check(same(got.formerly, w.formerly), name, `formerly = ${show(got.formerly)}, want ${show(w.formerly)}`);
    const scope = w.scope === "" ? undefined : w.scope;
    check(got.scope === scope, name, `scope = ${String(got.scope)}, want ${String(scope)}`);
    const deprecated = w.deprecated === "" ? undefined : w.deprecated;
    check(got.deprecated === deprecated, name, `deprecated = ${JSON.stringify(got.deprecated)}, want ${JSON.stringify(deprecated)}`);
    // Absent, not present and undefined, so exactOptionalPropertyTypes holds.
    check(("deprecated" in got) === (deprecated !== undefined), name, "deprecated is present but undefined");
    check(("scope" in got) === (scope !== undefined), name, "scope is present but undefined");
  }

  for (const w of t.roleInfo) {
    const name = `roleInfo of ${w.key}`;
    const got = m.roleInfo[w.key as R];
    if (got === undefined) {
      check(false, name, "missing");
      continue;
    }
    check(got.name === w.name, name, `name = ${JSON.stringify(got.name)}, want ${JSON.stringify(w.name)}`);
    check(got.description === w.description, name, `description = ${JSON.stringify(got.description)}, want ${JSON.stringify(w.description)}`);
    const landing = w.landing === "" ? undefined : w.landing;
    check(got.landing === landing, name, `landing = ${String(got.landing)}, want ${String(landing)}`);
  }
  return fail;
}

// Package query answers questions about a compiled catalog: what a role
// holds and why (Explain), who holds a permission (WhoCan) and what a
// person's permissions lack for a requirement profile (Audit). It is the
// library behind `permcat explain`, `permcat who-can` and `permcat audit`;
// the command parses flags, calls these functions and prints the result
// with its Text or JSON method.
//
// Results are plain data: every field is a key, a display string or a
// position, never a pointer into the catalog, so they marshal to JSON with
// stable lower_snake_case field names. List fields are always present in
// JSON (an empty list, never null), so scripts need no null checks.
//
// Audit is meant for CI and support: AuditResult.OK reports whether the
// profile is met, and the command exits 1 when it is not.
package query

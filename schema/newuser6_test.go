package schema

import (
	"strings"
	"testing"
)

// A role whose `extends` names an unknown role, or is part of a cycle,
// misses what it would inherit: only the extends error is reported, not
// what the role (or a role extending it) then lacks.
func TestAnUnresolvedExtendsReportsNothingItCauses(t *testing.T) {
	const cat = `permcat: 1
catalog: shop
groups:
  orders:
    name: Orders
    permissions:
      view: {name: View}
      edit: {name: Edit, requires: [view]}
      export: {name: Export, requires: [view]}
roles:
  clerk:
    name: Clerk
    grants: [orders.view]
`
	wantExactly(t, map[string]string{"permcat.yaml": cat + `  senior:
    name: Senior
    extends: [clerc]
    grants: [orders.edit]
  lead:
    name: Lead
    extends: [senior]
    grants: [orders.export]
`}, "permcat.yaml:16:15: role senior extends unknown role \"clerc\" (did you mean \"clerk\"?) [unknown-role]\n")

	wantExactly(t, map[string]string{"permcat.yaml": cat + `  senior:
    name: Senior
    extends: [lead]
    grants: [orders.edit]
  lead:
    name: Lead
    extends: [senior]
    grants: [orders.export]
  third:
    name: Third
    extends: [lead]
    grants: [orders.export]
`}, "permcat.yaml:20:15: cycle in `extends`: senior → lead → senior [cycle-extends]\n")

	wantExactly(t, map[string]string{"permcat.yaml": cat + `  senior:
    name: Senior
    extends: [senior]
    grants: [orders.edit]
`}, "permcat.yaml:16:15: role senior extends itself [cycle-extends]\n")

	// What the role's own except removes is its own doing: still reported.
	wantExactly(t, map[string]string{"permcat.yaml": cat + `  senior:
    name: Senior
    extends: [clerc]
    grants: [orders.view, orders.edit]
    except: [orders.view]
`}, "permcat.yaml:16:15: role senior extends unknown role \"clerc\" (did you mean \"clerk\"?) [unknown-role]\n"+
		"permcat.yaml:18:14: role senior: except removes orders.view, but the role still holds orders.edit always, which requires it; except orders.edit too, or drop this except [requires-unmet]\n")
}

// A grant bound to another scope than the permission's own is reported
// once, as such; what the permission requires is checked as it is held,
// per its own scope, so no hint tells to bind the grant to the scope it
// already has.
func TestAGrantBoundToAnotherScopeIsReportedOnce(t *testing.T) {
	wantExactly(t, map[string]string{"permcat.yaml": `permcat: 1
catalog: fleet
scopes:
  region: {description: A region.}
  depot: {description: A depot.}
groups:
  vehicles:
    name: Vehicles
    scope: depot
    permissions:
      view: {name: View}
      edit: {name: Edit, requires: [view]}
roles:
  mechanic:
    name: Mechanic
    grants:
      - vehicles.view
      - vehicles.edit: {scope: region}
`}, "permcat.yaml:18:32: role mechanic binds vehicles.edit to scope region, but it is set per depot; bind it to depot or drop the grant's scope [scope-conflict]\n")

	wantExactly(t, map[string]string{"permcat.yaml": `permcat: 1
catalog: fleet
scopes:
  region: {description: A region.}
  depot: {description: A depot.}
groups:
  vehicles:
    name: Vehicles
    scope: depot
    permissions:
      view: {name: View}
      edit: {name: Edit, requires: [view]}
  routes:
    name: Routes
    permissions:
      plan: {name: Plan, requires: [vehicles.view]}
roles:
  mechanic:
    name: Mechanic
    grants:
      - vehicles.view
      - "*.*": {scope: region}
`}, "permcat.yaml:22:24: role mechanic binds vehicles.view to scope region, but it is set per depot; bind it to depot or drop the grant's scope [scope-conflict]\n")
}

// Grant options indented like the pattern instead of under it: one error
// at the grant, showing the shape; the grant is taken as meant, so its
// condition is used and nothing it grants is missed.
func TestGrantOptionsIndentedLikeThePattern(t *testing.T) {
	wantExactly(t, map[string]string{"permcat.yaml": shop + `roles:
  clerk:
    name: Clerk
    grants:
      - orders.view
      - orders.edit:
        when: night
`}, "permcat.yaml:4:3: warning: condition senior is declared but no grant uses it [unused-condition]\n"+
		"permcat.yaml:26:9: role clerk: `grants` item 2: `when` is indented like the pattern orders.edit, not under it; indent a grant's options deeper than its pattern, or write `- orders.edit: {when: night}` [grant-options-indent]\n")

	wantErrorsExactly(t, map[string]string{"permcat.yaml": shop + `roles:
  clerk:
    name: Clerk
    grants:
      - orders.view
      - orders.edit:
        when: nigth
        note: Only at the till, not in the back office.
`}, "permcat.yaml:26:9: role clerk: `grants` item 2: `when` and `note` are indented like the pattern orders.edit, not under it; indent a grant's options deeper than its pattern, or write `- orders.edit: {when: nigth, note: …}` [grant-options-indent]\n"+
		"permcat.yaml:27:15: unknown condition \"nigth\" (did you mean \"night\"?); declare it under `conditions:` [unknown-condition]\n")

	// Two patterns in one mapping are not a slip of options.
	_, errs, _ := compileText(t, map[string]string{"permcat.yaml": shop + `roles:
  clerk:
    name: Clerk
    grants:
      - orders.view:
        orders.edit:
`})
	if got := baseErrors(errs); !strings.Contains(got, "\npermcat.yaml:25:9: role clerk: `grants` item 1 must have exactly one key: the pattern, with its options under it [bad-value]\n") || strings.Contains(got, "grant-options-indent") {
		t.Errorf("two patterns in one grant mapping: got\n%s", got)
	}
}

// A key whose colon is missing makes YAML read it as a plain scalar that
// runs on to the next `key: value` line, where the library fails: the
// error says which line probably lacks the colon.
func TestAMissingColonIsPointedAt(t *testing.T) {
	cases := []struct{ doc, want string }{
		{"permcat: 1\ngroups:\n  fleet:\n    name Fleet\n    location: Backoffice\n",
			`f.yaml:5:13: invalid YAML: mapping values are not allowed in this context (line 4, "name Fleet", has no ":" — is one missing?)`},
		// Over blank lines and further lines of the scalar, to where it began.
		{"permcat: 1\ngroups:\n  fleet:\n    name Fleet\n\n    Vehicles\n    location: Backoffice\n",
			`f.yaml:7:13: invalid YAML: mapping values are not allowed in this context (line 4, "name Fleet", has no ":" — is one missing?)`},
		{"permcat: 1\nroles:\n  r:\n    grants:\n      - orders.edit\n        when: night\n",
			`f.yaml:6:13: invalid YAML: mapping values are not allowed in this context (line 5, "- orders.edit", has no ":" — is one missing?)`},
		// The scalar began after a key on its line: nothing to add.
		{"permcat: 1\ngroups:\n  fleet:\n    name: Fleet\n      more\n      location: x\n",
			`f.yaml:6:15: invalid YAML: mapping values are not allowed in this context`},
		{"permcat: 1\ncatalog: x\n---\ncatalog: y\n  z: 1\n",
			`f.yaml:5:4: invalid YAML: mapping values are not allowed in this context`},
	}
	for _, c := range cases {
		_, errs := parseYAML("f.yaml", []byte(c.doc))
		if len(errs) != 1 {
			t.Errorf("%q: want one error, got %v", c.doc, errs)
			continue
		}
		if got := strings.TrimSuffix(errs[0].Error(), " [yaml-syntax]"); got != c.want {
			t.Errorf("%q:\n got %s\nwant %s", c.doc, got, c.want)
		}
	}
}

// A pattern under a group's former key gets the same help as an exact
// former key: the rename, and the pattern with the new key; a pattern
// under a mistyped group key a did-you-mean. In grants, except and
// profile requirements alike.
func TestAPatternUnderARenamedGroupSaysSo(t *testing.T) {
	wantErrorsExactly(t, map[string]string{"permcat.yaml": `permcat: 1
catalog: fleet
groups:
  fleet:
    name: Fleet
    groups:
      vehicles:
        name: Vehicles
        permissions:
          view: {name: View}
  telemetry:
    name: Telemetry
    formerly: [fleet.telemetry]
    permissions:
      view: {name: View}
      export: {name: Export, requires: [view]}
roles:
  viewer:
    name: Viewer
    grants:
      - "fleet.telemetry.*"
      - "fleet.vehicle.*"
      - telemetry.view
      - fleet.telemetry
    except: ["fleet.telemetry.**"]
profiles:
  sync:
    name: Sync
    requires: ["fleet.telemetry.*", "flet.**", "nothing.*"]
`}, `permcat.yaml:21:9: grant "fleet.telemetry.*" matches no permission: group fleet.telemetry was renamed to telemetry; use "telemetry.*" [pattern-no-match]
permcat.yaml:22:9: grant "fleet.vehicle.*" matches no permission (did you mean "fleet.vehicles.*"?) [pattern-no-match]
permcat.yaml:24:9: grant "fleet.telemetry" matches no permission (fleet.telemetry is a group, renamed to telemetry: use telemetry.* for its own permissions or telemetry.** for everything under it) [pattern-no-match]
permcat.yaml:25:14: except "fleet.telemetry.**" matches no permission: group fleet.telemetry was renamed to telemetry; use "telemetry.**" [pattern-no-match]
permcat.yaml:29:16: profile requirement "fleet.telemetry.*" matches no permission: group fleet.telemetry was renamed to telemetry; use "telemetry.*" [pattern-no-match]
permcat.yaml:29:37: profile requirement "flet.**" matches no permission (did you mean "fleet.**"?) [pattern-no-match]
permcat.yaml:29:48: profile requirement "nothing.*" matches no permission [pattern-no-match]
`)
}

package schema

import (
	"testing"
)

// wantExactly compiles files and requires exactly the findings want (as
// baseErrors prints them, one per line, sorted by place).
func wantExactly(t *testing.T, files map[string]string, want string) {
	t.Helper()
	_, errs, _ := compileText(t, files)
	if got := baseErrors(errs); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// wantErrorsExactly is wantExactly without the warnings.
func wantErrorsExactly(t *testing.T, files map[string]string, want string) {
	t.Helper()
	_, errs, _ := compileText(t, files)
	var only Errors
	for _, e := range errs {
		if e.Severity == SeverityError {
			only = append(only, e)
		}
	}
	if got := baseErrors(only); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// An empty key is reported at itself, in plain words, whichever mapping
// holds it; not at the mapping as if the mapping's own key were bad.
func TestAnEmptyKeyIsReportedAtItself(t *testing.T) {
	wantExactly(t, map[string]string{"permcat.yaml": `permcat: 1
catalog: t
groups:
  g:
    name: G
    permissions:
      p: {name: P}
      "": {name: E}
`}, `permcat.yaml:8:7: an empty key in the permissions of group g: keys are lower-case letters, digits and _, starting with a letter [bad-key]
`)

	wantExactly(t, map[string]string{"permcat.yaml": `permcat: 1
catalog: t
groups:
  "": {name: X, permissions: {p: {name: P}}}
  g:
    name: G
    permissions: {p: {name: P}}
    groups:
      "": {name: Y, permissions: {q: {name: Q}}}
roles:
  "": {name: R, grants: [g.p]}
conditions:
  "": {description: c}
scopes:
  "": {description: s}
profiles:
  "": {name: P, requires: [g.p]}
`}, `permcat.yaml:4:3: an empty key in `+"`groups`"+`: keys are lower-case letters, digits and _, starting with a letter [bad-key]
permcat.yaml:9:7: an empty key in the subgroups of group g: keys are lower-case letters, digits and _, starting with a letter [bad-key]
permcat.yaml:11:3: an empty key in `+"`roles`"+`: keys are lower-case letters, digits and _, starting with a letter [bad-key]
permcat.yaml:13:3: an empty key in `+"`conditions`"+`: keys are lower-case letters, digits and _, starting with a letter [bad-key]
permcat.yaml:15:3: an empty key in `+"`scopes`"+`: keys are lower-case letters, digits and _, starting with a letter [bad-key]
permcat.yaml:17:3: an empty key in `+"`profiles`"+`: keys are lower-case letters, digits and _, starting with a letter [bad-key]
`)

	// Presets, their permissions, vars and grant maps; no warning about
	// a preset or var with no name.
	wantExactly(t, map[string]string{"permcat.yaml": `permcat: 1
catalog: t
presets:
  "": {permissions: {v: {name: V}}}
  pr:
    permissions:
      "": {name: V}
      w: {name: W}
groups:
  g: {name: G, preset: pr, vars: {"": x}, permissions: {p: {name: P}}}
roles:
  r:
    name: R
    grants:
      - "": {when: c}
      - g.p: {"": c}
conditions: {c: {description: c}}
`}, `permcat.yaml:4:3: an empty key in `+"`presets`"+`: keys are lower-case letters, digits and _, starting with a letter [bad-key]
permcat.yaml:7:7: an empty key in the permissions of preset pr: keys are lower-case letters, digits and _, starting with a letter [bad-key]
permcat.yaml:10:35: an empty key in the vars of group g: keys are lower-case letters, digits and _, starting with a letter [bad-key]
permcat.yaml:15:9: grant "" is not a pattern: use dotted key segments, `+"`*`"+` for one segment, `+"`**`"+` for one or more [bad-pattern]
permcat.yaml:16:15: unknown field "" in role r: `+"`grants`"+` item 2 → `+"`g.p`"+` [unknown-field]
`)

	// What is wrong inside the value of an empty key is placed there, and
	// a bad key holding an empty one is reported on its own.
	wantExactly(t, map[string]string{"permcat.yaml": `permcat: 1
catalog: t
groups:
  Bad:
    name: B
    permissions:
      "": {name: 5, bogus: 1}
  g:
    name: G
    permissions: {p: {name: P}}
`}, `permcat.yaml:4:3: "Bad" is not a valid key in `+"`groups`"+`: keys are lower-case letters, digits and _, starting with a letter (e.g. bad) [bad-key]
permcat.yaml:7:7: an empty key in the permissions of group Bad: keys are lower-case letters, digits and _, starting with a letter [bad-key]
permcat.yaml:7:18: permission Bad."": `+"`name`"+` must be a string, not an integer [wrong-type]
permcat.yaml:7:21: unknown field "bogus" in permission Bad."" [unknown-field]
`)

	// In a fragment too.
	wantExactly(t, map[string]string{
		"permcat.yaml": `permcat: 1
catalog: t
include: ["parts/*.yaml"]
groups:
  g: {name: G, permissions: {p: {name: P}}}
`,
		"parts/a.yaml": `groups:
  g:
    permissions:
      "": {name: Q}
`}, `a.yaml:4:7: an empty key in the permissions of group g: keys are lower-case letters, digits and _, starting with a letter [bad-key]
`)
}

// A requirement a role lacks is reported at the grant that gives the way
// of holding that lacks it.
func TestRequiresUnmetIsAtTheGrantThatLacks(t *testing.T) {
	const cat = `permcat: 1
catalog: t
conditions: {c1: {description: a}, c2: {description: b}}
scopes: {s: {description: a store}, u: {description: a region}}
groups:
  g:
    name: G
    permissions:
      view: {name: V}
      edit: {name: E, requires: [view]}
      manage: {name: M, implies: [edit]}
`
	// By condition: the c2 grant, not the first one.
	wantErrorsExactly(t, map[string]string{"permcat.yaml": cat + `roles:
  r:
    name: R
    grants:
      - g.edit: {when: c1}
      - g.edit: {when: c2}
      - g.view: {when: c1}
`}, `permcat.yaml:17:9: role r holds g.edit when c1 or c2 but not g.view when c2; g.edit requires g.view, so grant it unconditionally or under the same condition [requires-unmet]
`)
	// Always, where the other grant is conditional.
	wantErrorsExactly(t, map[string]string{"permcat.yaml": cat + `roles:
  r:
    name: R
    grants:
      - g.edit: {when: c1}
      - g.edit
      - g.view: {when: c1}
`}, `permcat.yaml:17:9: role r holds g.edit always but g.view only when c1; g.edit requires g.view, so grant it unconditionally [requires-unmet]
`)
	// By scope: the grant bound everywhere, not the one bound to s.
	wantErrorsExactly(t, map[string]string{"permcat.yaml": cat + `roles:
  r:
    name: R
    grants:
      - g.edit: {scope: s}
      - g.edit
      - g.view: {scope: s}
`}, `permcat.yaml:17:9: role r holds g.edit always but g.view only always per s; g.edit requires g.view, so grant it everywhere [requires-unmet]
`)
	// By scope: the grant bound to u, where view is bound to s.
	wantErrorsExactly(t, map[string]string{"permcat.yaml": cat + `roles:
  r:
    name: R
    grants:
      - g.edit: {scope: s}
      - g.edit: {scope: u}
      - g.view: {scope: s}
`}, `permcat.yaml:17:9: role r holds g.edit always per s; always per u but g.view only always per s; g.edit requires g.view, so grant it everywhere or per u [requires-unmet]
`)
	// Implied: the grant of the implying permission.
	wantErrorsExactly(t, map[string]string{"permcat.yaml": cat + `roles:
  r:
    name: R
    grants:
      - g.view: {when: c1}
      - g.edit: {when: c1}
      - g.manage: {when: c2}
`}, `permcat.yaml:18:9: role r holds g.edit when c1 or c2 (implied by g.manage) but not g.view when c2; g.edit requires g.view, so grant it unconditionally or under the same condition [requires-unmet]
`)
}

// A preset string the group replaces is never used for it: its
// placeholders are not checked for that group. One the group uses is.
func TestAReplacedPresetStringIsNotCheckedForTheGroup(t *testing.T) {
	const presets = `permcat: 1
catalog: t
presets:
  pr:
    permissions:
      view: {name: "View {name}"}
      edit: {name: "Edit {vendor}", description: "Edits {vendor}.", requires: [view]}
`
	cat, errs, _ := compileText(t, map[string]string{"permcat.yaml": presets + `groups:
  g:
    name: G
    preset: pr
    omit: [edit]
  h:
    name: H
    preset: pr
    permissions:
      edit: {name: "Edit H", description: "Edits H."}
`})
	if errs.HasErrors() || len(errs) != 0 {
		t.Fatalf("want no findings, got:\n%s", baseErrors(errs))
	}
	if p := cat.PermissionByKey("h.edit"); p == nil || p.Name != "Edit H" || p.Description != "Edits H." || len(p.Requires) != 1 {
		t.Errorf("h.edit: %+v", p)
	}
	// The description is still the preset's: its placeholder is checked.
	wantExactly(t, map[string]string{"permcat.yaml": presets + `groups:
  h:
    name: H
    preset: pr
    permissions:
      edit: {name: "Edit H"}
`}, `permcat.yaml:7:50: placeholder {vendor} in preset "pr" is not defined for group h; set it in the group's `+"`vars`"+` [preset-placeholder]
`)
}

// A non-ASCII go_name or ts_name is refused for what it is: not ASCII.
func TestANonASCIIIdentifierSaysItIsNotASCII(t *testing.T) {
	wantExactly(t, map[string]string{"permcat.yaml": `permcat: 1
catalog: t
presets:
  pr:
    permissions:
      view: {name: V, go_name: "View{vendor}"}
groups:
  g:
    name: G
    permissions:
      view: {name: V, go_name: "Ünicode"}
      edit: {name: E, ts_name: "édit"}
      a: {name: A, go_name: "viewA"}
  h:
    name: H
    preset: pr
    vars: {vendor: "Zé"}
`}, `permcat.yaml:6:32: go_name "ViewZé" contains 'é', which is not ASCII; generated identifiers use ASCII letters, digits and _ only (start with an upper-case letter) [ident-invalid]
permcat.yaml:11:32: go_name "Ünicode" contains 'Ü', which is not ASCII; generated identifiers use ASCII letters, digits and _ only (start with an upper-case letter) [ident-invalid]
permcat.yaml:12:32: ts_name "édit" contains 'é', which is not ASCII; generated identifiers use ASCII letters, digits, _ and $ only [ident-invalid]
permcat.yaml:13:29: go_name "viewA" is not an exported Go identifier (start with an upper-case letter; letters, digits, _) [ident-invalid]
`)
}

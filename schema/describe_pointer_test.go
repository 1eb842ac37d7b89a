package schema

import (
	"strings"
	"testing"
)

// A finding about a field names the field, not what holds it.
func TestDescribePointerNamesTheFieldNotItsParent(t *testing.T) {
	for ptr, want := range map[string]string{
		"":                                "the file",
		"groups":                          "`groups`",
		"roles":                           "`roles`",
		"presets":                         "`presets`",
		"profiles":                        "`profiles`",
		"conditions":                      "`conditions`",
		"scopes":                          "`scopes`",
		"include":                         "`include`",
		"include/0":                       "`include`: item 1",
		"groups/billing":                  "group billing",
		"groups/billing/permissions":      "group billing: `permissions`",
		"groups/billing/groups":           "group billing: `groups`",
		"groups/a/groups/b/permissions":   "group a.b: `permissions`",
		"groups/a/groups/b/groups":        "group a.b: `groups`",
		"groups/billing/vars":             "group billing: `vars`",
		"groups/billing/permissions/view": "permission billing.view",
		"groups/b/permissions/v/implies":  "permission b.v: `implies`",
		"presets/p":                       "preset p",
		"presets/p/permissions":           "preset p: `permissions`",
		"presets/p/permissions/v":         "preset p permission v",
		"presets/p/permissions/v/tags/1":  "preset p permission v: `tags` item 2",
		"roles/r/grants":                  "role r: `grants`",
		"roles/r/grants/0/a.b":            "role r: `grants` item 1 → `a.b`",
		"profiles/x/requires":             "profile x: `requires`",
		// A group may be called like a section.
		"groups/groups/permissions": "group groups: `permissions`",
		"groups/roles/groups":       "group roles: `groups`",
	} {
		var parts []string
		if ptr != "" {
			parts = strings.Split(ptr, "/")
		}
		if got := describePointer(parts); got != want {
			t.Errorf("%s: got %q, want %q", ptr, got, want)
		}
	}
}

// A bad key of a permission or subgroup is one in its group or preset.
func TestABadKeyIsInItsGroupOrPreset(t *testing.T) {
	_, errs, _ := compileText(t, map[string]string{"permcat.yaml": `permcat: 1
catalog: shop
presets:
  p: {permissions: {Bad: {name: B}}}
groups:
  g:
    name: G
    permissions: {View: {name: V}}
    groups: {Sub: {name: S, permissions: {v: {name: V}}}}
`})
	got := baseErrors(errs)
	for _, w := range []string{
		`permcat.yaml:4:21: "Bad" is not a valid key in preset p: `,
		`permcat.yaml:8:19: "View" is not a valid key in group g: `,
		`permcat.yaml:9:14: "Sub" is not a valid key in group g: `,
	} {
		if !strings.Contains(got, w) {
			t.Errorf("want %q, got:\n%s", w, got)
		}
	}
}

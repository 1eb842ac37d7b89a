package schema

import (
	"strings"
	"testing"
)

// presetNames is a catalog whose preset sets its view permission's
// go_name and ts_name, used by two groups with their own `vars`.
func presetNames(goName, tsName, leaflyVar, linxVar string) string {
	return `permcat: 1
catalog: t
presets:
  integ:
    permissions:
      view: {name: "View {name}", go_name: "` + goName + `", ts_name: "` + tsName + `"}
groups:
  ints:
    name: I
    groups:
      leafly: {name: Leafly, preset: integ, vars: {vendor_go: ` + leaflyVar + `}}
      linx:   {name: Linx,   preset: integ, vars: {vendor_go: ` + linxVar + `}}
`
}

// go_name and ts_name written under `presets:` are preset strings like
// the others: expanded per group, then checked as identifiers.
func TestPresetGoAndTSNamesExpandPlaceholdersPerGroup(t *testing.T) {
	cat := mustCompile(t, map[string]string{"permcat.yaml": presetNames("View{vendor_go}", "view_{vendor_go}", "Leafly", "Linx")})
	for key, want := range map[string][2]string{
		"ints.leafly.view": {"ViewLeafly", "view_Leafly"},
		"ints.linx.view":   {"ViewLinx", "view_Linx"},
	} {
		p := cat.PermissionByKey(key)
		if p == nil {
			t.Fatalf("no permission %s", key)
		}
		if p.GoName != want[0] || p.TSName != want[1] {
			t.Errorf("%s: go %q ts %q, want go %q ts %q", key, p.GoName, p.TSName, want[0], want[1])
		}
	}
}

func TestPresetGoAndTSNamesUseTheGroupsName(t *testing.T) {
	cat := mustCompile(t, map[string]string{"permcat.yaml": presetNames("View{name}", "{name}_{vendor_go}", "Leafly", "Linx")})
	if p := cat.PermissionByKey("ints.linx.view"); p.GoName != "ViewLinx" || p.TSName != "Linx_Linx" {
		t.Errorf("ints.linx.view: go %q ts %q", p.GoName, p.TSName)
	}
}

// An undefined placeholder gets the preset-placeholder finding at the
// string, and only that: no identifier or schema finding about the
// unexpanded text.
func TestAnUndefinedPlaceholderInAPresetGoNameIsReportedOnce(t *testing.T) {
	_, errs, _ := compileText(t, map[string]string{"permcat.yaml": presetNames("View{vendor}", "View{vendor}", "Leafly", "Linx")})
	got := baseErrors(errs)
	want := `permcat.yaml:6:44: placeholder {vendor} in preset "integ" is not defined for group ints.leafly (did you mean "vendor_go"?); set it in the group's ` + "`vars`" + ` [preset-placeholder]
permcat.yaml:6:44: placeholder {vendor} in preset "integ" is not defined for group ints.linx (did you mean "vendor_go"?); set it in the group's ` + "`vars`" + ` [preset-placeholder]
permcat.yaml:6:69: placeholder {vendor} in preset "integ" is not defined for group ints.leafly (did you mean "vendor_go"?); set it in the group's ` + "`vars`" + ` [preset-placeholder]
permcat.yaml:6:69: placeholder {vendor} in preset "integ" is not defined for group ints.linx (did you mean "vendor_go"?); set it in the group's ` + "`vars`" + ` [preset-placeholder]
`
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// What a placeholder expands to is checked like a go_name written out,
// at the preset string.
func TestAnExpandedPresetGoNameIsCheckedAsAnIdentifier(t *testing.T) {
	_, errs, _ := compileText(t, map[string]string{"permcat.yaml": presetNames("View{vendor_go}", "View{vendor_go}", `"Leafly!"`, "Leafly")})
	got := baseErrors(errs)
	for _, w := range []string{
		`permcat.yaml:6:44: go_name "ViewLeafly!" is not an exported Go identifier`,
		`permcat.yaml:6:72: ts_name "ViewLeafly!" is not a valid TypeScript identifier`,
	} {
		if !strings.Contains(got, w) {
			t.Errorf("want %q, got:\n%s", w, got)
		}
	}
	if strings.Contains(got, "{vendor_go}") || strings.Contains(got, "[schema]") || strings.Contains(got, "[bad-value]") {
		t.Errorf("a finding about the unexpanded string:\n%s", got)
	}
	// The same name for two groups collides, at the preset string.
	_, errs, _ = compileText(t, map[string]string{"permcat.yaml": presetNames("View{vendor_go}", "View{vendor_go}", "Same", "Same")})
	got = baseErrors(errs)
	for _, w := range []string{
		"permcat.yaml:6:44: Go identifier ViewSame of permission ints.linx.view collides with permission ints.leafly.view",
		"permcat.yaml:6:72: TypeScript identifier ViewSame of permission ints.linx.view collides with permission ints.leafly.view",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("want %q, got:\n%s", w, got)
		}
	}
}

func baseErrors(errs Errors) string {
	var b strings.Builder
	for _, e := range errs {
		if i := strings.LastIndex(e.Pos.File, "/"); i >= 0 {
			e.Pos.File = e.Pos.File[i+1:]
		}
		b.WriteString(e.Error())
		b.WriteByte('\n')
	}
	return b.String()
}

// A preset field that should be a string but is not is reported as such
// by the schema, not as what its expansion would have been (an empty
// deprecation reason, an invalid identifier).
func TestANonStringPresetStringIsReportedAsTheWrongType(t *testing.T) {
	_, errs, _ := compileText(t, map[string]string{"permcat.yaml": `permcat: 1
catalog: t
presets:
  integ:
    permissions:
      view: {name: View, deprecated: 7, go_name: 5}
groups:
  leafly: {name: Leafly, preset: integ}
`})
	want := "permcat.yaml:6:38: preset integ permission view: `deprecated` must be a string, not an integer [wrong-type]\n" +
		"permcat.yaml:6:50: preset integ permission view: `go_name` must be a string, not an integer [wrong-type]\n"
	if got := baseErrors(errs); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

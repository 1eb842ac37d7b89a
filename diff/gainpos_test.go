package diff

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A gain is placed at the grant that gives the gained way, not at the
// role's first grant behind the permission: a conditional grant the role
// already had does not give "always", and an inherited unconditional one
// does when the role's own are conditional.
func TestAGainIsPlacedAtTheGrantThatGivesIt(t *testing.T) {
	write := func(dir, yaml string) string {
		d := filepath.Join(t.TempDir(), dir)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "permcat.yaml"), []byte(yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		return d
	}
	const head = `permcat: 1
catalog: shop
conditions:
  night: {description: Night.}
groups:
  a:
    name: A
    permissions:
      view: {name: View}
`
	oldCat := write("old", head+`      edit: {name: Edit}
roles:
  base: {name: Base, grants: [a.view]}
  clerk:
    name: Clerk
    grants:
      - a.view: {when: night}
      - a.edit
  night:
    name: Night
    grants:
      - a.view: {when: night}
`)
	newCat := write("new", head+`      edit: {name: Edit, implies: [view]}
roles:
  base: {name: Base, grants: [a.view]}
  clerk:
    name: Clerk
    grants:
      - a.view: {when: night}
      - a.edit
  night:
    name: Night
    extends: [base]
    grants:
      - a.view: {when: night}
`)
	got := render(t, Compare(compileDir(t, oldCat), compileDir(t, newCat)))
	for _, want := range []string{
		// a.edit (line 17) now implies a.view; line 16 is the night grant.
		"permcat.yaml:17:9: ROLE_GAINS_PERMISSION [ACCESS, safe]: clerk gains a.view (always; before only when night)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("want %q in:\n%s", want, got)
		}
	}
	// night now extends base: its own grant is conditional, so "always"
	// comes from base's grant.
	if !strings.Contains(got, "permcat.yaml:12:31: ROLE_GAINS_PERMISSION [ACCESS, safe]: night gains a.view (always; before only when night)") {
		t.Errorf("night's gain should be at base's grant:\n%s", got)
	}
	if strings.Contains(got, "permcat.yaml:16:9: ROLE_GAINS_PERMISSION [ACCESS, safe]: clerk") {
		t.Errorf("a gain of always is placed at the night-only grant:\n%s", got)
	}
}

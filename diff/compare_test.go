package diff

import (
	"testing"

	"github.com/permcat/permcat/schema"
)

func TestGainsAndLossesAreComputedPerConditionCombination(t *testing.T) {
	never := holding{}
	always := holding{always: true}
	when := func(keys ...string) holding { return holding{when: keys} }
	for _, c := range []struct {
		name       string
		old, new   holding
		gain, lose string
	}{
		{"a new unconditional grant", never, always, "always", ""},
		{"a removed unconditional grant", always, never, "", "always"},
		{"a new conditional grant", never, when("a"), "when a", ""},
		{"a conditional grant made unconditional", when("a"), always, "always; before only when a", ""},
		{"an unconditional grant made conditional", always, when("a"), "", "unless a"},
		{"a grant moved from one condition to another", when("a"), when("b"), "when b", "when a"},
		{"a grant that also holds under a second condition", when("a"), when("a", "b"), "when b", ""},
		{"a grant that no longer holds under one of two conditions", when("a", "b"), when("b"), "", "when a"},
		{"the same conditions in another order", when("a", "b"), when("b", "a"), "", ""},
		{"unchanged", always, always, "", ""},
		{"never held", never, never, "", ""},
	} {
		if g := gained(c.old, c.new); g != c.gain {
			t.Errorf("%s: gained %q, want %q", c.name, g, c.gain)
		}
		if l := lost(c.old, c.new); l != c.lose {
			t.Errorf("%s: lost %q, want %q", c.name, l, c.lose)
		}
	}
}

func TestAMissingCatalogComparesAsEmpty(t *testing.T) {
	cat := compileDir(t, caseDir+"/no_changes/new")
	if fs := Compare(nil, nil); len(fs) != 0 {
		t.Errorf("nil vs nil: %v", fs)
	}
	added := Compare(nil, cat)
	if broken, _ := Breaking(added, Options{}); broken || len(added) == 0 {
		t.Errorf("a catalog compared with nothing is all safe additions, got:\n%s", render(t, added))
	}
	for _, f := range added {
		if f.Category != Safe {
			t.Errorf("adding a whole catalog reported %s", f)
		}
	}
	removed := Compare(cat, nil)
	if broken, _ := Breaking(removed, Options{}); !broken {
		t.Errorf("deleting a whole catalog must break, got:\n%s", render(t, removed))
	}
}

// Compare runs on whatever a caller built; half-wired catalogs must not
// panic it.
func TestHalfBuiltCatalogsDoNotPanic(t *testing.T) {
	cond := &schema.Condition{Key: "c"}
	g := &schema.Group{Key: "g"}
	p := &schema.Permission{Key: "g.p", Segment: "p", Group: g, ID: 1, Requires: []*schema.Permission{nil}, Implies: []*schema.Permission{nil}}
	orphan := &schema.Permission{Key: "x.y", Segment: "y", ID: 2}
	old := &schema.Catalog{
		Groups:      []*schema.Group{nil, g},
		Permissions: []*schema.Permission{nil, p, orphan},
		Conditions:  []*schema.Condition{nil, cond},
		Roles: []*schema.Role{nil, {Key: "r", Landing: g, Effective: []*schema.EffectiveGrant{
			nil, {Permission: nil, Always: true}, {Permission: p, When: []*schema.Condition{nil, cond}},
		}}},
		Profiles: []*schema.Profile{nil, {Key: "f", Requires: []*schema.Permission{nil, p}}},
		Scopes:   []*schema.Scope{nil},
	}
	renamed := &schema.Permission{Key: "h.q", Segment: "q", ID: 1}
	new := &schema.Catalog{
		Permissions: []*schema.Permission{renamed, {Key: "z.y", Segment: "y", ID: 3}},
		Roles:       []*schema.Role{{Key: "r", Effective: []*schema.EffectiveGrant{{Permission: renamed, Always: true}}}},
		Profiles:    []*schema.Profile{{Key: "f"}},
		Lock:        &schema.Lock{Entries: []schema.LockEntry{{ID: 1, Key: "h.q", Former: []string{"g.p"}}}},
	}
	for _, pair := range [][2]*schema.Catalog{{old, new}, {new, old}, {old, old}, {old, &schema.Catalog{}}} {
		fs := Compare(pair[0], pair[1])
		for _, format := range Formats {
			var b []byte
			w := &sliceWriter{&b}
			if err := Write(w, format, fs, Options{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The lock records g.p under ID 1, so h.q is g.p renamed, not a new
	// permission; and the role's access follows the identity: it held g.p
	// when c, and now holds it always.
	fs := Compare(old, new)
	var gains []string
	for _, f := range fs {
		if f.Rule == RoleGainsPermission {
			gains = append(gains, f.Message)
		}
	}
	if rulesOf(fs)[PermissionRenamedWithoutFormerly] != 1 || len(gains) != 1 || gains[0] != "r gains h.q (always; before only when c)" {
		t.Errorf("matching by lock ID failed:\n%s", render(t, fs))
	}
}

type sliceWriter struct{ b *[]byte }

func (w *sliceWriter) Write(p []byte) (int, error) {
	*w.b = append(*w.b, p...)
	return len(p), nil
}

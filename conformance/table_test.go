package conformance

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/permcat/permcat/schema"
)

func grantCase(t *testing.T, tb *Table, role string, on ...string) GrantCase {
	t.Helper()
	for _, g := range tb.Grants {
		if g.Role == role && slices.Equal(g.On, append([]string{}, on...)) {
			return g
		}
	}
	t.Fatalf("no grant case for role %s with %q", role, on)
	return GrantCase{}
}

func TestAConditionalGrantHoldsOnlyWhenOneOfItsConditionsIsOn(t *testing.T) {
	tb := TableOf(Awkward())
	for _, tc := range []struct {
		on   []string
		want []string
	}{
		{nil, []string{"constructor.view"}},
		{[]string{"night_shift"}, []string{"constructor.view", "constructor.to_string", "value_of.has_own_property"}},
		// Manage is granted on weekends and implies to_string, so to_string
		// holds on weekends too.
		{[]string{"weekend"}, []string{"constructor.view", "constructor.to_string", "constructor.manage", "value_of.has_own_property"}},
		{[]string{"night_shift", "weekend"}, []string{"constructor.view", "constructor.to_string", "constructor.manage", "value_of.has_own_property"}},
	} {
		if got := grantCase(t, tb, "to_string", tc.on...).Granted; !slices.Equal(got, tc.want) {
			t.Errorf("role to_string with %q holds %q, want %q", tc.on, got, tc.want)
		}
	}
	if got := grantCase(t, tb, "nobody").Granted; len(got) != 0 {
		t.Errorf("role nobody holds %q", got)
	}
}

func TestRolesWithoutConditionsAreTriedWithNoneAndWithAllOn(t *testing.T) {
	tb := TableOf(Awkward())
	var cases []GrantCase
	for _, g := range tb.Grants {
		if g.Role == "constructor" {
			cases = append(cases, g)
		}
	}
	if len(cases) != 2 || len(cases[0].On) != 0 || len(cases[1].On) != 2 {
		t.Errorf("role constructor (no conditional grant) has cases %+v, want none on and all on", cases)
	}
}

func TestFormerKeysParseToTheirPermissionAndNearMissesToNothing(t *testing.T) {
	tb := TableOf(Awkward())
	want := map[string]string{
		"constructor.view":      "constructor.view",
		"constructor.edit":      "constructor.to_string",
		"old.constructor":       "constructor.to_string",
		"constructor.sync":      "constructor.proto.sync",
		"constructor.viex":      "",
		"constructor.vie":       "",
		"constructor.viewx":     "",
		"CONSTRUCTOR.VIEW":      "",
		"constructor":           "",
		"toString":              "",
		"":                      "",
		"constructor.proto.syn": "",
	}
	got := map[string]string{}
	for _, c := range tb.Parse {
		got[c.Input] = c.Want
	}
	for in, w := range want {
		g, ok := got[in]
		if !ok {
			t.Errorf("no parse case for %q", in)
		} else if g != w {
			t.Errorf("parse case %q wants %q, want %q", in, g, w)
		}
	}
	roles := map[string]string{}
	for _, c := range tb.ParseRole {
		roles[c.Input] = c.Want
	}
	if roles["constructor"] != "constructor" || roles["toString"] != "" || roles["to_string"] != "to_string" {
		t.Errorf("role parse cases: constructor→%q toString→%q to_string→%q", roles["constructor"], roles["toString"], roles["to_string"])
	}
}

func TestAProfileIsMetByWhatImpliesItsRequirements(t *testing.T) {
	tb := TableOf(Awkward())
	found := false
	for _, m := range tb.Missing {
		if m.Profile == "constructor" && slices.Equal(m.Held, []string{"constructor.manage"}) {
			found = true
			if !slices.Equal(m.Missing, []string{"constructor.proto.sync"}) {
				t.Errorf("holding only manage, profile constructor misses %q, want only sync", m.Missing)
			}
		}
		if m.Name == "profile constructor, holding nothing" && !slices.Equal(m.Missing, []string{"constructor.view", "constructor.to_string", "constructor.proto.sync"}) {
			t.Errorf("holding nothing misses %q", m.Missing)
		}
	}
	if !found {
		t.Error("no case holds only constructor.manage")
	}
}

// A role gated by more conditions than maxExhaustive is tried with all off,
// all on, each alone and each missing, instead of every subset.
func TestManyConditionsAreSampledNotEnumerated(t *testing.T) {
	for _, n := range []int{maxExhaustive, maxExhaustive + 2} {
		b := newBuilder("many", "", "")
		g := b.group(nil, "area", "Area")
		r := b.role("user", "User")
		for i := 0; i < n; i++ {
			c := b.condition(fmt.Sprintf("c%d", i), "")
			b.grant(r, b.permission(g, fmt.Sprintf("p%d", i), "P", "", uint32(i+1)), c)
		}
		tb := TableOf(b.finish())
		want := 1 << n
		if n > maxExhaustive {
			want = 2 + 2*n
		}
		if len(tb.Grants) != want {
			t.Errorf("%d conditions: %d grant cases, want %d", n, len(tb.Grants), want)
		}
		for _, gc := range tb.Grants {
			if len(gc.Granted) != len(gc.On) {
				t.Errorf("%d conditions, %s: holds %q", n, gc.Name, gc.Granted)
			}
		}
	}
}

func TestRandomCatalogsAreReproducibleAndConsistent(t *testing.T) {
	for seed := int64(1); seed <= 30; seed++ {
		a, _ := json.Marshal(TableOf(Random(seed)))
		b, _ := json.Marshal(TableOf(Random(seed)))
		if string(a) != string(b) {
			t.Fatalf("seed %d: two tables differ", seed)
		}
		cat := Random(seed)
		ids := map[uint32]bool{}
		for _, p := range cat.Permissions {
			if p.ID == 0 || ids[p.ID] || p.ID > cat.MaxID {
				t.Errorf("seed %d: %s has ID %d (MaxID %d), zero, repeated or too large", seed, p.Key, p.ID, cat.MaxID)
			}
			ids[p.ID] = true
		}
		// Effective grants are closed under implies, under the same conditions.
		for _, r := range cat.Roles {
			for _, g := range r.Effective {
				for _, q := range g.Permission.ImpliesClosure {
					e := r.EffectiveOf(q)
					if e == nil || (!e.Always && (g.Always || !subset(g.When, e.When))) {
						t.Errorf("seed %d: role %s holds %s but not what it implies, %s, as often", seed, r.Key, g.Permission.Key, q.Key)
					}
				}
			}
		}
	}
}

func subset(a, b []*schema.Condition) bool {
	for _, c := range a {
		if !slices.Contains(b, c) {
			return false
		}
	}
	return true
}

func TestEmptyListsAreJSONListsNotNull(t *testing.T) {
	data, err := json.Marshal(TableOf(&schema.Catalog{Name: "empty"}))
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	for k, v := range raw {
		if string(v) == "null" {
			t.Errorf("%s is null", k)
		}
	}
}

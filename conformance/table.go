// Package conformance turns a resolved catalog into a decision table that
// every generated target must answer the same way: which permissions each
// role holds under each combination of conditions, what parses to what
// (former keys and near misses included), what each profile misses and what
// each permission's metadata is. The table is computed from the resolved
// model only, so it states what the catalog means; tests feed it, as JSON,
// to runners written against the generated Go package and the generated
// TypeScript module, and a mismatch names the case.
//
// The package also builds catalogs for those tests: Awkward, whose strings
// and keys are chosen to break careless escaping and lookups, and Random.
package conformance

import (
	"fmt"
	"strings"

	"github.com/permcat/permcat/schema"
)

// Table is the decision table of one catalog. Keys are catalog keys; lists
// of permissions are in catalog order.
type Table struct {
	Catalog     string      `json:"catalog"`
	Conditions  []Condition `json:"conditions"`
	Permissions []string    `json:"permissions"`
	Roles       []string    `json:"roles"`
	Profiles    []string    `json:"profiles"`
	Grants      []GrantCase `json:"grants"`
	Parse       []ParseCase `json:"parse"`
	ParseRole   []ParseCase `json:"parseRole"`
	Missing     []MissCase  `json:"missing"`
	Info        []InfoCase  `json:"info"`
	RoleInfo    []RoleCase  `json:"roleInfo"`
}

// Condition names a condition in each target: Go is the field of the Go
// Conditions struct, TS the property of the TypeScript interface.
type Condition struct {
	Key string `json:"key"`
	Go  string `json:"go"`
	TS  string `json:"ts"`
}

// GrantCase says what Role holds when exactly the conditions in On are true:
// every permission in Granted and none other.
type GrantCase struct {
	Name    string   `json:"name"`
	Role    string   `json:"role"`
	On      []string `json:"on"`
	Granted []string `json:"granted"`
}

// ParseCase says what Input parses to: the canonical key Want, or nothing
// when Want is empty.
type ParseCase struct {
	Name  string `json:"name"`
	Input string `json:"input"`
	Want  string `json:"want"`
}

// MissCase says which of Profile's permissions someone holding Held lacks,
// after closing Held under implies.
type MissCase struct {
	Name    string   `json:"name"`
	Profile string   `json:"profile"`
	Held    []string `json:"held"`
	Missing []string `json:"missing"`
}

// InfoCase is what the generated code must say about one permission.
// Deprecated is the reason ("" when not deprecated); Scope is a scope key.
type InfoCase struct {
	Key         string   `json:"key"`
	ID          uint32   `json:"id"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Group       string   `json:"group"`
	Implies     []string `json:"implies"`
	Requires    []string `json:"requires"`
	Scope       string   `json:"scope"`
	Deprecated  string   `json:"deprecated"`
	Formerly    []string `json:"formerly"`
}

// RoleCase is what the generated code must say about one role; Landing is
// a group key, "" when the role has none.
type RoleCase struct {
	Key         string `json:"key"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Landing     string `json:"landing"`
}

// maxExhaustive is how many relevant conditions a role may have before the
// table stops trying every subset (2^6 = 64 cases per role) and tries only
// all off, all on, each one alone and each one missing.
const maxExhaustive = 6

// TableOf builds the decision table of cat.
func TableOf(cat *schema.Catalog) *Table {
	// Empty lists stay lists in JSON, so runners need no null checks.
	t := &Table{
		Catalog:     cat.Name,
		Conditions:  []Condition{},
		Permissions: []string{},
		Roles:       []string{},
		Profiles:    []string{},
		Grants:      []GrantCase{},
		Info:        []InfoCase{},
		RoleInfo:    []RoleCase{},
	}
	for _, c := range cat.Conditions {
		t.Conditions = append(t.Conditions, Condition{Key: c.Key, Go: c.GoName, TS: c.TSName})
	}
	for _, p := range cat.Permissions {
		t.Permissions = append(t.Permissions, p.Key)
	}
	for _, r := range cat.Roles {
		t.Roles = append(t.Roles, r.Key)
	}
	for _, p := range cat.Profiles {
		t.Profiles = append(t.Profiles, p.Key)
	}
	for _, r := range cat.Roles {
		for _, on := range combinations(r.RelevantConditions(), cat.Conditions) {
			t.Grants = append(t.Grants, GrantCase{
				Name:    fmt.Sprintf("role %s with %s", r.Key, describe(on)),
				Role:    r.Key,
				On:      conditionKeys(on),
				Granted: permissionKeys(r.PermissionsUnder(member(on))),
			})
		}
	}
	t.Parse = parseCases(permissionLookup(cat))
	roles := map[string]string{}
	var roleKeys []string
	for _, r := range cat.Roles {
		roles[r.Key] = r.Key
		roleKeys = append(roleKeys, r.Key)
	}
	t.ParseRole = parseCases(lookup{keys: roleKeys, to: roles})
	t.Missing = missCases(cat)
	for _, p := range cat.Permissions {
		ic := InfoCase{
			Key:         p.Key,
			ID:          p.ID,
			Name:        p.Name,
			Description: p.Description,
			Implies:     permissionKeys(p.Implies),
			Requires:    permissionKeys(p.Requires),
			Deprecated:  p.Deprecated,
			Formerly:    append([]string{}, p.Formerly...),
		}
		if p.Group != nil {
			ic.Group = p.Group.Key
		}
		if p.Scope != nil {
			ic.Scope = p.Scope.Key
		}
		t.Info = append(t.Info, ic)
	}
	for _, r := range cat.Roles {
		rc := RoleCase{Key: r.Key, Name: r.Name, Description: r.Description}
		if r.Landing != nil {
			rc.Landing = r.Landing.Key
		}
		t.RoleInfo = append(t.RoleInfo, rc)
	}
	return t
}

// combinations lists the sets of conditions to try for a role whose grants
// depend on relevant. Conditions outside relevant must not matter, so one
// more case turns every condition of the catalog on.
func combinations(relevant, all []*schema.Condition) [][]*schema.Condition {
	var out [][]*schema.Condition
	seen := map[string]bool{}
	add := func(on []*schema.Condition) {
		k := strings.Join(conditionKeys(on), ",")
		if !seen[k] {
			seen[k] = true
			out = append(out, on)
		}
	}
	n := len(relevant)
	if n <= maxExhaustive {
		for mask := 0; mask < 1<<n; mask++ {
			var on []*schema.Condition
			for i, c := range relevant {
				if mask&(1<<i) != 0 {
					on = append(on, c)
				}
			}
			add(on)
		}
	} else {
		add(nil)
		add(relevant)
		for i := range relevant {
			add([]*schema.Condition{relevant[i]})
			but := append(append([]*schema.Condition{}, relevant[:i]...), relevant[i+1:]...)
			add(but)
		}
	}
	add(all)
	return out
}

func member(on []*schema.Condition) func(*schema.Condition) bool {
	return func(c *schema.Condition) bool {
		for _, o := range on {
			if o == c {
				return true
			}
		}
		return false
	}
}

func describe(on []*schema.Condition) string {
	if len(on) == 0 {
		return "no condition on"
	}
	return "on: " + strings.Join(conditionKeys(on), ", ")
}

func conditionKeys(cs []*schema.Condition) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.Key)
	}
	return out
}

func permissionKeys(ps []*schema.Permission) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.Key)
	}
	return out
}

// lookup is what a parse function should answer: keys are the inputs that
// succeed (canonical first, then former), to maps each to its canonical key.
type lookup struct {
	keys []string
	to   map[string]string
}

// permissionLookup resolves keys the way the generators do: a canonical key
// always wins, then the first permission (in catalog order) that claims a
// former key.
func permissionLookup(cat *schema.Catalog) lookup {
	l := lookup{to: map[string]string{}}
	for _, p := range cat.Permissions {
		l.to[p.Key] = p.Key
		l.keys = append(l.keys, p.Key)
	}
	for _, p := range cat.Permissions {
		for _, f := range p.Formerly {
			if _, taken := l.to[f]; !taken {
				l.to[f] = p.Key
				l.keys = append(l.keys, f)
			}
		}
	}
	return l
}

// commonMisses are inputs no catalog key can equal (a key segment starts
// with a lowercase letter), or that a lookup through a plain object would
// wrongly find.
var commonMisses = []string{
	"", ".", "*", "**", " ", "constructor", "toString", "__proto__",
	"hasOwnProperty", "valueOf", "prototype", "é", "\x00",
}

func parseCases(l lookup) []ParseCase {
	var out []ParseCase
	seen := map[string]bool{}
	add := func(name, input string) {
		if seen[input] {
			return
		}
		seen[input] = true
		out = append(out, ParseCase{Name: name, Input: input, Want: l.to[input]})
	}
	for _, k := range l.keys {
		if l.to[k] == k {
			add(fmt.Sprintf("key %q", k), k)
		} else {
			add(fmt.Sprintf("former key %q", k), k)
		}
	}
	for _, k := range l.keys {
		if k == "" {
			continue
		}
		last := len(k) - 1
		add(fmt.Sprintf("%q with its last byte changed", k), k[:last]+string(nextByte(k[last])))
		add(fmt.Sprintf("%q with its first byte changed", k), string(nextByte(k[0]))+k[1:])
		add(fmt.Sprintf("%q without its last byte", k), k[:last])
		add(fmt.Sprintf("%q with a suffix", k), k+"x")
		add(fmt.Sprintf("%q with a trailing dot", k), k+".")
		add(fmt.Sprintf("%q in upper case", k), strings.ToUpper(k))
		add(fmt.Sprintf("%q with a leading space", k), " "+k)
	}
	for _, m := range commonMisses {
		add(fmt.Sprintf("%q", m), m)
	}
	return out
}

// nextByte returns a different byte that keeps the input printable ASCII.
func nextByte(b byte) byte {
	if b >= 'z' || b < '!' {
		return 'a'
	}
	return b + 1
}

func missCases(cat *schema.Catalog) []MissCase {
	out := []MissCase{}
	none := func(*schema.Condition) bool { return false }
	every := func(*schema.Condition) bool { return true }
	for _, pr := range cat.Profiles {
		add := func(name string, held []*schema.Permission) {
			out = append(out, MissCase{
				Name:    fmt.Sprintf("profile %s, holding %s", pr.Key, name),
				Profile: pr.Key,
				Held:    permissionKeys(held),
				Missing: permissionKeys(missing(pr, held)),
			})
		}
		add("nothing", nil)
		add("everything", cat.Permissions)
		add("exactly what it requires", pr.Requires)
		for _, r := range cat.Roles {
			add(fmt.Sprintf("what role %s always holds", r.Key), r.PermissionsUnder(none))
			if len(r.RelevantConditions()) > 0 {
				add(fmt.Sprintf("what role %s holds with every condition on", r.Key), r.PermissionsUnder(every))
			}
		}
		// Holding only what implies the requirements must satisfy them.
		var implying []*schema.Permission
		for _, p := range cat.Permissions {
			if len(p.ImpliesClosure) > 0 {
				implying = append(implying, p)
			}
		}
		if len(implying) > 0 {
			add("only permissions that imply others", implying)
		}
	}
	return out
}

// missing is what pr requires that held, closed under implies, lacks.
func missing(pr *schema.Profile, held []*schema.Permission) []*schema.Permission {
	have := map[*schema.Permission]bool{}
	for _, p := range held {
		have[p] = true
		for _, q := range p.ImpliesClosure {
			have[q] = true
		}
	}
	var out []*schema.Permission
	for _, p := range pr.Requires {
		if !have[p] {
			out = append(out, p)
		}
	}
	return out
}

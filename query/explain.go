package query

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/permcat/permcat/schema"
)

// Explanation is every permission a role holds under a set of conditions,
// and why.
type Explanation struct {
	Role    string   `json:"role"`
	Name    string   `json:"name"`
	Extends []string `json:"extends"`
	Except  []string `json:"except"`
	// Landing is the key of the role's landing group; empty when none.
	Landing string `json:"landing,omitempty"`
	// ConditionsOn are the conditions taken as true, in catalog order.
	ConditionsOn []string `json:"conditions_on"`
	// Held is what the role holds with exactly ConditionsOn true, in
	// authored order.
	Held []Holding `json:"held"`
	// HeldOnlyWhen is what the role would hold only if other conditions
	// were on.
	HeldOnlyWhen []Holding `json:"held_only_when"`
}

// Explain lists what the role holds when the conditions in when are on (and
// every other condition is off), with the grant behind each permission:
// its pattern and place, the extended role it came from, the permission
// that implies it. Permissions the role holds only under other conditions
// are listed apart. An unknown role or condition is an error that suggests
// the closest key.
func Explain(cat *schema.Catalog, roleKey string, when []string) (*Explanation, error) {
	if cat == nil {
		return nil, fmt.Errorf("no catalog")
	}
	role, err := findRole(cat, roleKey)
	if err != nil {
		return nil, err
	}
	on := map[*schema.Condition]bool{}
	for _, k := range when {
		c := cat.ConditionByKey(k)
		if c == nil {
			var keys []string
			for _, c := range cat.Conditions {
				keys = append(keys, c.Key)
			}
			if len(keys) == 0 {
				return nil, fmt.Errorf("unknown condition %q: the catalog declares no conditions", k)
			}
			return nil, fmt.Errorf("unknown condition %q%s", k, didYouMean(k, keys))
		}
		on[c] = true
	}
	e := &Explanation{
		Role:         role.Key,
		Name:         role.Name,
		Extends:      []string{},
		Except:       []string{},
		ConditionsOn: []string{},
		Held:         []Holding{},
		HeldOnlyWhen: []Holding{},
	}
	for _, x := range role.Extends {
		e.Extends = append(e.Extends, x.Key)
	}
	for _, p := range role.Except {
		e.Except = append(e.Except, p.Text)
	}
	if role.Landing != nil {
		e.Landing = role.Landing.Key
	}
	for _, c := range cat.Conditions {
		if on[c] {
			e.ConditionsOn = append(e.ConditionsOn, c.Key)
		}
	}
	for _, g := range role.Effective {
		active := func(c *schema.Condition) bool { return on[c] }
		if g.HoldsUnder(active) {
			e.Held = append(e.Held, holdingOf(role, g, active))
		} else {
			e.HeldOnlyWhen = append(e.HeldOnlyWhen, holdingOf(role, g, nil))
		}
	}
	return e, nil
}

func findRole(cat *schema.Catalog, key string) (*schema.Role, error) {
	if r := cat.RoleByKey(key); r != nil {
		return r, nil
	}
	var keys []string
	for _, r := range cat.Roles {
		keys = append(keys, r.Key)
		// People type what they see in the product ("Accounts Receivable").
		if strings.EqualFold(r.Name, key) {
			return nil, fmt.Errorf("unknown role %q (did you mean %q, the key of role %q?)", key, r.Key, r.Name)
		}
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("unknown role %q: the catalog declares no roles", key)
	}
	return nil, fmt.Errorf("unknown role %q%s; roles are %s", key, didYouMean(key, keys), strings.Join(keys, ", "))
}

// Text writes the explanation for a terminal.
func (e *Explanation) Text(w io.Writer) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "Role %s (%s)\n", e.Role, oneLine(e.Name))
	if len(e.Extends) > 0 {
		fmt.Fprintf(ew, "Extends: %s\n", strings.Join(e.Extends, ", "))
	}
	if len(e.Except) > 0 {
		fmt.Fprintf(ew, "Except: %s\n", strings.Join(e.Except, ", "))
	}
	if e.Landing != "" {
		fmt.Fprintf(ew, "Landing: %s\n", e.Landing)
	}
	on := "none (every condition off)"
	if len(e.ConditionsOn) > 0 {
		on = strings.Join(e.ConditionsOn, ", ")
	}
	fmt.Fprintf(ew, "Conditions on: %s\n", on)
	fmt.Fprintf(ew, "\nHolds %s:\n", count(len(e.Held), "permission"))
	for _, h := range e.Held {
		writeHolding(ew, "  ", h.Key, h)
	}
	if len(e.HeldOnlyWhen) > 0 {
		fmt.Fprintf(ew, "\nHeld only when other conditions are on (%d):\n", len(e.HeldOnlyWhen))
		for _, h := range e.HeldOnlyWhen {
			writeHolding(ew, "  ", h.Key, h)
		}
	}
	return ew.err
}

// JSON writes the explanation as indented JSON.
func (e *Explanation) JSON(w io.Writer) error { return writeJSON(w, e) }

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// errWriter keeps the first write error so Text methods can print freely
// and report it once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

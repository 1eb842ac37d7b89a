package schema

import (
	"fmt"
	"slices"
)

// A field indented one level too deep or too shallow lands where a group
// or permission key goes: `permissions:` under `groups:` makes a group
// named permissions, `implies: [view]` beside the permissions a
// permission named implies. Reported as is, such a slip gives a handful
// of findings about a phantom group or permission; these functions
// recognise it, report it once at the key, and keep the phantom (and the
// schema's findings inside it) out of the way.

// groupFieldNames are the fields of a group (catalog.schema.json,
// $defs.group).
var groupFieldNames = append(slices.Clone(groupFields), "permissions", "groups")

// isGroupField reports whether s is the name of a group field.
func isGroupField(s string) bool { return slices.Contains(groupFieldNames, s) }

// isPermField reports whether s is the name of a permission field.
func isPermField(s string) bool { return slices.Contains(permFields[:], s) }

// groupFieldSlip reports whether the group key k with value v is a
// misplaced group field rather than a group. A group may well be named
// like a field (settings.permissions, stores.location), so only a value
// no group would have counts: anything but a non-empty mapping, or a
// mapping without `name` that holds a key no group has (`view:` under
// a misplaced `permissions:`, a group's key under a misplaced `groups:`).
func groupFieldSlip(k, v *Value) bool {
	if !isGroupField(k.Str) {
		return false
	}
	if v.Kind != KindMap {
		return true
	}
	if len(v.Keys) == 0 {
		return !v.Dropped
	}
	if nv, _ := v.Get("name"); nv != nil {
		return false
	}
	for _, fk := range v.Keys {
		if !isGroupField(fk.Str) {
			return true
		}
	}
	return false
}

// permFieldSlip reports whether the permission key k with value v is a
// misplaced permission field. Every permission is a mapping and no
// permission field is, so a field name with any other value is a slip;
// one with a mapping is taken for the permission it says it is.
func permFieldSlip(k, v *Value) bool {
	return isPermField(k.Str) && v.Kind != KindMap
}

// quietWithin keeps the schema's findings inside v out of the report:
// they are about a value that is not what it stands for.
func (r *resolver) quietWithin(v *Value) {
	if r.quiet == nil {
		r.quiet = map[Pos]bool{}
	}
	var walk func(v *Value)
	walk = func(v *Value) {
		r.quiet[v.Pos] = true
		for _, k := range v.Keys {
			r.quiet[k.Pos] = true
		}
		for _, x := range v.Vals {
			walk(x)
		}
		for _, x := range v.List {
			walk(x)
		}
	}
	walk(v)
}

// groupFieldAsKey reports group key k (value v) of parent (nil at the
// top) as a misplaced field.
func (r *resolver) groupFieldAsKey(k, v *Value, parent *rawGroup) {
	if parent == nil {
		r.errf(k.Pos, "group-key-is-a-field", "group key %q is the name of a group field: a group's fields go under its key, as in `groups: {orders: {%s: …}}`", k.Str, k.Str)
	} else {
		r.errf(k.Pos, "group-key-is-a-field", "group key %q is the name of a group field: is it indented one level too deep? A field of group %s goes beside its `groups:`, not under it", k.Str, parent.key)
	}
	r.quietWithin(v)
}

// permFieldAsKey reports permission key k (value v) of a `permissions`
// mapping m as a misplaced field; owner is the group's key, or "" in
// preset.
func (r *resolver) permFieldAsKey(k, v, m *Value, owner, preset string) {
	var prev string // the permission it most likely belongs to
	for i, pk := range m.Keys {
		if pk == k {
			break
		}
		if !isPermField(pk.Str) || m.Vals[i].Kind == KindMap {
			if owner != "" {
				prev = owner + "." + pk.Str
			} else {
				prev = fmt.Sprintf("%s of preset %q", pk.Str, preset)
			}
		}
	}
	msg := fmt.Sprintf("permission key %q is the name of a permission field", k.Str)
	switch {
	case owner != "" && isGroupField(k.Str) && prev != "":
		msg += fmt.Sprintf(": does it belong to permission %s (indented one level deeper) or to group %s (one level less)?", prev, owner)
	case owner != "" && isGroupField(k.Str):
		msg += fmt.Sprintf(": does it belong to group %s, indented one level less? A permission's fields go under its key, as in `view: {%s: …}`", owner, k.Str)
	case prev != "":
		msg += fmt.Sprintf(": does it belong to permission %s, indented one level deeper?", prev)
	default:
		msg += fmt.Sprintf(": a permission's fields go under its key, as in `view: {%s: …}`", k.Str)
	}
	r.errf(k.Pos, "permission-key-is-a-field", "%s", msg)
	r.quietWithin(v)
}

// fieldHint is appended to a finding about group or permission seg that
// is named like a field but looks enough like one of its kind to be
// taken for it.
func fieldHint(seg string, isField func(string) bool, what string) string {
	if !isField(seg) {
		return ""
	}
	return fmt.Sprintf(" (%q is also the name of a %s field: if it is meant as one, it is indented at the wrong level)", seg, what)
}

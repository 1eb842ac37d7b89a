package schema

import (
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

type resolver struct {
	errs Errors
	cat  *Catalog

	// permSlab hands out Permissions a chunk at a time: one allocation per
	// thousand permissions rather than one each.
	permSlab []Permission

	permBy    map[string]*Permission
	groupBy   map[string]*Group
	scopeBy   map[string]*Scope
	condBy    map[string]*Condition
	roleBy    map[string]*Role
	presetBy  map[string]rawDef
	formerBy  map[string]*Permission // former key → current permission
	formerPos map[string]Pos         // former key → where it was claimed

	// Where each former key that a group's `formerly` item gave came
	// from: group keys, the group's own included, and permission keys a
	// move made (see formerly and keyLengths).
	groupFormerSrc map[string]formerSrc
	movedFormerSrc map[string]formerSrc

	permSegs   [][]string // split keys, by permission index
	usedScope  map[*Scope]bool
	usedCond   map[*Condition]bool
	usedPreset map[string]bool
	presetVars map[string]map[string]bool // preset → placeholders its strings use

	// raw references to resolve once every permission exists
	pendingRefs []pendingRef
	refPos      map[refKey]Pos
	groupFormer []groupFormerly
	fileRank    map[string]int // root 0, fragments in lexical order

	// A part resolves some top-level groups beside other parts (see
	// groups): it fills its own Catalog and leaves the maps keyed by
	// permission, group and former key to the merge, which sees the
	// parts in authored order.
	part    bool
	formers []former

	// setNames holds where go_name or ts_name set a name, by the name's
	// field, so that a collision is reported at the name that caused it.
	setNames map[*string]Pos

	extendsAt map[[2]*Role]Pos // role, base → its `extends` item

	// scopeConflict holds the grants bound to another scope than a
	// permission they match is set per (reported as scope-conflict):
	// what a role lacks in scope through them is not reported again.
	scopeConflict map[*Grant]bool

	// quiet holds the places of a misplaced field's value (see
	// fieldslip.go): the schema's findings there are not reported.
	quiet map[Pos]bool

	// candidates indexes the keys "did you mean" hints choose from, by
	// kind; suggestWork is what the hints have spent (see hintKey).
	candidates  map[string]*candidateSet
	suggestWork int

	// cyclic holds what the implies cycle of each permission on one
	// reaches, for its closure, worked out when asked for (see closures).
	cyclic map[*Permission]*cyclicReach
	// scopedBefore[i] counts the permissions with a scope of their own
	// among the first i.
	scopedBefore []int32
}

type former struct {
	at *Value
	p  *Permission
}

// formerSrc is the `formerly` item a former key comes from, and the
// group that lists it. moved is false for a group's own former key.
type formerSrc struct {
	pos   Pos
	from  *Group
	item  string
	moved bool
}

type groupFormerly struct {
	g *Group
	v *Value
}

type pendingRef struct {
	p        *Permission
	requires bool
	item     *Value
}

func (r *resolver) errf(pos Pos, rule, format string, args ...any) {
	r.errs = append(r.errs, Error{Pos: pos, Rule: rule, Msg: fmt.Sprintf(format, args...)})
}

func (r *resolver) warnf(pos Pos, rule, format string, args ...any) {
	r.errs = append(r.errs, Error{Pos: pos, Rule: rule, Msg: fmt.Sprintf(format, args...), Severity: SeverityWarning})
}

// resolve builds the model from parsed files and the lock on disk. The
// lock is needed to assign IDs, at the end, and earlier only when a group
// has `formerly` (the lock says which moved keys existed): lock returns
// it, waiting for it to be read if need be, so that reading it overlaps
// with resolving.
func resolve(files []*file, lock func() *Lock) (*Catalog, Errors, map[Pos]bool) {
	r := &resolver{
		cat:        &Catalog{},
		permBy:     map[string]*Permission{},
		groupBy:    map[string]*Group{},
		scopeBy:    map[string]*Scope{},
		condBy:     map[string]*Condition{},
		roleBy:     map[string]*Role{},
		presetBy:   map[string]rawDef{},
		formerBy:   map[string]*Permission{},
		formerPos:  map[string]Pos{},
		usedScope:  map[*Scope]bool{},
		usedCond:   map[*Condition]bool{},
		usedPreset: map[string]bool{},
		refPos:     map[refKey]Pos{},
	}
	r.fileRank = map[string]int{}
	for i, f := range files {
		r.cat.Files = append(r.cat.Files, f.name)
		r.fileRank[f.name] = i
	}
	if len(files) > 0 {
		r.cat.Root = files[0].name
	}
	c := r.collect(files)
	// Sized up front: growing maps of 100,000 entries rehashes them a
	// dozen times.
	perms := 0
	for _, g := range c.groupBy {
		perms += len(g.perms)
	}
	r.permBy = make(map[string]*Permission, perms)
	r.groupBy = make(map[string]*Group, len(c.groupBy))
	r.header(c)
	r.scopesAndConditions(c)
	for _, d := range c.presets {
		r.presetBy[d.key] = d
		if pp, _ := d.v.Get("permissions"); pp != nil && pp.Kind == KindMap {
			for i, k := range pp.Keys {
				if permFieldSlip(k, pp.Vals[i]) {
					r.permFieldAsKey(k, pp.Vals[i], pp, "", d.key)
				}
			}
		}
	}
	r.groups(c.groups)
	r.formerly(lock)
	r.references()
	r.cycles(false)
	r.cycles(true)
	r.closures()
	r.roles(c)
	r.profiles(c)
	r.keyLengths()
	// Identifier collisions only read names, which are final by now: they
	// are checked beside ID assignment, their findings kept in the same
	// place among the others.
	ids := &resolver{cat: r.cat, setNames: r.setNames}
	at := len(r.errs)
	done := make(chan struct{})
	go func() {
		defer close(done)
		ids.identifiers()
	}()
	oldLock := lock()
	r.cat.OldLock = oldLock
	r.assignIDs(oldLock)
	r.unused(c)
	<-done
	r.errs = slices.Insert(r.errs, at, ids.errs...)
	return r.cat, r.errs, r.quiet
}

func (r *resolver) header(c *collected) {
	root := c.rootFile
	if root == nil {
		return
	}
	pv, pk := root.Get("permcat")
	if pk == nil {
		r.errf(root.Pos, "root-required", "the root file needs `permcat: 1` (the format version)")
	} else if pv.Kind == KindInt && pv.Str != "1" {
		r.errf(pv.Pos, "format-version", "unsupported format version %s; this permcat reads `permcat: 1`", pv.Str)
	}
	cv, ck := root.Get("catalog")
	if ck == nil {
		r.errf(root.Pos, "root-required", "the root file needs `catalog: NAME` (a key segment such as my_app)")
	} else if s, ok := cv.String(); ok {
		r.cat.Name = s
	}
	if s, ok := mustStr(root.Get("title")); ok {
		r.cat.Title = s
	}
	if r.cat.Title == "" {
		r.cat.Title = r.cat.Name
	}
	if s, ok := mustStr(root.Get("description")); ok {
		r.cat.Description = s
	}
}

func mustStr(v, _ *Value) (string, bool) { return v.String() }

func fieldStr(m *Value, name string) string {
	v, _ := m.Get(name)
	s, _ := v.String()
	return s
}

func strItems(v *Value) []*Value {
	if v == nil || v.Kind != KindList {
		return nil
	}
	var out []*Value
	for _, x := range v.List {
		if x.Kind == KindString {
			out = append(out, x)
		}
	}
	return out
}

func (r *resolver) scopesAndConditions(c *collected) {
	for _, d := range c.scopes {
		if !validSegment(d.key) {
			continue
		}
		s := &Scope{Key: d.key, Description: fieldStr(d.v, "description"), Note: fieldStr(d.v, "note"), GoName: "Scope" + Ident(d.key), TSName: Ident(d.key), Index: len(r.cat.Scopes), Pos: d.k.Pos}
		r.cat.Scopes = append(r.cat.Scopes, s)
		r.scopeBy[d.key] = s
	}
	for _, d := range c.conditions {
		if !validSegment(d.key) {
			continue
		}
		x := &Condition{Key: d.key, Description: fieldStr(d.v, "description"), Note: fieldStr(d.v, "note"), GoName: Ident(d.key), TSName: lowerFirst(Ident(d.key)), Index: len(r.cat.Conditions), Pos: d.k.Pos}
		r.cat.Conditions = append(r.cat.Conditions, x)
		r.condBy[d.key] = x
	}
}

func (r *resolver) scopeRef(v *Value) *Scope {
	name, ok := v.String()
	if !ok {
		return nil
	}
	s := r.scopeBy[name]
	if s == nil {
		r.errf(v.Pos, "unknown-scope", "unknown scope %q%s; declare it under `scopes:`", name, hintKey(r, "scope", name, r.scopeBy))
		return nil
	}
	r.usedScope[s] = true
	return s
}

func keysOf[T any](m map[string]T) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// expand replaces placeholders in a preset string for one group. It reads
// the string left to right: `{{` and `}}` are literal braces, `{x}` is a
// placeholder, and any other brace is unbalanced (reported once, the
// string kept as written). "{{{name}}}" is a placeholder in literal braces.
// ok is false when it reported a finding.
func (r *resolver) expand(v *Value, g *Group, vars map[string]string, preset string) (out string, ok bool) {
	s, _ := v.String()
	if !strings.ContainsAny(s, "{}") {
		return s, true
	}
	ok = true
	var b strings.Builder
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case (c == '{' || c == '}') && i+1 < len(s) && s[i+1] == c:
			b.WriteByte(c)
			i += 2
		case c == '{':
			n := strings.IndexAny(s[i+1:], "{}")
			if n < 0 || s[i+1+n] != '}' {
				r.errf(v.Pos, "preset-placeholder", "unbalanced brace in preset %q string %q; placeholders are {name}, {key} or a vars key, and {{ or }} stand for a literal brace", preset, v.Str)
				return s, false
			}
			name := s[i+1 : i+1+n]
			if val, found := vars[name]; found {
				b.WriteString(val)
			} else if name == "name" {
				b.WriteString(g.Name)
			} else if name == "key" {
				b.WriteString(g.Key)
			} else {
				cands := append(keysOf(vars), "name", "key")
				r.errf(v.Pos, "preset-placeholder", "placeholder %s in preset %q is not defined for group %s%s; set it in the group's `vars`", printable("{"+name+"}"), preset, g.Key, suggest(name, cands))
				b.WriteString(s[i : i+n+2])
				ok = false
			}
			i += n + 2
		case c == '}':
			r.errf(v.Pos, "preset-placeholder", "unbalanced brace in preset %q string %q; placeholders are {name}, {key} or a vars key, and {{ or }} stand for a literal brace", preset, v.Str)
			return s, false
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), ok
}

// presetPlaceholders returns the placeholder names that the strings of a
// preset use, whichever group expands them.
func (r *resolver) presetPlaceholders(preset string) map[string]bool {
	if used, ok := r.presetVars[preset]; ok {
		return used
	}
	used := map[string]bool{}
	scan := func(s string) {
		for i := 0; i < len(s); {
			switch c := s[i]; {
			case (c == '{' || c == '}') && i+1 < len(s) && s[i+1] == c:
				i += 2
			case c == '{':
				n := strings.IndexAny(s[i+1:], "{}")
				if n < 0 || s[i+1+n] != '}' {
					return // unbalanced: reported by expand
				}
				used[s[i+1:i+1+n]] = true
				i += n + 2
			case c == '}':
				return
			default:
				i++
			}
		}
	}
	if d, ok := r.presetBy[preset]; ok {
		if pp, _ := d.v.Get("permissions"); pp != nil && pp.Kind == KindMap {
			for _, body := range pp.Vals {
				for _, fn := range permFields {
					fv, _ := body.Get(fn)
					if fv == nil {
						continue
					}
					if fv.Kind == KindString && presetStringFields[fn] {
						scan(fv.Str)
					}
					for _, it := range strItems(fv) {
						scan(it.Str)
					}
				}
			}
		}
	}
	if r.presetVars == nil {
		r.presetVars = map[string]map[string]bool{}
	}
	r.presetVars[preset] = used
	return used
}

// printable returns s as it is when every character shows as itself, and
// quoted otherwise, so that a finding never carries a newline, an escape
// sequence or a direction override to the terminal.
func printable(s string) string {
	for _, c := range s {
		if !unicode.IsPrint(c) {
			return strconv.Quote(s)
		}
	}
	return s
}

// fieldSet holds a permission's fields by their index in permFields.
type fieldSet [len(permFields)]*Value

func (f *fieldSet) get(name string) *Value {
	if i := slices.Index(permFields[:], name); i >= 0 {
		return f[i]
	}
	return nil
}

var permFields = [...]string{"name", "description", "note", "location", "aliases", "requires", "implies", "scope", "deprecated", "formerly", "tags", "go_name", "ts_name"}

// presetStringFields get placeholder expansion.
var presetStringFields = map[string]bool{"name": true, "description": true, "note": true, "location": true, "deprecated": true, "go_name": true, "ts_name": true}

// presetIdentFields are the preset string fields that name an identifier:
// one whose placeholders do not expand is left out, so that the group's
// permission keeps its derived identifier and the placeholder finding is
// the only one about the string.
var presetIdentFields = map[string]bool{"go_name": true, "ts_name": true}

// parallelGroupsMin is how many permissions a catalog needs before its
// top-level groups are resolved side by side; tests lower it to run both
// paths over the same catalogs.
var parallelGroupsMin = 4096

// groups resolves every group and its permissions. On a large catalog
// the top-level groups are cut into runs of about equal size, each run is
// resolved on its own, and the runs are merged in authored order: IDs,
// indexes, maps and the first claim on each former key come out as they
// would from one walk, and errors are sorted later.
func (r *resolver) groups(top []*rawGroup) {
	serial := func() {
		for _, rg := range top {
			r.group(rg, nil)
		}
	}
	workers := runtime.GOMAXPROCS(0)
	if workers < 2 || len(top) < 2 {
		serial()
		return
	}
	var weight func(rg *rawGroup) int
	weight = func(rg *rawGroup) int {
		n := 1 + len(rg.perms) + r.presetSize(rg)
		for _, k := range rg.kids {
			n += weight(k)
		}
		return n
	}
	weights := make([]int, len(top))
	total := 0
	for i, rg := range top {
		weights[i] = weight(rg)
		total += weights[i]
	}
	if total < parallelGroupsMin {
		serial()
		return
	}
	// Runs of about a quarter of each worker's share, so that a slow run
	// does not leave the other workers idle.
	var runs [][]*rawGroup
	per, start, acc := max(total/(workers*4), 1), 0, 0
	for i := range top {
		acc += weights[i]
		if acc >= per || i == len(top)-1 {
			runs = append(runs, top[start:i+1])
			start, acc = i+1, 0
		}
	}
	parts := make([]*resolver, len(runs))
	parallel(len(runs), func(i int) {
		p := &resolver{
			cat:        &Catalog{},
			part:       true,
			scopeBy:    r.scopeBy,
			presetBy:   r.presetBy,
			fileRank:   r.fileRank,
			usedScope:  map[*Scope]bool{},
			usedPreset: map[string]bool{},
		}
		for _, rg := range runs[i] {
			p.group(rg, nil)
		}
		parts[i] = p
	})
	for _, p := range parts {
		r.merge(p)
	}
}

// merge appends a part's groups and permissions, renumbered after those
// already merged, and registers what the part could not.
func (r *resolver) merge(p *resolver) {
	gOff, pOff := len(r.cat.Groups), len(r.cat.Permissions)
	for _, g := range p.cat.Groups {
		g.Index += gOff
		r.groupBy[g.Key] = g
	}
	for _, pm := range p.cat.Permissions {
		pm.Index += pOff
		r.permBy[pm.Key] = pm
	}
	r.cat.Groups = append(r.cat.Groups, p.cat.Groups...)
	r.cat.TopGroups = append(r.cat.TopGroups, p.cat.TopGroups...)
	r.cat.Permissions = append(r.cat.Permissions, p.cat.Permissions...)
	r.errs = append(r.errs, p.errs...)
	r.pendingRefs = append(r.pendingRefs, p.pendingRefs...)
	r.groupFormer = append(r.groupFormer, p.groupFormer...)
	for name, at := range p.setNames {
		r.nameSet(name, at)
	}
	for _, f := range p.formers {
		r.registerFormer(f.at, f.p)
	}
	for s := range p.usedScope {
		r.usedScope[s] = true
	}
	for name := range p.usedPreset {
		r.usedPreset[name] = true
	}
}

func (r *resolver) group(rg *rawGroup, parent *Group) {
	g := &Group{Key: rg.key, Segment: rg.seg, Parent: parent, Pos: rg.pos, Index: len(r.cat.Groups)}
	rg.created = g
	r.cat.Groups = append(r.cat.Groups, g)
	if !r.part {
		r.groupBy[g.Key] = g
	}
	if parent == nil {
		r.cat.TopGroups = append(r.cat.TopGroups, g)
	} else {
		parent.Groups = append(parent.Groups, g)
	}
	g.Name, _ = rg.str("name")
	if _, v := rg.str("name"); v == nil {
		r.errf(rg.pos, "group-missing-name", "group %s has no `name`%s", g.Key, fieldHint(g.Segment, isGroupField, "group"))
	}
	g.Description, _ = rg.str("description")
	g.Location, _ = rg.str("location")
	g.Note, _ = rg.str("note")
	if f, ok := rg.fields["aliases"]; ok {
		for _, a := range strItems(f.val) {
			g.Aliases = append(g.Aliases, a.Str)
		}
	}
	if f, ok := rg.fields["scope"]; ok {
		g.Scope = r.scopeRef(f.val)
		for gg := g.Parent; gg != nil && g.Scope != nil; gg = gg.Parent {
			if gg.Scope != nil {
				if gg.Scope != g.Scope {
					r.warnf(f.val.Pos, "scope-override", "group %s is set per %s, but its parent %s says every permission under it is per %s; move it out of %s, or drop one of the scopes", g.Key, g.Scope.Key, gg.Key, gg.Scope.Key, gg.Key)
				}
				break
			}
		}
	}
	if f, ok := rg.fields["formerly"]; ok {
		r.groupFormer = append(r.groupFormer, groupFormerly{g, f.val})
	}
	g.TSName = Ident(g.Key)
	g.GoName = "Group" + g.TSName
	r.overrideNames(rg.fields["go_name"].val, rg.fields["ts_name"].val, &g.GoName, &g.TSName)
	if len(rg.perms) == 0 && len(rg.kids) == 0 && rg.fields["preset"].val == nil && !rg.hasBody {
		r.errf(rg.pos, "group-empty", "group %s has no permissions and no subgroups%s", g.Key, fieldHint(g.Segment, isGroupField, "group"))
	}
	// A permission and a subgroup may not share a segment.
	for _, k := range rg.kids {
		if p, ok := rg.permBy[k.seg]; ok {
			r.errf(k.pos, "segment-conflict", "%s is both a permission (%s) and a group; rename one", k.key, p.key.Pos)
		}
	}
	r.permissions(rg, g)
	// What the preset brought in: a permission may meet a subgroup, and
	// omit may leave nothing.
	if g.Preset != "" {
		for _, k := range rg.kids {
			if _, own := rg.permBy[k.seg]; own {
				continue
			}
			for _, p := range g.Permissions {
				if p.Segment == k.seg {
					r.errf(k.pos, "segment-conflict", "%s is both a permission (from preset %q, %s) and a group; rename the group or omit the permission", k.key, g.Preset, p.Pos)
				}
			}
		}
		if len(g.Permissions) == 0 && len(rg.kids) == 0 {
			_, pv := rg.str("preset")
			r.errf(pv.Pos, "group-empty", "group %s has no permissions and no subgroups: preset %q gives it none", g.Key, g.Preset)
		}
	}
	for _, k := range rg.kids {
		r.group(k, g)
	}
}

func (r *resolver) newPermission() *Permission {
	if len(r.permSlab) == cap(r.permSlab) {
		r.permSlab = make([]Permission, 0, 1024)
	}
	r.permSlab = r.permSlab[:len(r.permSlab)+1]
	return &r.permSlab[len(r.permSlab)-1]
}

// presetSize is how many permissions the group's preset defines, 0 when
// it has none or it is unknown.
func (r *resolver) presetSize(rg *rawGroup) int {
	name, pv := rg.str("preset")
	if pv == nil {
		return 0
	}
	d, ok := r.presetBy[name]
	if !ok {
		return 0
	}
	pp, _ := d.v.Get("permissions")
	if pp == nil {
		return 0
	}
	return len(pp.Keys)
}

// permissions expands the group's preset and its own permissions, preset
// permissions first in the preset's order.
func (r *resolver) permissions(rg *rawGroup, g *Group) {
	type merged struct {
		seg       string
		pos       Pos
		fields    fieldSet // from the group (own) or the preset
		intro     Pos      // where it entered the group: its key, or the `preset:` field
		presetIdx int
		dropped   bool // the loader removed a key of its mapping, and said so
	}
	var list []*merged
	// Every merged permission comes from the preset or the group's own
	// list, so one slice holds them all without moving.
	slab := make([]merged, 0, r.presetSize(rg)+len(rg.perms))
	alloc := func(m merged) *merged {
		slab = append(slab, m)
		return &slab[len(slab)-1]
	}
	presetName, pv := rg.str("preset")
	placeholderErrs := -1 // where the preset's findings start, if expanded
	if pv != nil && presetName != "" {
		d, ok := r.presetBy[presetName]
		r.usedPreset[presetName] = true
		if !ok {
			r.errf(pv.Pos, "unknown-preset", "unknown preset %q%s", presetName, hintKey(r, "preset", presetName, r.presetBy))
		} else {
			g.Preset = presetName
			placeholderErrs = len(r.errs)
			vars := map[string]string{}
			if f, ok := rg.fields["vars"]; ok && f.val.Kind == KindMap {
				for i, k := range f.val.Keys {
					if s, ok := f.val.Vals[i].String(); ok {
						vars[k.Str] = s
					}
				}
			}
			omit := map[string]*Value{}
			if f, ok := rg.fields["omit"]; ok {
				for _, o := range strItems(f.val) {
					omit[o.Str] = o
				}
			}
			pperms, _ := d.v.Get("permissions")
			inPreset := map[string]bool{}
			if pperms != nil && pperms.Kind == KindMap {
				for i, k := range pperms.Keys {
					if permFieldSlip(k, pperms.Vals[i]) {
						continue // reported once, at the preset
					}
					inPreset[k.Str] = true
					if _, dropped := omit[k.Str]; dropped {
						if ownP, ok := rg.permBy[k.Str]; ok {
							r.errf(ownP.key.Pos, "preset-omit-conflict", "permission %s.%s is omitted from preset %q but also defined here; remove one", g.Key, k.Str, presetName)
						}
						continue
					}
					m := alloc(merged{seg: k.Str, pos: pv.Pos, intro: pv.Pos, presetIdx: i})
					body := pperms.Vals[i]
					// A field the group sets on the permission replaces the
					// preset's, which is then never used for this group:
					// its placeholders are not expanded, nor checked.
					var own *Value
					if ownP, ok := rg.permBy[k.Str]; ok && ownP.v.Kind == KindMap {
						own = ownP.v
					}
					for fi, fn := range permFields {
						if own != nil {
							if _, set := own.Get(fn); set != nil {
								continue
							}
						}
						if fv, _ := body.Get(fn); fv != nil {
							if presetStringFields[fn] && fv.Kind == KindString {
								// Anything but a string is kept as written,
								// for the schema to report.
								str, ok := r.expand(fv, g, vars, presetName)
								if !ok && presetIdentFields[fn] {
									continue
								}
								fv = &Value{Kind: KindString, Pos: fv.Pos, Str: str}
							} else if fn == "aliases" || fn == "tags" || fn == "requires" || fn == "implies" || fn == "formerly" {
								nv := &Value{Kind: KindList, Pos: fv.Pos}
								items := strItems(fv)
								for i, it := range items {
									if slices.ContainsFunc(items[:i], func(x *Value) bool { return x.Str == it.Str }) {
										continue // the schema reports it, once, at the preset
									}
									str, _ := r.expand(it, g, vars, presetName)
									nv.List = append(nv.List, &Value{Kind: KindString, Pos: it.Pos, Str: str})
								}
								fv = nv
							}
							m.fields[fi] = fv
						}
					}
					list = append(list, m)
				}
			}
			for name, o := range omit {
				if !inPreset[name] {
					r.errf(o.Pos, "preset-omit-unknown", "preset %q has no permission %q to omit%s", presetName, name, suggest(name, keysOf(inPreset)))
				}
			}
		}
	} else if f, ok := rg.fields["omit"]; ok {
		r.errf(f.key.Pos, "preset-omit-unknown", "`omit` needs a `preset` on group %s", g.Key)
	}
	// vars only feed the placeholders of the group's preset.
	if f, ok := rg.fields["vars"]; ok && f.val.Kind == KindMap {
		if pv == nil {
			r.warnf(f.key.Pos, "vars-without-preset", "group %s sets `vars`, but has no `preset` whose strings could use them; placeholders are expanded only in preset strings", g.Key)
		} else if g.Preset != "" && !slices.ContainsFunc(r.errs[placeholderErrs:], func(e Error) bool { return e.Rule == "preset-placeholder" }) {
			// A placeholder the group does not define is most likely the
			// var misspelt: that finding (with its "did you mean") is the
			// one to fix.
			used := r.presetPlaceholders(g.Preset)
			for _, k := range f.val.Keys {
				if !used[k.Str] && validSegment(k.Str) { // the schema reports a bad key
					r.warnf(k.Pos, "unused-var", "group %s sets var %s, but no string of preset %q uses %s", g.Key, printable(k.Str), g.Preset, printable("{"+k.Str+"}"))
				}
			}
		}
	}
	// Own permissions are distinct (the loader rejects duplicate keys), so
	// only a preset's can coincide with them.
	var byseg map[string]*merged
	if len(list) > 0 {
		byseg = make(map[string]*merged, len(list))
		for _, m := range list {
			byseg[m.seg] = m
		}
	}
	for _, rp := range rg.perms {
		m := byseg[rp.seg]
		if m == nil {
			m = alloc(merged{seg: rp.seg, intro: rp.key.Pos, presetIdx: -1})
			list = append(list, m)
		}
		m.pos = rp.key.Pos
		m.dropped = rp.v.Dropped
		if rp.v.Kind == KindMap {
			for i, k := range rp.v.Keys {
				if fi := slices.Index(permFields[:], k.Str); fi >= 0 {
					m.fields[fi] = rp.v.Vals[i]
				}
			}
		}
	}
	// Authored order: root file first, then fragments in lexical order;
	// within a file, the preset's permissions (in the preset's order) and
	// then the group's own in file order. Field order inside a mapping
	// never matters.
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if ra, rb := r.fileRank[a.intro.File], r.fileRank[b.intro.File]; ra != rb {
			return ra < rb
		}
		if ap, bp := a.presetIdx >= 0, b.presetIdx >= 0; ap != bp {
			return ap
		}
		if a.presetIdx != b.presetIdx {
			return a.presetIdx < b.presetIdx
		}
		if a.intro.Line != b.intro.Line {
			return a.intro.Line < b.intro.Line
		}
		return a.intro.Col < b.intro.Col
	})
	for _, m := range list {
		p := r.newPermission()
		*p = Permission{Key: g.Key + "." + m.seg, Segment: m.seg, Group: g, Pos: m.pos, Index: len(r.cat.Permissions)}
		str := func(fn string) string { s, _ := m.fields.get(fn).String(); return s }
		p.Name = str("name")
		if m.fields.get("name") == nil && !m.dropped {
			r.errf(m.pos, "permission-missing-name", "permission %s has no `name`%s", p.Key, fieldHint(p.Segment, isPermField, "permission"))
		}
		p.Description = str("description")
		p.Note = str("note")
		p.Location = str("location")
		if dv := m.fields.get("deprecated"); dv != nil {
			p.Deprecated = str("deprecated")
			if p.Deprecated == "" && dv.Kind == KindString {
				r.errf(dv.Pos, "deprecated-empty", "`deprecated` takes a reason, e.g. \"use %s instead\"", p.Key)
			}
		}
		for _, a := range strItems(m.fields.get("aliases")) {
			p.Aliases = append(p.Aliases, a.Str)
		}
		for _, a := range strItems(m.fields.get("tags")) {
			p.Tags = append(p.Tags, a.Str)
		}
		for _, a := range strItems(m.fields.get("formerly")) {
			if !validKey(a.Str) || !strings.Contains(a.Str, ".") {
				r.errf(a.Pos, "formerly-invalid", "formerly %q must be a full permission key such as group.permission", a.Str)
				continue
			}
			p.Formerly = append(p.Formerly, a.Str)
			r.registerFormer(a, p)
		}
		if sv := m.fields.get("scope"); sv != nil {
			p.Scope = r.scopeRef(sv)
			for gg := g; gg != nil && p.Scope != nil; gg = gg.Parent {
				if gg.Scope != nil {
					if gg.Scope != p.Scope {
						r.warnf(sv.Pos, "scope-override", "permission %s is set per %s, but its group %s says every permission under it is per %s; move it to a group of its own, or drop one of the scopes", p.Key, p.Scope.Key, gg.Key, gg.Scope.Key)
					}
					break
				}
			}
		} else {
			for gg := g; gg != nil; gg = gg.Parent {
				if gg.Scope != nil {
					p.Scope = gg.Scope
					break
				}
			}
		}
		p.GoName = Ident(p.Key)
		p.TSName = p.GoName
		r.overrideNames(m.fields.get("go_name"), m.fields.get("ts_name"), &p.GoName, &p.TSName)
		for _, it := range listItems(m.fields.get("implies")) {
			r.pendingRefs = append(r.pendingRefs, pendingRef{p: p, item: it})
		}
		for _, it := range listItems(m.fields.get("requires")) {
			r.pendingRefs = append(r.pendingRefs, pendingRef{p: p, requires: true, item: it})
		}
		g.Permissions = append(g.Permissions, p)
		r.cat.Permissions = append(r.cat.Permissions, p)
		if !r.part {
			r.permBy[p.Key] = p
		}
	}
}

func listItems(v *Value) []*Value {
	if v == nil || v.Kind != KindList {
		return nil
	}
	return v.List
}

func (r *resolver) registerFormer(at *Value, p *Permission) {
	if r.part {
		r.formers = append(r.formers, former{at, p})
		return
	}
	if prev, dup := r.formerBy[at.Str]; dup && prev != p {
		r.errf(at.Pos, "formerly-conflict", "former key %s is already claimed by %s (%s); a former key can move to one permission only", at.Str, prev.Key, prev.Pos)
		return
	}
	if _, dup := r.formerBy[at.Str]; !dup {
		r.formerPos[at.Str] = at.Pos
	}
	r.formerBy[at.Str] = p
}

// overrideNames applies go_name / ts_name (either may be nil), checking
// that each is a usable identifier.
func (r *resolver) overrideNames(goV, tsV *Value, goName, tsName *string) {
	if s, ok := goV.String(); ok {
		*goName = s
		r.checkGoIdent(goV, s)
		r.nameSet(goName, goV.Pos)
	}
	if s, ok := tsV.String(); ok {
		*tsName = s
		r.checkTSIdent(tsV, s)
		r.nameSet(tsName, tsV.Pos)
	}
}

func (r *resolver) nameSet(name *string, at Pos) {
	if r.setNames == nil {
		r.setNames = map[*string]Pos{}
	}
	r.setNames[name] = at
}

func (r *resolver) checkGoIdent(v *Value, s string) {
	if isGoExportedIdent(s) {
		return
	}
	// Go would export "Ünicode": what fails it is the ASCII-only rule.
	if c, ok := firstNonASCII(s); ok {
		r.errf(v.Pos, "ident-invalid", "go_name %q contains %s, which is not ASCII; generated identifiers use ASCII letters, digits and _ only (start with an upper-case letter)", s, strconv.QuoteRune(c))
		return
	}
	r.errf(v.Pos, "ident-invalid", "go_name %q is not an exported Go identifier (start with an upper-case letter; letters, digits, _)", s)
}

func (r *resolver) checkTSIdent(v *Value, s string) {
	if isTSIdent(s) {
		return
	}
	if c, ok := firstNonASCII(s); ok {
		r.errf(v.Pos, "ident-invalid", "ts_name %q contains %s, which is not ASCII; generated identifiers use ASCII letters, digits, _ and $ only", s, strconv.QuoteRune(c))
		return
	}
	r.errf(v.Pos, "ident-invalid", "ts_name %q is not a valid TypeScript identifier or is a reserved word", s)
}

// formerly works out every key each group and permission was known by
// and checks that no two claim one. A group's `formerly` lists its own
// former keys; a move carries everything under the group along, so each
// key a group has had, combined with each key (current or former) of what
// is below it, is a former key of that subgroup or permission: group
// `new` formerly `old` with permission new.edit formerly new.modify makes
// old.edit and old.modify former keys of new.edit too.
//
// A combination is a former key only if it was ever a key: with a lock,
// the lock says which keys existed (as an entry's key or one it was known
// by), so renaming a permission after its group moved, or adding one,
// does not make up keys that never were. Without a lock every combination
// counts.
func (r *resolver) formerly(lock func() *Lock) {
	type claim struct {
		g   *Group
		pos Pos // the `formerly` item that gave the group this key
	}
	groupClaims := map[string]claim{}
	// via holds, per group with any, the former keys it has, each with
	// the `formerly` item it comes from; groups come parent first.
	type formerKey struct {
		key  string
		pos  Pos
		from *Group // the group whose own `formerly` it comes from
	}
	via := map[*Group][]formerKey{}
	var knownPerm, knownGroup map[string]bool // nil: no lock, every key counts
	itemAt := map[Pos]string{}                // a group's own `formerly` item → its text
	// movedWith is the ancestor whose move gave g the key, nil for g's own.
	// legacy reports whether the lock knows nothing under a former group
	// key: a key from before permcat (or a typo, warned of below). Every
	// key a move under it gives then counts, as on a first run, and the
	// lock written records those of permissions, so the next run knows
	// them.
	legacy := func(under string) bool { return knownGroup != nil && !knownGroup[under] }
	add := func(g *Group, key string, pos Pos, movedWith *Group, under string) {
		if key == g.Key || slices.Contains(g.Formerly, key) || movedWith != nil && knownGroup != nil && !knownGroup[key] && !legacy(under) {
			return
		}
		if cur := r.groupBy[key]; cur != nil {
			if movedWith != nil {
				r.errf(pos, "formerly-conflict", "group %s would have former key %s through the move of %s, but that is the key of a current group (%s); a former key must be free", g.Key, key, movedWith.Key, cur.Pos)
			} else {
				r.errf(pos, "formerly-conflict", "group %s lists former key %s, but that is the key of a current group (%s); a former key must be free", g.Key, key, cur.Pos)
			}
			return
		}
		if c, dup := groupClaims[key]; dup {
			r.errf(pos, "formerly-conflict", "former group key %s is already claimed by %s (%s); a former key can move to one group only", key, c.g.Key, c.pos)
			return
		}
		groupClaims[key] = claim{g, pos}
		g.Formerly = append(g.Formerly, key)
		from := g
		if movedWith != nil {
			from = movedWith
		}
		via[g] = append(via[g], formerKey{key, pos, from})
		if r.groupFormerSrc == nil {
			r.groupFormerSrc = map[string]formerSrc{}
		}
		r.groupFormerSrc[key] = formerSrc{pos: pos, from: from, item: itemAt[pos], moved: movedWith != nil}
	}
	own := map[*Group][]*Value{}
	for _, gf := range r.groupFormer {
		for _, it := range strItems(gf.v) {
			itemAt[it.Pos] = it.Str
			switch {
			case !validKey(it.Str):
				r.errf(it.Pos, "formerly-invalid", "formerly %q must be a full group key", it.Str)
			case it.Str == gf.g.Key:
				r.errf(it.Pos, "formerly-invalid", "group %s lists its own key in `formerly`", gf.g.Key)
			default:
				own[gf.g] = append(own[gf.g], it)
			}
		}
	}
	anyPermFormer := false
	ownPerm := map[*Permission][]string{}
	for _, p := range r.cat.Permissions {
		anyPermFormer = anyPermFormer || len(p.Formerly) > 0
		if len(p.Formerly) > 0 {
			ownPerm[p] = slices.Clone(p.Formerly)
		}
	}
	if len(own) > 0 || anyPermFormer {
		if l := lock(); l != nil && len(l.Entries) > 0 {
			knownPerm, knownGroup = map[string]bool{}, map[string]bool{}
			for _, e := range l.Entries {
				for _, k := range append([]string{e.Key}, e.Former...) {
					knownPerm[k] = true
					for i := strings.LastIndexByte(k, '.'); i > 0; i = strings.LastIndexByte(k[:i], '.') {
						knownGroup[k[:i]] = true
					}
				}
			}
		}
	}
	if len(own) > 0 {
		// moves calls to for each key a name had under any key of the
		// parent (current or former), moved to each other key of the
		// parent, with the `formerly` item that brought the move in.
		moves := func(parent *Group, names []string, to func(key string, fk formerKey)) {
			keys := append([]formerKey{{key: parent.Key}}, via[parent]...)
			for _, n := range names {
				for i, under := range keys {
					rest, ok := strings.CutPrefix(n, under.key+".")
					if !ok {
						continue
					}
					for j, target := range keys {
						if j == i {
							continue
						}
						by := target
						if j == 0 { // back under the current key: the move was under's
							by = under
						}
						to(target.key+"."+rest, by)
					}
				}
			}
		}
		for _, g := range r.cat.Groups { // parents come before their subgroups
			for _, it := range own[g] {
				add(g, it.Str, it.Pos, nil, "")
			}
			if g.Parent == nil || len(via[g.Parent]) == 0 {
				continue
			}
			names := []string{g.Key}
			for _, it := range own[g] {
				names = append(names, it.Str)
			}
			moves(g.Parent, names, func(key string, fk formerKey) { add(g, key, fk.pos, fk.from, fk.key) })
		}
		for _, p := range r.cat.Permissions {
			if len(via[p.Group]) == 0 {
				continue
			}
			names := append([]string{p.Key}, p.Formerly...)
			moves(p.Group, names, func(old string, fk formerKey) {
				if old != p.Key && !slices.Contains(p.Formerly, old) && (knownPerm == nil || knownPerm[old] || legacy(fk.key)) {
					p.Formerly = append(p.Formerly, old)
					if r.movedFormerSrc == nil {
						r.movedFormerSrc = map[string]formerSrc{}
					}
					if _, dup := r.movedFormerSrc[old]; !dup {
						r.movedFormerSrc[old] = formerSrc{pos: fk.pos, from: fk.from, item: itemAt[fk.pos], moved: true}
					}
					r.registerFormer(&Value{Kind: KindString, Pos: fk.pos, Str: old}, p)
				}
			})
		}
	}
	// A former key the lock never knew is most likely a typo. It may also
	// be a key from before permcat (rows of an older system that the seed
	// is to rename), so it is a warning. A key written under an
	// ancestor's new key counts as known when it was known under one of
	// the ancestor's former keys.
	if knownPerm != nil {
		known := func(from *Group, k string, set map[string]bool) bool {
			if set[k] {
				return true
			}
			for a := from; a != nil; a = a.Parent {
				if rest, ok := strings.CutPrefix(k, a.Key+"."); ok {
					for _, f := range via[a] {
						if set[f.key+"."+rest] {
							return true
						}
					}
				}
			}
			return false
		}
		for _, g := range r.cat.Groups {
			for _, it := range own[g] {
				if !known(g.Parent, it.Str, knownGroup) {
					r.warnf(it.Pos, "formerly-unknown", "group %s lists former key %s, but permcat.lock never had a permission under it; check it for a typo (for a group key from before permcat, give the keys it had to their IDs' lines in permcat.lock: ID KEY formerly=OLD)", g.Key, it.Str)
				}
			}
		}
		for _, p := range r.cat.Permissions {
			for _, k := range ownPerm[p] {
				if pos, ok := r.formerPos[k]; ok && r.formerBy[k] == p && !known(p.Group, k, knownPerm) {
					r.warnf(pos, "formerly-unknown", "permission %s lists former key %s, but permcat.lock never had it; check it for a typo (for a key from before permcat, add it to the permission's line in permcat.lock: ID %s formerly=%s)", p.Key, k, p.Key, k)
				}
			}
		}
	}
	r.currentFormerConflicts()
}

// MaxKeyLength is the longest key permcat accepts: what a MySQL or
// MariaDB key column holds (VARCHAR(255)). The limit is checked here, for
// every target, so that validate rejects what generate would.
const MaxKeyLength = 255

func (r *resolver) keyLengths() {
	tooLong := func(key string) bool { return len(key) > MaxKeyLength }
	check := func(what, key string, pos Pos) bool {
		if !tooLong(key) {
			return false
		}
		r.errf(pos, "key-too-long", "%s %s is %d characters long; keys are limited to %d (what a MySQL key column holds)", what, abbrevKey(key), len(key), MaxKeyLength)
		return true
	}
	// A former key that a group's move gives to what is under it is
	// reported once per `formerly` item that made it, at the item, naming
	// the longest such key; and not at all when the item, or the key or
	// own former key it was made from, is reported already.
	type made struct {
		src   formerSrc
		what  string // "former group key", "former permission key"
		owner string // "group h.sub", "h.longer_one"
		key   string // the longest key the item made
		more  int    // how many other keys past the limit it made
	}
	var order []Pos
	byItem := map[Pos]*made{}
	reported := map[Pos]bool{}
	moved := func(what, owner string, src formerSrc, key string) {
		if m := byItem[src.pos]; m != nil {
			if len(key) > len(m.key) {
				m.what, m.owner, m.key = what, owner, key
			}
			m.more++
			return
		}
		byItem[src.pos] = &made{src: src, what: what, owner: owner, key: key}
		order = append(order, src.pos)
	}
	for _, g := range r.cat.Groups {
		bad := check("group key", g.Key, g.Pos)
		for _, f := range g.Formerly {
			if src, ok := r.groupFormerSrc[f]; ok && !src.moved {
				if check("former group key", f, src.pos) {
					reported[src.pos] = true
					bad = true
				}
			}
		}
		for _, f := range g.Formerly {
			if src, ok := r.groupFormerSrc[f]; ok && src.moved && !bad && tooLong(f) {
				moved("former group key", "group "+g.Key, src, f)
			}
		}
	}
	for _, p := range r.cat.Permissions {
		bad := check("permission key", p.Key, p.Pos)
		for _, f := range p.Formerly {
			if _, ok := r.movedFormerSrc[f]; ok {
				continue
			}
			at := p.Pos
			if pos, ok := r.formerPos[f]; ok {
				at = pos // the formerly item it comes from
			}
			bad = check("former permission key", f, at) || bad
		}
		for _, f := range p.Formerly {
			if src, ok := r.movedFormerSrc[f]; ok && !bad && tooLong(f) {
				moved("former permission key", p.Key, src, f)
			}
		}
	}
	for _, pos := range order {
		m := byItem[pos]
		if reported[pos] {
			continue
		}
		more := ""
		if m.more > 0 {
			more = fmt.Sprintf(" (and %d more keys past the limit)", m.more)
		}
		r.errf(pos, "key-too-long", "%s %s is %d characters long, a key of %s through group %s's former key %s%s; keys are limited to %d (what a MySQL key column holds)", m.what, abbrevKey(m.key), len(m.key), m.owner, m.src.from.Key, abbrevKey(m.src.item), more, MaxKeyLength)
	}
	for _, x := range r.cat.Roles {
		check("role key", x.Key, x.Pos)
	}
	for _, x := range r.cat.Profiles {
		check("profile key", x.Key, x.Pos)
	}
	for _, x := range r.cat.Scopes {
		check("scope key", x.Key, x.Pos)
	}
	for _, x := range r.cat.Conditions {
		check("condition key", x.Key, x.Pos)
	}
}

// abbrevKey shortens a long key for a message.
func abbrevKey(key string) string {
	if len(key) <= 40 {
		return key
	}
	return key[:40] + "…"
}

// currentFormerConflicts reports former permission keys that are the key
// of a current permission.
func (r *resolver) currentFormerConflicts() {
	for old, p := range r.formerBy {
		if cur, ok := r.permBy[old]; ok {
			r.errf(r.formerPos[old], "formerly-conflict", "%s lists former key %s, but that is the key of a current permission (%s); a former key must be free", p.Key, old, cur.Pos)
		}
	}
}

func (r *resolver) lookupPerm(from *Group, ref *Value, what string) *Permission {
	s, ok := ref.String()
	if !ok {
		return nil
	}
	key := s
	if !strings.Contains(s, ".") {
		key = from.Key + "." + s
	}
	if p := r.permBy[key]; p != nil {
		return p
	}
	if p := r.formerBy[key]; p != nil {
		r.errf(ref.Pos, "unknown-reference", "%s %q: %s was renamed to %s; refer to the new key", what, s, key, p.Key)
		return nil
	}
	hint := hintKey(r, "permission", key, r.permBy)
	if _, isGroup := r.groupBy[key]; isGroup {
		hint = fmt.Sprintf(" (%s is a group; name one of its permissions)", key)
	} else if _, isGroup := r.groupBy[s]; isGroup {
		hint = fmt.Sprintf(" (%s is a group; name one of its permissions, e.g. %s.%s)", s, s, firstPermSeg(r.groupBy[s]))
	}
	r.errf(ref.Pos, "unknown-reference", "%s %q: no permission %s%s", what, s, key, hint)
	return nil
}

func (r *resolver) references() {
	dupAt := map[Pos]bool{}
	for _, pr := range r.pendingRefs {
		what := "implies"
		if pr.requires {
			what = "requires"
		}
		q := r.lookupPerm(pr.p.Group, pr.item, what)
		if q == nil {
			continue
		}
		if q == pr.p {
			r.errf(pr.item.Pos, "self-reference", "%s %s itself", pr.p.Key, what)
			continue
		}
		list := &pr.p.Implies
		if pr.requires {
			list = &pr.p.Requires
		}
		dup := false
		for _, x := range *list {
			if x == q {
				dup = true
			}
		}
		if dup {
			// An item of a preset is one mistake, however many groups use
			// the preset: reported once, for the first.
			if !dupAt[pr.item.Pos] {
				dupAt[pr.item.Pos] = true
				r.errf(pr.item.Pos, "duplicate-reference", "%s lists %s twice in `%s`", pr.p.Key, q.Key, what)
			}
			continue
		}
		*list = append(*list, q)
		// A live permission that requires a deprecated one will have to
		// change when it goes. Implying one is how a replacement keeps
		// checks of the old key passing while callers move, so it is not
		// warned of.
		if pr.requires && q.IsDeprecated() && !pr.p.IsDeprecated() {
			r.warnf(pr.item.Pos, "deprecated-reference", "permission %s %s deprecated permission %s: %s", pr.p.Key, what, q.Key, q.Deprecated)
		}
		if pr.requires {
			r.refPos[refKey{pr.p, q, true}] = pr.item.Pos
		} else {
			r.refPos[refKey{pr.p, q, false}] = pr.item.Pos
		}
	}
}

type refKey struct {
	from, to *Permission
	requires bool
}

// maxCycles is how many cycles of implies (or of requires) are printed:
// each takes time and room in proportion to its length, and a catalog can
// have as many as it has references (every permission of a chain of
// 10,000 implying the first, too).
const maxCycles = 10

// cycles reports each cycle in implies (or requires) once, at the edge that
// closes it, printing the whole cycle; past maxCycles, it says how many
// more there are.
func (r *resolver) cycles(requires bool) {
	const (
		white = iota
		grey
		black
	)
	color := make([]int8, len(r.cat.Permissions))
	var stack []*Permission
	edges := func(p *Permission) []*Permission {
		if requires {
			return p.Requires
		}
		return p.Implies
	}
	what := "implies"
	if requires {
		what = "requires"
	}
	found := 0
	var firstMore [2]*Permission // the first edge closing a cycle not printed
	var visit func(p *Permission)
	visit = func(p *Permission) {
		color[p.Index] = grey
		stack = append(stack, p)
		for _, q := range edges(p) {
			switch color[q.Index] {
			case white:
				visit(q)
			case grey:
				if found++; found > maxCycles {
					if found == maxCycles+1 {
						firstMore = [2]*Permission{p, q}
					}
					continue
				}
				var cyc []string
				for i := len(stack) - 1; i >= 0; i-- {
					cyc = append(cyc, stack[i].Key)
					if stack[i] == q {
						break
					}
				}
				for i, j := 0, len(cyc)-1; i < j; i, j = i+1, j-1 {
					cyc[i], cyc[j] = cyc[j], cyc[i]
				}
				cyc = append(cyc, q.Key)
				r.errf(r.refPos[refKey{p, q, requires}], "cycle-"+what, "cycle in `%s`: %s", what, strings.Join(cyc, " → "))
			}
		}
		stack = stack[:len(stack)-1]
		color[p.Index] = black
	}
	for _, p := range r.cat.Permissions {
		if color[p.Index] == white {
			visit(p)
		}
	}
	if more := found - maxCycles; more > 0 {
		p, q := firstMore[0], firstMore[1]
		cycles := "cycles"
		if more == 1 {
			cycles = "cycle"
		}
		r.errf(r.refPos[refKey{p, q, requires}], "cycle-"+what, "%d more %s in `%s`, not printed: one is closed by %s %s %s; break the cycles printed, then validate again", more, cycles, what, p.Key, what, q.Key)
	}
}

// closures computes ImpliesClosure for every permission (cycles were
// reported; the walk tolerates them).
//
// A walk from every permission took time and memory quadratic in the
// length of an implies chain (seconds and most of a gigabyte for 10,000
// permissions, each implying the next). Instead, the strongly connected
// components of implies are found (one Tarjan pass) and visited sinks
// first: what a component reaches, its own members included, is the
// union of what the components it implies reach, plus its members, kept
// as runs of consecutive permission indices. A chain written in order
// (or in reverse) reaches one run, so each closure is a slice of one
// shared array of the permissions, without a copy. Only a closure of
// several runs is copied out, which is the size of the closure itself.
//
// A permission on a cycle (an error: the catalog is not returned) gets
// its closure only when the roles ask for it (see closure): copying out
// each member's closure of a 10,000-permission cycle would take 100
// million entries.
func (r *resolver) closures() {
	perms := r.cat.Permissions
	n := len(perms)
	if n == 0 {
		return
	}
	shared := slices.Clone(perms) // closures share it; they never alias Permissions
	r.scopedBefore = make([]int32, n+1)
	for i, p := range perms {
		r.scopedBefore[i+1] = r.scopedBefore[i]
		if p.Scope != nil {
			r.scopedBefore[i+1]++
		}
	}
	comp, comps := impliesComponents(perms)
	// reach[c] is what component c reaches, as sorted, disjoint,
	// non-adjacent runs [from, to) of indices; kept until every
	// component implying c has used it (uses counts those left).
	reach := make([][]run, len(comps))
	uses := make([]int, len(comps))
	for _, p := range perms {
		for _, q := range p.Implies {
			if comp[q.Index] != comp[p.Index] {
				uses[comp[q.Index]]++
			}
		}
	}
	var runs []run
	for c, members := range comps { // sinks first
		runs = runs[:0]
		for _, p := range members {
			runs = append(runs, run{int32(p.Index), int32(p.Index) + 1})
			for _, q := range p.Implies {
				if d := comp[q.Index]; d != c {
					runs = append(runs, reach[d]...)
					if uses[d]--; uses[d] == 0 && len(comps[d]) == 1 {
						reach[d] = nil // a cycle's is kept for closure
					}
				}
			}
		}
		reach[c] = coalesce(runs)
		if len(members) > 1 {
			if r.cyclic == nil {
				r.cyclic = map[*Permission]*cyclicReach{}
			}
			cr := &cyclicReach{reach[c], shared}
			for _, p := range members {
				r.cyclic[p] = cr
			}
			continue
		}
		p := members[0]
		if len(p.Implies) == 0 {
			continue
		}
		p.ImpliesClosure = closureOf(p, reach[c], shared)
	}
}

// run is the permissions with indices from to to-1.
type run struct{ from, to int32 }

// coalesce sorts runs and merges those that overlap or touch, in place.
func coalesce(runs []run) []run {
	slices.SortFunc(runs, func(a, b run) int { return int(a.from - b.from) })
	out := runs[:0]
	for _, x := range runs {
		if k := len(out) - 1; k >= 0 && x.from <= out[k].to {
			out[k].to = max(out[k].to, x.to)
			continue
		}
		out = append(out, x)
	}
	return slices.Clone(out)
}

// closureOf is what p reaches (reach, as runs, p included) without p, in
// index order: a slice of shared when that is one run, else a copy.
func closureOf(p *Permission, reach []run, shared []*Permission) []*Permission {
	i := int32(p.Index)
	if len(reach) == 1 {
		from, to := reach[0].from, reach[0].to
		switch {
		case from == i:
			from++
		case to == i+1:
			to--
		}
		if from >= to {
			return nil
		}
		if !(i >= from && i < to) {
			// Capacity ends with the slice: appending to it copies.
			return shared[from:to:to]
		}
	}
	size := 0
	for _, x := range reach {
		size += int(x.to - x.from)
	}
	out := make([]*Permission, 0, size-1)
	for _, x := range reach {
		for j := x.from; j < x.to; j++ {
			if j != i {
				out = append(out, shared[j])
			}
		}
	}
	return out
}

// cyclicReach is what the members of one implies cycle reach (see
// closures), for closure.
type cyclicReach struct {
	reach  []run
	shared []*Permission
}

// has reports whether the cycle reaches the permission with index i.
func (cr *cyclicReach) has(i int) bool {
	k, _ := slices.BinarySearchFunc(cr.reach, int32(i), func(x run, i int32) int { return int(x.to - 1 - i) })
	return k < len(cr.reach) && cr.reach[k].from <= int32(i)
}

// closure is p.ImpliesClosure, worked out first when p is on an implies
// cycle (see closures).
func (r *resolver) closure(p *Permission) []*Permission {
	if cr := r.cyclic[p]; cr != nil && p.ImpliesClosure == nil {
		p.ImpliesClosure = closureOf(p, cr.reach, cr.shared)
	}
	return p.ImpliesClosure
}

// closureRuns is p's closure as runs of consecutive indices when it is
// that cheaply (a closure shared with others, or one of a cycle), else
// as the list it is.
func (r *resolver) closureRuns(p *Permission) ([]run, []*Permission) {
	if cr := r.cyclic[p]; cr != nil && p.ImpliesClosure == nil {
		i := int32(p.Index)
		out := make([]run, 0, len(cr.reach)+1)
		for _, x := range cr.reach {
			if x.from <= i && i < x.to {
				if x.from < i {
					out = append(out, run{x.from, i})
				}
				if i+1 < x.to {
					out = append(out, run{i + 1, x.to})
				}
				continue
			}
			out = append(out, x)
		}
		return out, nil
	}
	cl := p.ImpliesClosure
	if len(cl) > 0 && cl[len(cl)-1].Index-cl[0].Index+1 == len(cl) {
		return []run{{int32(cl[0].Index), int32(cl[len(cl)-1].Index) + 1}}, nil
	}
	return nil, cl
}

// closureScoped reports whether some permission p implies has a scope of
// its own.
func (r *resolver) closureScoped(p *Permission) bool {
	runs, list := r.closureRuns(p)
	if runs == nil {
		return slices.ContainsFunc(list, func(q *Permission) bool { return q.Scope != nil })
	}
	for _, x := range runs {
		if r.scopedBefore[x.to] > r.scopedBefore[x.from] {
			return true
		}
	}
	return false
}

// skipper holds indices of permissions to pass over, as jumps: every
// index from i up to skip[i] (excluded) is passed over.
type skipper map[int32]int32

// next is the first index from i on not passed over.
func (sk skipper) next(i int32) int32 {
	j := i
	for {
		k, ok := sk[j]
		if !ok {
			break
		}
		j = k
	}
	for i != j { // shorten the path for the next time
		k := sk[i]
		sk[i] = j
		i = k
	}
	return j
}

// eachImplied calls f with each permission p implies, in index order,
// but those sk passes over: in time proportional to those it calls f
// with when p's closure is runs of consecutive indices (see closureRuns).
func (r *resolver) eachImplied(p *Permission, sk skipper, f func(q *Permission)) {
	runs, list := r.closureRuns(p)
	if runs == nil {
		for _, q := range list {
			if sk.next(int32(q.Index)) == int32(q.Index) {
				f(q)
			}
		}
		return
	}
	for _, x := range runs {
		for j := sk.next(x.from); j < x.to; j = sk.next(j + 1) {
			f(r.cat.Permissions[j])
		}
	}
}

// impliesComponents returns the strongly connected components of implies
// (Tarjan's algorithm, without recursion), sinks first: a component comes
// after every component it implies. comp maps a permission's index to its
// component.
func impliesComponents(perms []*Permission) (comp []int, comps [][]*Permission) {
	n := len(perms)
	comp = make([]int, n)
	index := make([]int32, n) // order of discovery + 1; 0: not yet
	low := make([]int32, n)
	onStack := make([]bool, n)
	var stack []*Permission
	type frame struct {
		p    *Permission
		next int // the next of p.Implies to look at
	}
	var frames []frame
	counter := int32(0)
	for _, root := range perms {
		if index[root.Index] != 0 {
			continue
		}
		push := func(p *Permission) {
			counter++
			index[p.Index], low[p.Index] = counter, counter
			stack = append(stack, p)
			onStack[p.Index] = true
			frames = append(frames, frame{p: p})
		}
		push(root)
		for len(frames) > 0 {
			f := &frames[len(frames)-1]
			p := f.p
			if f.next < len(p.Implies) {
				q := p.Implies[f.next]
				f.next++
				switch {
				case index[q.Index] == 0:
					push(q)
				case onStack[q.Index]:
					low[p.Index] = min(low[p.Index], index[q.Index])
				}
				continue
			}
			frames = frames[:len(frames)-1]
			if len(frames) > 0 {
				parent := frames[len(frames)-1].p
				low[parent.Index] = min(low[parent.Index], low[p.Index])
			}
			if low[p.Index] == index[p.Index] {
				c := len(comps)
				k := len(stack) - 1
				for stack[k] != p {
					k--
				}
				members := slices.Clone(stack[k:])
				for _, m := range members {
					onStack[m.Index] = false
					comp[m.Index] = c
				}
				stack = stack[:k]
				comps = append(comps, members)
			}
		}
	}
	return comp, comps
}

func firstPermSeg(g *Group) string {
	if len(g.Permissions) > 0 {
		return g.Permissions[0].Segment
	}
	return "view"
}

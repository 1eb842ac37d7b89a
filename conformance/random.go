package conformance

import (
	"fmt"
	"math/rand"

	"github.com/permcat/permcat/schema"
)

// segments are the key segments random catalogs draw from. None is a Go or
// TypeScript API word, and none has an underscore, so distinct keys always
// get distinct identifiers.
var segments = []string{
	"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel",
	"india", "juliet", "kilo", "lima", "mike", "oscar", "papa", "quebec",
	"romeo", "sierra", "tango", "uniform", "victor", "whiskey", "xray", "yankee",
}

// odd are fragments random display strings are made of, each one a known
// trap for a code generator.
var odd = []string{
	"plain", `"double"`, "'single'", `back\slash`, "${x}", "`tick`", "*/", "/*",
	"@deprecated", "\n", "\r\n", "\u2028", "\u2029", "\t", "🔐", "é", "<script>",
	"\\u2028", "%s", "{name}", "--", "';", "\u00a0",
}

// Random returns a resolved catalog drawn from seed: nested groups, gapped
// and shuffled IDs, implies and requires between permissions, former keys,
// deprecations, scopes, conditions (sometimes more than the table tries
// exhaustively), conditional grants, landings and profiles. The same seed
// gives the same catalog.
func Random(seed int64) *schema.Catalog {
	rng := rand.New(rand.NewSource(seed))
	text := func() string {
		s := ""
		for i := rng.Intn(4); i >= 0; i-- {
			s += odd[rng.Intn(len(odd))] + " "
		}
		return s
	}
	name := fmt.Sprintf("random_%d", seed)
	b := newBuilder(name, text(), text())

	var scopes []*schema.Scope
	for i, n := 0, rng.Intn(3); i < n; i++ {
		scopes = append(scopes, b.scope(segments[i], text()))
	}
	var conds []*schema.Condition
	for i, n := 0, rng.Intn(9); i < n; i++ {
		conds = append(conds, b.condition(segments[i]+"_"+segments[(i+7)%len(segments)], text()))
	}

	// IDs: a shuffled range with gaps, as retired keys leave them.
	var ids []uint32
	for id := uint32(1); len(ids) < 64; id++ {
		if rng.Intn(4) != 0 {
			ids = append(ids, id)
		}
	}
	rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })

	var perms []*schema.Permission
	var groups []*schema.Group
	var addGroup func(parent *schema.Group, depth int)
	addGroup = func(parent *schema.Group, depth int) {
		used := map[string]bool{}
		if parent != nil {
			for _, p := range parent.Permissions {
				used[p.Segment] = true
			}
			for _, s := range parent.Groups {
				used[s.Segment] = true
			}
		} else {
			for _, g := range b.cat.TopGroups {
				used[g.Segment] = true
			}
		}
		seg := pick(rng, used)
		if seg == "" {
			return
		}
		g := b.group(parent, seg, text())
		g.Description = text()
		if rng.Intn(2) == 0 {
			g.Location = text()
		}
		if len(scopes) > 0 && rng.Intn(3) == 0 {
			g.Scope = scopes[rng.Intn(len(scopes))]
		}
		groups = append(groups, g)
		for i, n := 0, 1+rng.Intn(4); i < n && len(ids) > 0; i++ {
			seg := pick(rng, used)
			if seg == "" {
				break
			}
			used[seg] = true
			p := b.permission(g, seg, text(), text(), ids[0])
			ids = ids[1:]
			if len(scopes) > 0 && rng.Intn(5) == 0 {
				p.Scope = scopes[rng.Intn(len(scopes))]
			}
			if rng.Intn(6) == 0 {
				p.Deprecated = text()
			}
			if rng.Intn(5) == 0 {
				p.Formerly = []string{fmt.Sprintf("old.%s.n%d", seg, len(perms))}
			}
			// Implies and requires point only at earlier permissions, so
			// neither can form a cycle.
			for k := rng.Intn(3); k > 0 && len(perms) > 0; k-- {
				p.Implies = appendOnce(p.Implies, perms[rng.Intn(len(perms))])
			}
			for k := rng.Intn(2); k > 0 && len(perms) > 0; k-- {
				p.Requires = appendOnce(p.Requires, perms[rng.Intn(len(perms))])
			}
			perms = append(perms, p)
		}
		if depth < 2 {
			for i, n := 0, rng.Intn(3); i < n; i++ {
				addGroup(g, depth+1)
			}
		}
	}
	for i, n := 0, 1+rng.Intn(3); i < n; i++ {
		addGroup(nil, 0)
	}

	usedRoles := map[string]bool{}
	for i, n := 0, rng.Intn(5); i < n; i++ {
		key := pick(rng, usedRoles)
		usedRoles[key] = true
		r := b.role(key, text())
		r.Description = text()
		if rng.Intn(2) == 0 {
			r.Landing = groups[rng.Intn(len(groups))]
		}
		for _, p := range perms {
			switch x := rng.Intn(6); {
			case x == 0:
				b.grant(r, p)
			case x == 1 && len(conds) > 0:
				var when []*schema.Condition
				for k := 1 + rng.Intn(2); k > 0; k-- {
					when = appendOnce(when, conds[rng.Intn(len(conds))])
				}
				b.grant(r, p, when...)
			}
		}
	}

	usedProfiles := map[string]bool{}
	for i, n := 0, rng.Intn(3); i < n; i++ {
		key := pick(rng, usedProfiles)
		usedProfiles[key] = true
		var req []*schema.Permission
		for _, p := range perms {
			if rng.Intn(3) == 0 {
				req = append(req, p)
			}
		}
		sortPermissions(req)
		b.profile(key, text(), req...).Description = text()
	}
	cat := b.finish()
	for _, pr := range cat.Profiles {
		sortPermissions(pr.Requires)
	}
	return cat
}

// pick returns an unused segment, or "" when all are used.
func pick(rng *rand.Rand, used map[string]bool) string {
	var free []string
	for _, s := range segments {
		if !used[s] {
			free = append(free, s)
		}
	}
	if len(free) == 0 {
		return ""
	}
	return free[rng.Intn(len(free))]
}

func appendOnce[T comparable](xs []T, x T) []T {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}

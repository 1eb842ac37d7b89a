package golang

import (
	"fmt"
	"go/token"
	"slices"

	"github.com/permcat/permcat/schema"
)

// gen holds what every emitted file needs, worked out once from the catalog:
// integer types sized to the catalog, and positions of every element (the
// generated tables are indexed by authored position, permissions also by ID).
type gen struct {
	cat *schema.Catalog
	pkg string

	maxID uint32 // largest permission ID ever assigned; sizes Set and the ID index
	words int    // uint64 words in a Set

	permType    string
	groupType   string
	roleType    string
	profileType string
	scopeType   string

	permPos  map[*schema.Permission]int
	groupPos map[*schema.Group]int
	scopePos map[*schema.Scope]int
	condPos  map[*schema.Condition]int

	// inIDOrder is true when authored order is ascending ID order, so a
	// Set's bits already come out in authored order.
	inIDOrder bool
	// dense is true when the IDs are exactly 1 to the number of
	// permissions, in authored order (as in a catalog that never retired
	// or moved a permission): an ID is then its position plus one, and the
	// tables between the two are left out.
	dense bool

	// The data of the generated tables, planned before any file is written
	// since files read each other's tables.
	packAll bool
	// cacheLimit is roleCacheLimit, and setBudget roleSetMoreBudget, or
	// what a test set instead.
	cacheLimit, setBudget int
	tables                map[string]*table
	texts                 map[string]*text
	keyTables             map[string]*keyTable

	// raws are the declarations written as text (see raw.go).
	raws []rawDecl
}

func newGen(cat *schema.Catalog, opts Options) (*gen, error) {
	if cat == nil {
		return nil, fmt.Errorf("golang: no catalog")
	}
	g := &gen{
		cat:      cat,
		pkg:      opts.Package,
		permPos:  make(map[*schema.Permission]int, len(cat.Permissions)),
		groupPos: make(map[*schema.Group]int, len(cat.Groups)),
		scopePos: make(map[*schema.Scope]int, len(cat.Scopes)),
		condPos:  make(map[*schema.Condition]int, len(cat.Conditions)),

		packAll:    opts.packAll,
		cacheLimit: roleCacheLimit,
		setBudget:  roleSetMoreBudget,
		tables:     map[string]*table{},
		texts:      map[string]*text{},
		keyTables:  map[string]*keyTable{},
	}
	if opts.roleCacheLimit != 0 {
		g.cacheLimit = opts.roleCacheLimit
	}
	if opts.roleSetBudget != 0 {
		g.setBudget = opts.roleSetBudget
	}
	if g.pkg == "" {
		g.pkg = "permissions"
	}
	if err := checkPackageName(g.pkg); err != nil {
		return nil, err
	}
	if err := g.checkNames(); err != nil {
		return nil, err
	}
	for i, s := range cat.Scopes {
		g.scopePos[s] = i
	}
	for i, c := range cat.Conditions {
		g.condPos[c] = i
	}
	for i, gr := range cat.Groups {
		g.groupPos[gr] = i
	}
	g.maxID = cat.MaxID
	ids := make(map[uint32]*schema.Permission, len(cat.Permissions))
	g.inIDOrder = true
	for i, p := range cat.Permissions {
		if p.ID == 0 {
			return nil, fmt.Errorf("golang: permission %s has no ID", p.Key)
		}
		if q := ids[p.ID]; q != nil {
			return nil, fmt.Errorf("golang: permissions %s and %s share ID %d", q.Key, p.Key, p.ID)
		}
		ids[p.ID] = p
		g.maxID = max(g.maxID, p.ID)
		if i > 0 && p.ID < cat.Permissions[i-1].ID {
			g.inIDOrder = false
		}
		g.permPos[p] = i
	}
	g.words = int(g.maxID)/64 + 1
	g.dense = g.inIDOrder && int(g.maxID) == len(cat.Permissions)
	g.permType = sizedType(uint64(g.maxID), 16)
	g.groupType = sizedType(uint64(len(cat.Groups)), 16)
	g.roleType = sizedType(uint64(len(cat.Roles)), 8)
	g.profileType = sizedType(uint64(len(cat.Profiles)), 8)
	g.scopeType = sizedType(uint64(len(cat.Scopes)), 8)
	if err := g.checkReferences(); err != nil {
		return nil, err
	}
	for _, plan := range []func() error{g.planPermissions, g.planGroups, g.planRoles, g.planProfiles, g.planScopes} {
		if err := plan(); err != nil {
			return nil, err
		}
	}
	return g, nil
}

// sizedType is the narrowest unsigned type of at least minBits bits that
// holds max.
func sizedType(max uint64, minBits int) string {
	switch {
	case minBits <= 8 && max <= 0xff:
		return "uint8"
	case minBits <= 16 && max <= 0xffff:
		return "uint16"
	case max <= 0xffffffff:
		return "uint32"
	}
	return "uint64"
}

// checkNames makes sure every identifier the package declares is an
// exported Go name, unique, and not part of the fixed API. The resolver
// reports these against the YAML; this guards hand-built catalogs, so that
// Generate never writes a package that does not compile.
func (g *gen) checkNames() error {
	// What a name belongs to, as kind and key; described only for an error.
	type owner struct{ kind, key string }
	describe := func(o owner) string {
		if o.kind == "" {
			return "the generated API"
		}
		return o.kind + " " + o.key
	}
	cat := g.cat
	seen := make(map[string]owner, len(cat.Permissions)+len(cat.Groups)+len(cat.Roles)+len(cat.Profiles)+len(cat.Scopes)+len(schema.GoAPINames))
	for _, n := range schemaAPINames() {
		seen[n] = owner{}
	}
	add := func(name string, o owner) error {
		if !token.IsIdentifier(name) || !token.IsExported(name) {
			return fmt.Errorf("golang: %s has Go name %q, which is not an exported Go identifier", describe(o), name)
		}
		if prev, ok := seen[name]; ok {
			return fmt.Errorf("golang: %s and %s both have Go name %s", describe(prev), describe(o), name)
		}
		seen[name] = o
		return nil
	}
	for _, p := range cat.Permissions {
		if err := add(p.GoName, owner{"permission", p.Key}); err != nil {
			return err
		}
	}
	for _, x := range cat.Groups {
		if err := add(x.GoName, owner{"group", x.Key}); err != nil {
			return err
		}
	}
	for _, x := range cat.Roles {
		if err := add(x.GoName, owner{"role", x.Key}); err != nil {
			return err
		}
	}
	for _, x := range cat.Profiles {
		if err := add(x.GoName, owner{"profile", x.Key}); err != nil {
			return err
		}
	}
	for _, x := range cat.Scopes {
		if err := add(x.GoName, owner{"scope", x.Key}); err != nil {
			return err
		}
	}
	fields := map[string]string{}
	for _, c := range g.cat.Conditions {
		if !token.IsIdentifier(c.GoName) || !token.IsExported(c.GoName) {
			return fmt.Errorf("golang: condition %s has Go name %q, which is not an exported Go identifier", c.Key, c.GoName)
		}
		if prev, ok := fields[c.GoName]; ok {
			return fmt.Errorf("golang: conditions %s and %s both have Go name %s", prev, c.Key, c.GoName)
		}
		fields[c.GoName] = c.Key
	}
	return nil
}

func schemaAPINames() []string {
	return slices.Clone(schema.GoAPINames)
}

// checkReferences makes sure every pointer in the catalog leads to an
// element of it, since the tables store positions.
func (g *gen) checkReferences() error {
	perm := func(p *schema.Permission, from string) error {
		if _, ok := g.permPos[p]; !ok {
			return fmt.Errorf("golang: %s refers to a permission outside the catalog", from)
		}
		return nil
	}
	for _, p := range g.cat.Permissions {
		if _, ok := g.groupPos[p.Group]; !ok {
			return fmt.Errorf("golang: permission %s has no group in the catalog", p.Key)
		}
		if p.Scope != nil {
			if _, ok := g.scopePos[p.Scope]; !ok {
				return fmt.Errorf("golang: permission %s has a scope outside the catalog", p.Key)
			}
		}
		for _, list := range [][]*schema.Permission{p.Implies, p.Requires, p.ImpliesClosure} {
			for _, q := range list {
				if err := perm(q, "permission "+p.Key); err != nil {
					return err
				}
			}
		}
	}
	for _, x := range g.cat.Groups {
		if x.Parent != nil {
			if _, ok := g.groupPos[x.Parent]; !ok {
				return fmt.Errorf("golang: group %s has a parent outside the catalog", x.Key)
			}
		}
	}
	for _, r := range g.cat.Roles {
		if r.Landing != nil {
			if _, ok := g.groupPos[r.Landing]; !ok {
				return fmt.Errorf("golang: role %s lands on a group outside the catalog", r.Key)
			}
		}
		for _, e := range r.Effective {
			if err := perm(e.Permission, "role "+r.Key); err != nil {
				return err
			}
			for _, c := range e.When {
				if _, ok := g.condPos[c]; !ok {
					return fmt.Errorf("golang: role %s has a grant of %s under a condition outside the catalog", r.Key, e.Permission.Key)
				}
			}
			if len(e.Ways) == 0 && (e.Always || len(e.When) > 0) {
				return fmt.Errorf("golang: role %s holds %s in no way (EffectiveGrant.Ways is empty)", r.Key, e.Permission.Key)
			}
			for _, w := range e.Ways {
				if _, ok := g.condPos[w.When]; w.When != nil && !ok {
					return fmt.Errorf("golang: role %s has a way of holding %s under a condition outside the catalog", r.Key, e.Permission.Key)
				}
				if _, ok := g.scopePos[w.Scope]; w.Scope != nil && !ok {
					return fmt.Errorf("golang: role %s has a way of holding %s bound to a scope outside the catalog", r.Key, e.Permission.Key)
				}
			}
		}
	}
	for _, pr := range g.cat.Profiles {
		for _, q := range pr.Requires {
			if err := perm(q, "profile "+pr.Key); err != nil {
				return err
			}
		}
	}
	return nil
}

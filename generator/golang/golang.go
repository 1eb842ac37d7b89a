// Package golang renders a resolved catalog as one self-contained Go package:
// typed permission constants whose values are permcat.lock IDs, a perfect
// hash Parse, a fixed-size bitset Set, and role, profile, group and scope
// tables. The generated code uses only the standard library, builds at
// language version go1.24, does no work at init time and keeps its lookup
// tables in const strings and integer arrays so that even catalogs of 100k
// permissions compile quickly.
package golang

import (
	"errors"
	"fmt"
	"go/token"
	"sync"

	"github.com/dave/jennifer/jen"

	"github.com/permcat/permcat/generator"
	"github.com/permcat/permcat/schema"
)

// Options tune the generated package.
type Options struct {
	// Package is the package name; "permissions" when empty.
	Package string

	// packAll packs every integer table into a string, whatever its size,
	// so tests can run the packed form on small catalogs.
	packAll bool

	// roleCacheLimit, when not 0, replaces roleCacheLimit, so tests can
	// run catalogs past the role cache without thousands of roles.
	roleCacheLimit int
	// roleSetBudget, when not 0, replaces roleSetMoreBudget, so tests can
	// fill the map behind the role cache.
	roleSetBudget int
}

// Generate renders the catalog's Go package. Files are named after what
// they hold (permissions.go, parse.go, set.go, groups.go, roles.go,
// profiles.go, scopes.go, doc.go) and every one starts with the generated
// code header. It fails, without output, when the catalog is not one the
// resolver could have produced (duplicate IDs or keys, identifiers that are
// not exported Go names, references outside the catalog).
func Generate(cat *schema.Catalog, opts Options) ([]generator.File, error) {
	g, err := newGen(cat, opts)
	if err != nil {
		return nil, err
	}
	type part struct {
		name string
		emit func(*jen.File) error
	}
	parts := []part{
		{"doc.go", g.emitDoc},
		{"permissions.go", g.emitPermissions},
		{"parse.go", g.emitParse},
		{"set.go", g.emitSet},
		{"groups.go", g.emitGroups},
		{"roles.go", g.emitRoles},
		{"profiles.go", g.emitProfiles},
		{"scopes.go", g.emitScopes},
	}
	// Declarations are added in file order, each file noting which raw
	// declarations it holds; the files are then rendered side by side
	// (rendering only reads what the plan and the emitters built), which
	// at 100k permissions takes the constants' doc comments off the path
	// of everything else.
	type emitted struct {
		f        *jen.File
		from, to int
	}
	jfs := make([]emitted, len(parts))
	for i, p := range parts {
		f := jen.NewFile(g.pkg)
		f.HeaderComment(generator.Header)
		from := len(g.raws)
		if err := p.emit(f); err != nil {
			return nil, err
		}
		jfs[i] = emitted{f, from, len(g.raws)}
	}
	files := make([]generator.File, len(parts))
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i, p := range parts {
		wg.Go(func() {
			// Rendering runs go/format over the file, so the output is
			// gofmt's (the tests check it); formatting it a second time
			// would double the generator's time on large catalogs for
			// nothing.
			content, err := g.render(jfs[i].f, jfs[i].from, jfs[i].to)
			if err != nil {
				errs[i] = fmt.Errorf("golang: rendering %s: %w", p.name, err)
				return
			}
			files[i] = generator.File{Path: p.name, Content: content}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return files, nil
}

// checkPackageName rejects names that would not compile as a package clause.
func checkPackageName(name string) error {
	if !token.IsIdentifier(name) || name == "_" {
		return fmt.Errorf("golang: package name %q is not a Go identifier", name)
	}
	return nil
}

// Package typescript renders a resolved catalog as one TypeScript module with
// no runtime dependencies that passes `tsc --strict`.
//
// The module exports Permission, Group, Role, Profile and Scope (string enums
// whose values are the catalog keys, or with Style "const" `as const` objects
// plus union types of the same names, for projects that compile with
// erasableSyntaxOnly), the Conditions interface, parsePermission (which
// accepts former keys), parseRole, parseProfile, roleHas and
// rolePermissions (what a role holds anywhere, whatever scope a grant is
// bound to), roleHasWithin, rolePermissionsWithin and
// rolePermissionsEverywhere (what it holds within one instance of a scope,
// or bound to no scope: the answers to enforce access with),
// profileMissing, the info records (permissionInfo, groupInfo, roleInfo,
// profileInfo), the all* lists and catalogInfo. Every value is a constant
// built from literals, or a Map built from them, so importing the module
// does nothing else.
//
// From the command line:
//
//	permcat generate --ts web/src/permissions.ts [--ts-style const]
package typescript

import (
	"fmt"
	"text/template"

	"github.com/permcat/permcat/generator"
	"github.com/permcat/permcat/schema"
	"github.com/permcat/permcat/templates"
)

// Style names accepted by Options.Style.
const (
	StyleEnum  = "enum"
	StyleConst = "const"
)

// DefaultFileName is the file Generate writes when Options.FileName is empty.
const DefaultFileName = "permissions.ts"

// Options tune the TypeScript target.
type Options struct {
	// Style is StyleEnum (the default when empty) or StyleConst.
	Style string
	// FileName is the Path of the rendered file; DefaultFileName when empty.
	FileName string
}

var moduleTemplate = template.Must(template.New("permissions.ts.tmpl").
	ParseFS(templates.TypeScript, "ts/permissions.ts.tmpl"))

// Generate renders cat as one TypeScript module. It fails, rather than
// writing code that would not compile, on an unknown style or on a name that
// is not a usable TypeScript identifier.
func Generate(cat *schema.Catalog, opts Options) ([]generator.File, error) {
	if cat == nil {
		return nil, fmt.Errorf("typescript: no catalog")
	}
	var isConst bool
	switch opts.Style {
	case "", StyleEnum:
	case StyleConst:
		isConst = true
	default:
		return nil, fmt.Errorf("typescript: unknown style %q (want %q or %q)", opts.Style, StyleEnum, StyleConst)
	}
	name := opts.FileName
	if name == "" {
		name = DefaultFileName
	}
	out := &output{}
	v, err := newView(cat, isConst, out)
	if err != nil {
		return nil, err
	}
	out.b = make([]byte, 0, sizeHint(cat))
	if err := moduleTemplate.Execute(out, v); err != nil {
		return nil, fmt.Errorf("typescript: %v", err)
	}
	return []generator.File{{Path: name, Content: out.b}}, nil
}

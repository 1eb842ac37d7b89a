package templates

import "embed"

// TypeScript holds the templates of the TypeScript target
// (generator/typescript); ts/permissions.ts.tmpl renders the whole module.
//
//go:embed ts/*.tmpl
var TypeScript embed.FS

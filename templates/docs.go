package templates

import "embed"

// Docs holds the templates of the docs target (generator/docs):
// docs/permissions.md.tmpl renders the permissions reference and
// docs/roles.md.tmpl the role matrix, landing sections and profiles. Every
// catalog string reaches them already escaped for Markdown.
//
//go:embed docs/*.tmpl
var Docs embed.FS

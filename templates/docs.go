package templates

import "embed"

// Docs holds the templates of the docs target (generator/docs):
// docs/permissions.md.tmpl renders the permissions reference and
// docs/roles.md.tmpl the role matrix, landing sections and profiles. Every
// catalog string reaches them already escaped for Markdown. What there is
// one of per group, permission or grant (the group sections, the bodies of
// the role matrix and the other long tables) comes from functions of
// generator/docs that write it where a template calls them.
//
//go:embed docs/*.tmpl
var Docs embed.FS

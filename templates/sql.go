package templates

import "embed"

// SQL holds the templates of the SQL target (generator/sql): for each
// dialect, <dialect>_schema.sql.tmpl and <dialect>_seed.sql.tmpl.
//
//go:embed sql/*.tmpl
var SQL embed.FS

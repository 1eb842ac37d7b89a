package sql

import (
	"regexp"
)

// dialect holds what differs between databases outside the templates: how
// strings and identifiers are written and where staging tables live.
type dialect struct {
	name string
	// literal writes s as a string literal. s is valid UTF-8 without NUL
	// (buildModel checks); the result holds no line break, so every row of
	// the seed stays on one line.
	literal func(s string) string
	// quoteIdent quotes an identifier for this dialect.
	quoteIdent func(s string) string
	// staging names a temporary table in statements (schema-qualified
	// where the database would otherwise let it shadow or be shadowed).
	staging func(name string) string
	// maxKeyLen is the longest key the key columns hold; 0: no limit.
	maxKeyLen int
}

// ident writes a table or index name, quoted only when it would otherwise
// read as a keyword in any dialect; names built from a validated prefix are
// otherwise plain identifiers.
func (d *dialect) ident(name string) string {
	if plainIdentRE.MatchString(name) && !keywords[name] {
		return name
	}
	return d.quoteIdent(name)
}

var plainIdentRE = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// keywords are words reserved (or keyword-like enough to need quoting) in
// PostgreSQL, MySQL/MariaDB or SQLite that a prefix plus table suffix could
// spell. A generous list costs nothing but a pair of quotes.
var keywords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{
		"add", "all", "alter", "analyze", "and", "any", "array", "as", "asc", "between", "both",
		"by", "case", "cast", "check", "collate", "column", "condition", "constraint", "create",
		"cross", "current", "default", "delete", "desc", "distinct", "drop", "else", "end", "except",
		"exists", "false", "fetch", "for", "foreign", "from", "full", "grant", "group", "groups",
		"having", "if", "in", "index", "inner", "insert", "intersect", "into", "is", "join", "key",
		"keys", "leading", "left", "like", "limit", "natural", "not", "null", "of", "offset", "on",
		"or", "order", "outer", "over", "primary", "range", "references", "rename", "replace",
		"return", "right", "row", "rows", "select", "set", "table", "then", "to", "trailing",
		"true", "union", "unique", "update", "usage", "user", "using", "values", "when", "where",
		"window", "with",
	} {
		m[w] = true
	}
	return m
}()

// isControl reports characters written as escapes rather than raw, so that
// literals never span lines and no editor or VCS can alter them.
func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f
}

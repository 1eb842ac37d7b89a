package sql

import (
	"regexp"
	"strings"
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

// appendLiteral appends s as a string literal of dialect d.
func (d *dialect) appendLiteral(b []byte, s string) []byte {
	if class := classify(s); class&escaped == 0 {
		return appendQuoted(b, s, class)
	}
	return append(b, d.literal(s)...)
}

// appendQuoted appends s as '…' with quotes doubled, which is how every
// dialect writes text without backslashes and control characters, so that
// text reads alike in all of them. class is classify(s).
func appendQuoted(b []byte, s string, class byte) []byte {
	b = append(b, '\'')
	if class&quote != 0 {
		for {
			i := strings.IndexByte(s, '\'')
			if i < 0 {
				break
			}
			b = append(b, s[:i+1]...)
			b = append(b, '\'')
			s = s[i+1:]
		}
	}
	b = append(b, s...)
	return append(b, '\'')
}

// byteClass sorts the bytes that matter to quoting and checking text.
// Bytes of multi-byte UTF-8 sequences are all 0x80 or above, so a byte
// below that is always the character itself.
var byteClass = func() (t [256]byte) {
	for c := range t {
		switch {
		case c == '\'':
			t[c] = quote
		case c == '\\' || isControl(rune(c)):
			t[c] = escaped
		case c >= 0x80:
			t[c] = nonASCII
		}
	}
	return t
}()

const (
	quote    = 1 << iota // a quote, doubled in every dialect
	escaped              // needs each dialect's own escape (NUL among them)
	nonASCII             // part of a multi-byte character, or invalid UTF-8
)

// isControl reports characters written as escapes rather than raw, so that
// literals never span lines and no editor or VCS can alter them.
func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f
}

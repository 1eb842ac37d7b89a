package sql

import (
	"fmt"
	"strings"
)

// postgresDialect targets PostgreSQL 9.5 and later (ON CONFLICT, partial
// unique indexes).
var postgresDialect = &dialect{
	name:       "postgres",
	literal:    postgresLiteral,
	quoteIdent: doubleQuoteIdent,
	// pg_temp. makes sure the statement reads the staging table even if an
	// application table of the same name exists.
	staging: func(name string) string { return "pg_temp." + name },
}

// postgresLiteral writes a standard string when s needs no escapes, and an
// escape string (E'...') otherwise, which reads the same whatever the
// server's standard_conforming_strings is, so backslashes are never misread.
// Dollar quotes ($$, $permcat$) inside a literal are plain characters.
func postgresLiteral(s string) string {
	needsE := false
	for _, r := range s {
		if r == '\\' || isControl(r) {
			needsE = true
			break
		}
	}
	var b strings.Builder
	if needsE {
		b.WriteByte('E')
	}
	b.WriteByte('\'')
	for _, r := range s {
		switch {
		case r == '\'':
			b.WriteString("''")
		case needsE && r == '\\':
			b.WriteString(`\\`)
		case isControl(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// doubleQuoteIdent quotes an identifier the SQL-standard way (PostgreSQL,
// SQLite).
func doubleQuoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

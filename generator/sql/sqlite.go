package sql

import (
	"strconv"
	"strings"
)

// sqliteDialect targets SQLite 3.24 and later (upsert, partial indexes).
// Foreign keys are off by default on every SQLite connection: the seed
// turns them on (a no-op inside a transaction, so it comes first), and the
// application must turn them on for its own connections too (PRAGMA
// foreign_keys = ON) for ON UPDATE CASCADE to carry its rows along.
var sqliteDialect = &dialect{
	name:       "sqlite",
	literal:    sqliteLiteral,
	quoteIdent: doubleQuoteIdent,
	staging:    func(name string) string { return "temp." + name },
}

// sqliteLiteral doubles quotes; SQLite knows no backslash escapes, so a
// control character is spliced in with char(n) (which yields text).
func sqliteLiteral(s string) string {
	quote := func(t string) string { return "'" + strings.ReplaceAll(t, "'", "''") + "'" }
	if !strings.ContainsFunc(s, isControl) {
		return quote(s)
	}
	var parts []string
	start := 0
	for i, r := range s {
		if !isControl(r) {
			continue
		}
		if i > start {
			parts = append(parts, quote(s[start:i]))
		}
		parts = append(parts, "char("+strconv.Itoa(int(r))+")")
		start = i + 1
	}
	if start < len(s) {
		parts = append(parts, quote(s[start:]))
	}
	return "(" + strings.Join(parts, " || ") + ")"
}

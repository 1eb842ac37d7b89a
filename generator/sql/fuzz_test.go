package sql

import (
	dbsql "database/sql"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzSQLiteLiteral checks that any storable string, written as an SQLite
// literal, reads back unchanged (run longer with -fuzz FuzzSQLiteLiteral).
func FuzzSQLiteLiteral(f *testing.F) {
	for _, s := range hostileStrings {
		f.Add(s)
	}
	db, err := dbsql.Open("sqlite", ":memory:")
	if err != nil {
		f.Fatal(err)
	}
	defer db.Close()
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
			return // Generate rejects these
		}
		lit := sqliteLiteral(s)
		if strings.ContainsAny(lit, "\r\n") {
			t.Fatalf("literal %s spans lines", lit)
		}
		var got string
		if err := db.QueryRow("SELECT " + lit).Scan(&got); err != nil {
			t.Fatalf("SELECT %s: %v", lit, err)
		}
		if got != s {
			t.Fatalf("SELECT %s = %q, want %q", lit, got, s)
		}
	})
}

package sql

import (
	"encoding/hex"
	"strings"
)

// mysqlDialect targets MySQL 5.7+/8 and MariaDB 10.2+. Key columns are
// VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin (keys are ASCII; the
// binary collation compares them exactly); an application column that
// references them must be declared the same way.
var mysqlDialect = &dialect{
	name:       "mysql",
	literal:    mysqlLiteral,
	quoteIdent: backtickIdent,
	staging:    func(name string) string { return name },
	maxKeyLen:  255,
}

// mysqlLiteral writes plain quoted text when it can be read the same with
// and without NO_BACKSLASH_ESCAPES, which is whenever s has no backslash
// and no control character; otherwise it writes the UTF-8 bytes as a hex
// literal with a utf8mb4 introducer, which every sql_mode reads alike.
func mysqlLiteral(s string) string {
	for _, r := range s {
		if r == '\\' || isControl(r) {
			return "_utf8mb4 X'" + strings.ToUpper(hex.EncodeToString([]byte(s))) + "'"
		}
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

func backtickIdent(s string) string {
	return "`" + strings.ReplaceAll(s, "`", "``") + "`"
}

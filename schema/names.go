package schema

// GoAPINames are the exported top-level identifiers every generated Go
// package declares. A permission, group, role, profile or scope whose derived
// Go name equals one of them is a collision error. generator/golang must
// declare no other exported top-level name; its tests check this list.
var GoAPINames = []string{
	"Permission", "Parse", "MustParse", "All", "Count",
	"Set", "NewSet", "Unmet",
	"Group", "AllGroups", "ParseGroup",
	"Role", "ParseRole", "AllRoles",
	"Conditions",
	"Profile", "ParseProfile", "AllProfiles",
	"Scope", "ParseScope", "AllScopes",
	"Catalog", "Title",
}

// TSAPINames are the exported names of the generated TypeScript module.
// Permission, Role and Profile members live inside their enums, so only
// members that clash with each other matter there; these guard
// go_name/ts_name style overrides of module-level names.
var TSAPINames = []string{
	"Permission", "Role", "Profile", "Group", "Scope", "Conditions",
	"parsePermission", "roleHas", "rolePermissions", "profileMissing",
	"roleHasWithin", "rolePermissionsWithin", "rolePermissionsEverywhere",
	"permissionInfo", "roleInfo", "groupInfo", "profileInfo", "allPermissions",
	"parseRole", "parseProfile", "allGroups", "allRoles", "allProfiles", "catalogInfo",
	"PermissionInfo", "GroupInfo", "RoleInfo", "ProfileInfo",
}

// goKeywords are Go's reserved words and predeclared identifiers an
// override may not use.
var goKeywords = map[string]bool{
	"break": true, "case": true, "chan": true, "const": true, "continue": true,
	"default": true, "defer": true, "else": true, "fallthrough": true, "for": true,
	"func": true, "go": true, "goto": true, "if": true, "import": true,
	"interface": true, "map": true, "package": true, "range": true, "return": true,
	"select": true, "struct": true, "switch": true, "type": true, "var": true,
}

// tsReserved are JavaScript/TypeScript reserved words.
var tsReserved = map[string]bool{
	"break": true, "case": true, "catch": true, "class": true, "const": true,
	"continue": true, "debugger": true, "default": true, "delete": true, "do": true,
	"else": true, "enum": true, "export": true, "extends": true, "false": true,
	"finally": true, "for": true, "function": true, "if": true, "import": true,
	"in": true, "instanceof": true, "new": true, "null": true, "return": true,
	"super": true, "switch": true, "this": true, "throw": true, "true": true,
	"try": true, "typeof": true, "var": true, "void": true, "while": true,
	"with": true, "implements": true, "interface": true, "let": true,
	"package": true, "private": true, "protected": true, "public": true,
	"static": true, "yield": true, "await": true, "undefined": true, "NaN": true,
	"Infinity": true, "constructor": true, "__proto__": true, "prototype": true,
}

// Ident derives the Go/TypeScript identifier of a key: the first letter of
// every `.`- or `_`-separated word capitalised and nothing else
// (`integrations.metrc.edit` → IntegrationsMetrcEdit, `qr_ids` → QrIds).
func Ident(key string) string {
	b := make([]byte, 0, len(key))
	up := true
	for i := 0; i < len(key); i++ {
		c := key[i]
		if c == '.' || c == '_' {
			up = true
			continue
		}
		if up && c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		up = false
		b = append(b, c)
	}
	return string(b)
}

// lowerFirst turns an Ident into camelCase.
func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+('a'-'A')) + s[1:]
}

// firstNonASCII returns the first character of s outside ASCII.
func firstNonASCII(s string) (rune, bool) {
	for _, c := range s {
		if c >= 0x80 {
			return c, true
		}
	}
	return 0, false
}

func isGoExportedIdent(s string) bool {
	if s == "" || s[0] < 'A' || s[0] > 'Z' || goKeywords[s] {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

func isTSIdent(s string) bool {
	if s == "" || tsReserved[s] || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '$') {
			return false
		}
	}
	return true
}

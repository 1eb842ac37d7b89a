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
	"Scope", "AllScopes",
	"Catalog", "Title",
}

// TSAPINames are the exported names of the generated TypeScript module.
// Permission, Role and Profile members live inside their enums, so only
// members that clash with each other matter there; these guard
// go_name/ts_name style overrides of module-level names.
var TSAPINames = []string{
	"Permission", "Role", "Profile", "Group", "Scope", "Conditions",
	"parsePermission", "roleHas", "rolePermissions", "profileMissing",
	"permissionInfo", "roleInfo", "groupInfo", "profileInfo", "allPermissions",
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

// Package build turns a resolved catalog into output files and applies
// them: render every target in memory, then write atomically, or compare
// for --check. It is the one place that touches the disk for generate.
package build

import (
	"errors"
	"fmt"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/permcat/permcat/schema"
)

// ConfigFileName is the optional target list beside the catalog. The
// schema package names it too: include globs skip it.
const ConfigFileName = schema.ConfigFileName

// Targets says what to generate and where. Paths are ready to use (already
// joined with the config file's directory when they came from it).
type Targets struct {
	GoDir      string
	GoPackage  string
	TSFile     string
	TSStyle    string
	SQLDir     string
	SQLDialect []string
	SQLPrefix  string
	DocsDir    string
}

// Empty reports whether no target is set.
func (t Targets) Empty() bool {
	return t.GoDir == "" && t.TSFile == "" && t.SQLDir == "" && t.DocsDir == ""
}

// Only keeps the named targets (go, ts, sql, docs).
func (t Targets) Only(names []string) Targets {
	if len(names) == 0 {
		return t
	}
	keep := map[string]bool{}
	for _, n := range names {
		keep[n] = true
	}
	var o Targets
	if keep["go"] {
		o.GoDir, o.GoPackage = t.GoDir, t.GoPackage
	}
	if keep["ts"] {
		o.TSFile, o.TSStyle = t.TSFile, t.TSStyle
	}
	if keep["sql"] {
		o.SQLDir, o.SQLDialect, o.SQLPrefix = t.SQLDir, t.SQLDialect, t.SQLPrefix
	}
	if keep["docs"] {
		o.DocsDir = t.DocsDir
	}
	return o
}

// TargetNames are the names accepted as positional targets.
var TargetNames = []string{"go", "ts", "sql", "docs"}

// LoadConfig reads permcat.gen.yaml beside the root file, if present.
func LoadConfig(root string) (Targets, bool, schema.Errors) {
	name := filepath.Join(filepath.Dir(root), ConfigFileName)
	data, err := schema.ReadRegularFile(name, schema.MaxFileSize, "catalog files")
	if errors.Is(err, fs.ErrNotExist) {
		return Targets{}, false, nil
	}
	if err != nil {
		return Targets{}, false, schema.Errors{{Pos: schema.Pos{File: name}, Rule: "file-read", Msg: err.Error()}}
	}
	v, errs := schema.ParseYAML(name, data)
	if len(errs) > 0 {
		return Targets{}, true, errs
	}
	var t Targets
	if v.Kind == schema.KindNull {
		return t, true, nil
	}
	if v.Kind != schema.KindMap {
		return t, true, schema.Errors{{Pos: v.Pos, Rule: "config", Msg: "permcat.gen.yaml must be a mapping of target flags (go, go-package, ts, ts-style, sql, sql-dialect, sql-prefix, docs)"}}
	}
	dir := filepath.Dir(name)
	rel := func(s string) string {
		if filepath.IsAbs(s) {
			return s
		}
		return filepath.Join(dir, filepath.FromSlash(s))
	}
	known := []string{"go", "go-package", "ts", "ts-style", "sql", "sql-dialect", "sql-prefix", "docs"}
	for i, k := range v.Keys {
		val := v.Vals[i]
		if !slices.Contains(known, k.Str) {
			errs = append(errs, schema.Error{Pos: k.Pos, Rule: "config", Msg: fmt.Sprintf("unknown target setting %q; known: %s", k.Str, strings.Join(known, ", "))})
			continue
		}
		var s string
		if k.Str != "sql-dialect" {
			var ok bool
			s, ok = val.String()
			if !ok || s == "" {
				errs = append(errs, schema.Error{Pos: val.Pos, Rule: "config", Msg: fmt.Sprintf("%s takes a non-empty string", k.Str)})
				continue
			}
		}
		if k.Str == "ts-style" || k.Str == "sql-prefix" || k.Str == "go-package" {
			if msg := CheckValue(k.Str, s); msg != "" {
				errs = append(errs, schema.Error{Pos: val.Pos, Rule: "config", Msg: msg})
				continue
			}
		}
		if k.Str == "go" || k.Str == "ts" || k.Str == "sql" || k.Str == "docs" {
			// Checked where the file says it, against the path it means.
			// A trailing separator says "directory"; rel would drop it.
			path := rel(s)
			if (strings.HasSuffix(s, "/") || strings.HasSuffix(s, string(filepath.Separator))) && !strings.HasSuffix(path, string(filepath.Separator)) {
				path += string(filepath.Separator)
			}
			if msg := CheckValue(k.Str, path); msg != "" {
				errs = append(errs, schema.Error{Pos: val.Pos, Rule: "config", Msg: strings.Replace(msg, "--", "", 1)})
				continue
			}
		}
		switch k.Str {
		case "go":
			t.GoDir = rel(s)
		case "go-package":
			t.GoPackage = s
		case "ts":
			t.TSFile = rel(s)
		case "ts-style":
			t.TSStyle = s
		case "sql":
			t.SQLDir = rel(s)
		case "sql-prefix":
			t.SQLPrefix = s
		case "docs":
			t.DocsDir = rel(s)
		case "sql-dialect":
			switch val.Kind {
			case schema.KindString:
				t.SQLDialect = splitList(val.Str)
				if msg := CheckValue("sql-dialect", val.Str); msg != "" {
					errs = append(errs, schema.Error{Pos: val.Pos, Rule: "config", Msg: msg})
				}
			case schema.KindList:
				if len(val.List) == 0 {
					errs = append(errs, schema.Error{Pos: val.Pos, Rule: "config", Msg: "sql-dialect lists no dialect; list postgres, sqlite or mysql, or leave the setting out for all three"})
				}
				for _, it := range val.List {
					if s, ok := it.String(); ok {
						if msg := CheckValue("sql-dialect", s); msg != "" {
							errs = append(errs, schema.Error{Pos: it.Pos, Rule: "config", Msg: msg})
							continue
						}
						t.SQLDialect = append(t.SQLDialect, s)
					} else {
						errs = append(errs, schema.Error{Pos: it.Pos, Rule: "config", Msg: "sql-dialect items are dialect names"})
					}
				}
			default:
				errs = append(errs, schema.Error{Pos: val.Pos, Rule: "config", Msg: "sql-dialect takes a list such as [postgres, sqlite, mysql]"})
			}
		default:
			errs = append(errs, schema.Error{Pos: k.Pos, Rule: "config", Msg: fmt.Sprintf("unknown target setting %q; known: %s", k.Str, strings.Join(known, ", "))})
		}
	}
	return t, true, errs
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Merge lays flag values over config values; flags win.
func Merge(cfg, flags Targets) Targets {
	o := cfg
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&o.GoDir, flags.GoDir)
	set(&o.GoPackage, flags.GoPackage)
	set(&o.TSFile, flags.TSFile)
	set(&o.TSStyle, flags.TSStyle)
	set(&o.SQLDir, flags.SQLDir)
	set(&o.SQLPrefix, flags.SQLPrefix)
	set(&o.DocsDir, flags.DocsDir)
	if len(flags.SQLDialect) > 0 {
		o.SQLDialect = flags.SQLDialect
	}
	return o
}

var sqlPrefixRe = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,29}$`)

// dialectNames are the accepted --sql-dialect values (aliases included).
var dialectNames = map[string]bool{"postgres": true, "postgresql": true, "sqlite": true, "sqlite3": true, "mysql": true, "mariadb": true}

// CheckValue returns why a target setting's value is unusable, or "". The
// same check serves flags (usage errors) and permcat.gen.yaml (positioned
// errors). Paths are checked against the disk as they are.
func CheckValue(setting, v string) string {
	switch setting {
	case "go", "ts", "sql", "docs":
		// A NUL reaches the system call as "invalid argument", with no
		// word of which setting; other control characters make names no
		// one can type or see.
		if i := strings.IndexFunc(v, unicode.IsControl); i >= 0 {
			r, _ := utf8.DecodeRuneInString(v[i:])
			return fmt.Sprintf("%s %q: the path contains a control character (U+%04X); paths must be plain text", setting, v, r)
		}
	}
	switch setting {
	case "ts-style":
		if v != "enum" && v != "const" {
			return fmt.Sprintf("ts-style %q: want enum or const", v)
		}
	case "sql-dialect":
		for _, d := range strings.Split(v, ",") {
			if d = strings.TrimSpace(d); d == "" {
				return fmt.Sprintf("sql-dialect %q: an empty dialect name; list postgres, sqlite or mysql, or leave the setting out for all three", v)
			}
			if !dialectNames[d] {
				return fmt.Sprintf("sql-dialect %q: want postgres, sqlite or mysql", d)
			}
		}
	case "sql-prefix":
		if !sqlPrefixRe.MatchString(v) {
			return fmt.Sprintf("sql-prefix %q: use up to 30 lower-case letters, digits and underscores, not starting with a digit", v)
		}
	case "go-package":
		if !token.IsIdentifier(v) || token.IsKeyword(v) {
			return fmt.Sprintf("go-package %q is not a Go package name", v)
		}
		if v == "_" {
			return "go-package _: the blank identifier cannot name a package"
		}
		if v == "main" {
			return "go-package main: a package main cannot be imported; name the package after what it holds, e.g. permissions"
		}
	case "ts":
		if strings.HasSuffix(v, "/") || strings.HasSuffix(v, string(filepath.Separator)) {
			return fmt.Sprintf("ts %q names a directory; --ts takes the FILE to write, e.g. %spermissions.ts", v, v)
		}
		if st, err := os.Stat(v); err == nil && st.IsDir() {
			return fmt.Sprintf("ts %q is a directory; --ts takes the FILE to write, e.g. %s", v, filepath.Join(v, "permissions.ts"))
		}
	case "go", "sql", "docs":
		if st, err := os.Stat(v); err == nil && !st.IsDir() {
			return fmt.Sprintf("%s %q is a file; --%s takes a DIRECTORY", setting, v, setting)
		}
	}
	return ""
}

// Check reports every unusable value of the merged targets.
func (t Targets) Check() []string {
	var out []string
	add := func(setting, v string) {
		if v == "" {
			return
		}
		if msg := CheckValue(setting, v); msg != "" {
			out = append(out, msg)
		}
	}
	add("go", t.GoDir)
	add("go-package", t.GoPackage)

	add("ts", t.TSFile)
	add("ts-style", t.TSStyle)
	add("sql", t.SQLDir)
	add("sql-prefix", t.SQLPrefix)
	add("sql-dialect", strings.Join(t.SQLDialect, ","))
	add("docs", t.DocsDir)
	return out
}

// CheckPackage reports when merged targets (flags over permcat.gen.yaml)
// leave the Go package to be named after its directory and that name
// cannot be an importable package's, or "".
func (t Targets) CheckPackage() string {
	if t.GoDir == "" || t.GoPackage != "" {
		return ""
	}
	if pkg := defaultPackage(t.GoDir); token.IsKeyword(pkg) || pkg == "main" {
		return fmt.Sprintf("go %q: the package would be named %s after its directory, which cannot be the name of an importable package; pass --go-package NAME (or set go-package: in %s)", t.GoDir, pkg, ConfigFileName)
	}
	return ""
}

// Configured reports whether the named target (go, ts, sql, docs) has an
// output location.
func (t Targets) Configured(name string) bool {
	switch name {
	case "go":
		return t.GoDir != ""
	case "ts":
		return t.TSFile != ""
	case "sql":
		return t.SQLDir != ""
	case "docs":
		return t.DocsDir != ""
	}
	return false
}
